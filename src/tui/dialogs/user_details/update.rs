//! Opening a user's details, and revoking one of their authorisations (asks first).

use super::state::UserDetailsState;
use crate::tui::action::{Action, Outcome};
use crate::tui::shared::ToastKind;
use crate::tui::state::State;

pub fn open(state: &mut State, username: String) -> Outcome {
    let command = state.requests.load_user_details(&username);
    state.user_details = Some(UserDetailsState::new(username));
    vec![command].into()
}

pub fn ask_revoke_grant(state: &mut State) -> Outcome {
    let Some(open) = &state.user_details else {
        return Outcome::done();
    };
    let Some(family_id) = open.selected_family() else {
        state.toast(ToastKind::Error, "No authorised app to revoke");
        return Outcome::done();
    };
    let action = Action::RevokeUserGrant {
        username: open.username.clone(),
        family_id: family_id.to_string(),
    };
    Outcome::then(Action::Confirm(Box::new(action)))
}
