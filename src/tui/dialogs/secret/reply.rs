//! The new secret after a rotation: shown once, and the app's grace period noted.

use crate::tui::shared::Connection;
use crate::tui::state::State;
use crate::worker::WorkerReply;

pub fn apply(state: &mut State, reply: WorkerReply) {
    let WorkerReply::SecretRotated(result) = reply else {
        return;
    };
    match result {
        Ok(rotated) => {
            state.connection = Connection::Connected;
            // The old secret's grace period, for the dialogs that count it down.
            let mut name = String::new();
            if let Some(mut app) = state.apps.get(&rotated.client_id).cloned() {
                name = app.name.clone();
                app.previous_secret_expires_at = rotated.previous_secret_expires_at;
                state.apps.upsert(app);
            }
            state
                .flows
                .remember_secret(&rotated.client_id, &rotated.client_secret);
            state.show_secret(rotated.client_id, name, rotated.client_secret, true);
        }
        Err(e) => state.failed("Secret not rotated", &e),
    }
}
