//! The Active tokens tab: revoking the selected token, or every token of its app (both
//! ask first, then write).

use crate::domain::GrantType;
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
        Action::RevokeSelectedSubjectTokens => {
            // The user the list is filtered by, else the selected token's user.
            let subject = match (&state.tokens.subject, state.tokens.selected()) {
                (Some(subject), _) => Some(subject.clone()),
                (None, Some(token)) if token.grant != GrantType::ClientCredentials => {
                    Some(token.subject.clone())
                }
                (None, Some(_)) => {
                    let why = "That token was issued to an app, not to a user";
                    state.toast(ToastKind::Error, why);
                    return Outcome::done();
                }
                (None, None) => None,
            };
            match subject {
                Some(username) => {
                    Outcome::then(Action::Confirm(Box::new(Action::RevokeUserTokens {
                        username,
                    })))
                }
                None => Outcome::done(),
            }
        }
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
