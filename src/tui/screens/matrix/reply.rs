//! The answers to a matrix toggle: what taking a scope or grant away does to the
//! app's active tokens (asked first), then the change kept, or rolled back to the app
//! as it was.

use crate::domain::{AppPatch, ClientApp};
use crate::tui::action::{Action, Outcome};
use crate::tui::geometry::keep_cursors_visible;
use crate::tui::shared::{Connection, ToastKind};
use crate::tui::state::State;
use crate::worker::WorkerReply;

pub fn apply(state: &mut State, before: ClientApp, reply: WorkerReply) {
    let WorkerReply::AppUpdated { client_id, result } = reply else {
        return;
    };
    match result {
        Ok(app) => {
            state.connection = Connection::Connected;
            state.apps.upsert(app);
            keep_cursors_visible(state);
        }
        Err(e) => {
            state.note_connection(&e);
            let name = before.name.clone();
            if state.apps.get(&client_id).is_some() {
                state.apps.upsert(before);
                keep_cursors_visible(state);
            }
            state.toast(ToastKind::Error, format!("✗ {name} not changed: {e}"));
        }
    }
}

/// The count of active tokens a narrowing toggle affects: none, and it is saved at
/// once; some, and the admin is asked first, told how many lose what.
pub fn preview(
    state: &mut State,
    client_id: String,
    patch: AppPatch,
    reply: WorkerReply,
) -> Outcome {
    let WorkerReply::AppChangeImpact { result, .. } = reply else {
        return Outcome::done();
    };
    match result {
        Ok(impact) if impact.affected_tokens == 0 => Outcome::then(Action::PatchApp {
            client_id,
            patch,
            impact: None,
        }),
        Ok(impact) => Outcome::then(Action::Confirm(Box::new(Action::PatchApp {
            client_id,
            patch,
            impact: Some(impact),
        }))),
        Err(e) => {
            state.note_connection(&e);
            let name = state.app_label(&client_id);
            state.toast(
                ToastKind::Error,
                format!("✗ {name} not changed: its active tokens could not be counted: {e}"),
            );
            Outcome::done()
        }
    }
}
