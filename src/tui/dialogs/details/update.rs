//! An app's details: opening them for the app under the cursor, and ending the old
//! secret's grace period early (asks first).

use crate::tui::action::{Action, Outcome};
use crate::tui::shared::{Pending, ToastKind};
use crate::tui::state::{Modal, State};
use crate::worker::WorkerRequest;

pub fn update(state: &mut State, action: Action, target: Option<String>) -> Outcome {
    match action {
        Action::OpenDetails => {
            let Some(client_id) = target else {
                return Outcome::done();
            };
            let command = state.requests.load_details(&client_id);
            state.modal = Some(Modal::Details {
                client_id,
                details: None,
            });
            vec![command].into()
        }
        Action::EndSelectedSecretGrace => ask_end_grace(state, target),
        Action::EndSecretGrace { client_id } => state
            .send_write(
                WorkerRequest::EndSecretGrace { client_id },
                Pending::EndGrace,
            )
            .into(),
        _ => Outcome::done(),
    }
}

fn ask_end_grace(state: &mut State, target: Option<String>) -> Outcome {
    // The details as loaded are fresher than the list.
    let shown = match &state.modal {
        Some(Modal::Details {
            details: Some(details),
            ..
        }) => Some(&details.app),
        _ => None,
    };
    let app = shown.or_else(|| target.as_ref().and_then(|id| state.apps.get(id)));
    let Some(app) = app else {
        return Outcome::done();
    };
    if app
        .previous_secret_expires_at
        .is_none_or(|until| until <= state.now)
    {
        state.toast(ToastKind::Error, "No old secret is still valid");
        return Outcome::done();
    }
    let client_id = app.client_id.clone();
    Outcome::then(Action::Confirm(Box::new(Action::EndSecretGrace {
        client_id,
    })))
}
