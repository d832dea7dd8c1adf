//! The Active tokens tab: revoking the selected token, or every token of its app (both
//! ask first, then write).

use crate::tui::action::{Action, Outcome};
use crate::tui::shared::{Pending, ToastKind};
use crate::tui::state::State;
use crate::worker::WorkerRequest;

pub fn update(state: &mut State, action: Action) -> Outcome {
    match action {
        Action::RevokeSelectedToken => match state.tokens.selected() {
            Some(token) if token.is_active(state.now) => {
                let token_id = token.id.clone();
                Outcome::then(Action::Confirm(Box::new(Action::RevokeToken { token_id })))
            }
            Some(_) => {
                state.toast(ToastKind::Error, "That token is no longer active");
                Outcome::done()
            }
            None => Outcome::done(),
        },
        Action::RevokeSelectedAppTokens => match state.tokens.selected() {
            Some(token) => {
                let client_id = token.client_id.clone();
                Outcome::then(Action::Confirm(Box::new(Action::RevokeAppTokens {
                    client_id,
                })))
            }
            None => Outcome::done(),
        },
        Action::RevokeToken { token_id } => state
            .send_write(WorkerRequest::RevokeToken { token_id }, Pending::Revoke)
            .into(),
        Action::RevokeAppTokens { client_id } => state
            .send_write(
                WorkerRequest::RevokeAppTokens { client_id },
                Pending::Revoke,
            )
            .into(),
        _ => Outcome::done(),
    }
}
