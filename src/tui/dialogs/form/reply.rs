//! The server's answer to saving the form: the app created (with its secret, shown
//! once) or saved, or the reasons it refused, beside the fields they name.

use super::state::FormMode;
use crate::api::ApiError;
use crate::tui::geometry::keep_cursors_visible;
use crate::tui::shared::{Connection, ToastKind};
use crate::tui::state::State;
use crate::worker::WorkerReply;

pub fn apply(state: &mut State, reply: WorkerReply) {
    match reply {
        WorkerReply::AppCreated(result) => match result {
            Ok(created) => {
                state.connection = Connection::Connected;
                state.form = None;
                let name = created.app.name.clone();
                let client_id = created.app.client_id.clone();
                state.apps.upsert(created.app);
                keep_cursors_visible(state);
                state.toast(ToastKind::Success, format!("✓ Created {name}"));
                if let Some(secret) = created.client_secret {
                    state.flows.remember_secret(&client_id, &secret);
                    state.show_secret(client_id, name, secret, false);
                }
            }
            Err(e) => refused(state, e),
        },
        WorkerReply::AppUpdated { result, .. } => match result {
            Ok(app) => {
                state.connection = Connection::Connected;
                // Only the form's own save closes it.
                if state.form.as_ref().is_some_and(|f| f.saving) {
                    state.form = None;
                    state.toast(ToastKind::Success, format!("✓ Saved {}", app.name));
                }
                state.apps.upsert(app);
                keep_cursors_visible(state);
            }
            Err(e) => refused(state, e),
        },
        _ => {}
    }
}

/// The server refused the form: its reasons go beside the fields they name.
fn refused(state: &mut State, error: ApiError) {
    state.note_connection(&error);
    match &mut state.form {
        Some(form) => {
            form.saving = false;
            form.show_errors = true;
            if let ApiError::Server { violations, .. } = &error
                && !violations.is_empty()
            {
                form.violations = violations.clone();
            }
            form.server_error = Some(error.to_string());
            state.toast(ToastKind::Error, "✗ Not saved: the server refused");
        }
        None => state.toast(ToastKind::Error, format!("✗ Not saved: {error}")),
    }
}

/// The server's count of the active tokens the edit affects; a stale count (the edit
/// changed since it was asked) was dropped by its request id.
pub fn impact(state: &mut State, reply: WorkerReply) {
    let WorkerReply::AppChangeImpact { client_id, result } = reply else {
        return;
    };
    if let Err(e) = &result {
        state.note_connection(e);
    }
    if let Some(form) = &mut state.form
        && form.mode == (FormMode::Edit { client_id })
        && let Some(preview) = &mut form.impact
    {
        preview.answer = Some(result.map_err(|e| e.to_string()));
    }
}
