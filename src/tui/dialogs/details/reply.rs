//! The worker's answers for the details dialog: the app with its active token count
//! (also wanted by the delete dialog), and the end of a grace period.

use crate::tui::action::Action;
use crate::tui::geometry::keep_cursors_visible;
use crate::tui::shared::{Connection, ToastKind};
use crate::tui::state::{Modal, State};
use crate::worker::WorkerReply;

pub fn apply(state: &mut State, reply: WorkerReply) {
    match reply {
        WorkerReply::AppDetails(result) => {
            let Some(details) = state.ok(result) else {
                return;
            };
            match &mut state.modal {
                Some(Modal::Details {
                    client_id,
                    details: shown,
                }) if *client_id == details.app.client_id => *shown = Some(Box::new(details)),
                Some(Modal::Confirm {
                    action,
                    active_tokens,
                }) if matches!(&**action, Action::DeleteApp { client_id } if *client_id == details.app.client_id) => {
                    *active_tokens = Some(details.active_tokens)
                }
                _ => {}
            }
        }
        WorkerReply::SecretGraceEnded { client_id, result } => match result {
            Ok(app) => {
                state.connection = Connection::Connected;
                let name = app.name.clone();
                if let Some(Modal::Details {
                    client_id: shown,
                    details: Some(details),
                }) = &mut state.modal
                    && *shown == client_id
                {
                    details.app = app.clone();
                }
                state.apps.upsert(app);
                keep_cursors_visible(state);
                state.toast(
                    ToastKind::Success,
                    format!("✓ The old secret of {name} no longer works"),
                );
            }
            Err(e) => state.failed("Grace period not ended", &e),
        },
        _ => {}
    }
}
