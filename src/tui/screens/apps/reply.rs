//! The worker's answers about the list of apps: the list itself and a deletion.

use crate::tui::geometry::keep_cursors_visible;
use crate::tui::shared::{Connection, ToastKind};
use crate::tui::state::State;
use crate::worker::WorkerReply;

pub fn apply(state: &mut State, reply: WorkerReply) {
    match reply {
        WorkerReply::Apps(result) => match result {
            Ok(apps) => {
                state.connection = Connection::Connected;
                // The matrix keeps its row on the same app too.
                let matrix_app = state
                    .apps
                    .row(state.matrix.cursor.selected)
                    .map(|a| a.client_id.clone());
                state.apps.set_listed(apps);
                if let Some(id) = matrix_app
                    && let Some(row) = state.apps.row_of(&id)
                {
                    state.matrix.cursor.selected = row;
                }
                state.tokens.rebuild_index(&state.apps);
                keep_cursors_visible(state);
            }
            Err(e) => state.failed("Could not load apps", &e),
        },
        WorkerReply::AppDeleted { client_id, result } => match result {
            Ok(()) => {
                state.connection = Connection::Connected;
                let name = state
                    .apps
                    .get(&client_id)
                    .map(|a| a.name.clone())
                    .unwrap_or_else(|| client_id.clone());
                state.apps.remove(&client_id);
                state.tokens.tokens.retain(|t| t.client_id != client_id);
                state.tokens.rebuild_index(&state.apps);
                keep_cursors_visible(state);
                state.toast(ToastKind::Success, format!("✓ Deleted {name}"));
            }
            Err(e) => state.failed("Not deleted", &e),
        },
        _ => {}
    }
}
