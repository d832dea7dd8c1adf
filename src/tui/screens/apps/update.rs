//! The Client apps tab's row actions: copy, sort, and the first step of delete and
//! rotate (which ask first). `target` is the app under the cursor, resolved once by
//! the dispatcher.

use crate::tui::action::{Action, Command, Outcome};
use crate::tui::geometry::keep_cursors_visible;
use crate::tui::shared::{Pending, ToastKind};
use crate::tui::state::State;
use crate::worker::WorkerRequest;

pub fn update(state: &mut State, action: Action, target: Option<String>) -> Outcome {
    match action {
        Action::CycleSort => {
            state.apps.sort = state.apps.sort.next();
            state.apps.rebuild_index();
            keep_cursors_visible(state);
            Outcome::done()
        }
        Action::DeleteApp { client_id } => state
            .send_write(WorkerRequest::DeleteApp { client_id }, Pending::Delete)
            .into(),
        _ => {
            let Some(client_id) = target else {
                return Outcome::done();
            };
            row_action(state, action, client_id)
        }
    }
}

fn row_action(state: &mut State, action: Action, client_id: String) -> Outcome {
    match action {
        Action::DeleteSelected => {
            Outcome::then(Action::Confirm(Box::new(Action::DeleteApp { client_id })))
        }
        Action::RotateSelectedSecret => {
            let Some(app) = state.apps.get(&client_id) else {
                return Outcome::done();
            };
            if !app.platform.is_confidential() {
                let message = format!("{} apps have no secret to rotate", app.platform.label());
                state.toast(ToastKind::Error, message);
                return Outcome::done();
            }
            Outcome::then(Action::Confirm(Box::new(Action::RotateSecret {
                client_id,
            })))
        }
        Action::CopySelectedId => vec![Command::CopyToClipboard {
            text: client_id,
            what: "Client ID".into(),
        }]
        .into(),
        Action::CopyRedirectUrl => {
            let Some(app) = state.apps.get(&client_id) else {
                return Outcome::done();
            };
            match app.redirect_urls.first() {
                Some(url) => vec![Command::CopyToClipboard {
                    text: url.clone(),
                    what: "Redirect URL".into(),
                }]
                .into(),
                None => {
                    let message = format!("✗ {} has no redirect URL", app.name);
                    state.toast(ToastKind::Error, message);
                    Outcome::done()
                }
            }
        }
        _ => Outcome::done(),
    }
}
