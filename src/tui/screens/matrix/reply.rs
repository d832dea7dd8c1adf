//! The answer to a matrix toggle: kept, or rolled back to the app as it was.

use crate::domain::ClientApp;
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
