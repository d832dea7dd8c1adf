//! The new secret, shown once: rotating an app's secret (after the confirm dialog), and
//! copying the client ID or the secret while the dialog is open.

use crate::tui::action::{Action, Command, Outcome};
use crate::tui::shared::Pending;
use crate::tui::state::{Modal, State};
use crate::worker::WorkerRequest;

pub fn update(state: &mut State, action: Action) -> Outcome {
    if let Action::RotateSecret { client_id } = action {
        return state
            .send_write(
                WorkerRequest::RotateSecret { client_id },
                Pending::RotateSecret,
            )
            .into();
    }
    let Some(Modal::Secret {
        client_id, secret, ..
    }) = &state.modal
    else {
        return Outcome::done();
    };
    let (text, what) = match action {
        Action::CopySecretModalId => (client_id.clone(), "Client ID"),
        Action::CopySecretModalSecret => (secret.expose().to_string(), "Client secret"),
        _ => return Outcome::done(),
    };
    vec![Command::CopyToClipboard {
        text,
        what: what.into(),
    }]
    .into()
}
