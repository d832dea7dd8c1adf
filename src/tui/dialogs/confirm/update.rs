//! Destructive actions are a round trip: `Confirm(action)` opens the dialog holding the
//! action, `Confirmed` closes it and hands the action back to the dispatcher.

use crate::tui::action::{Action, Outcome};
use crate::tui::state::{Modal, State};

/// Opens the confirm dialog for `action`; for a delete, also asks how many tokens go.
pub fn open(state: &mut State, action: Action) -> Outcome {
    if !matches!(action, Action::DiscardForm) && state.refuse_when_read_only() {
        return Outcome::done();
    }
    let mut commands = Vec::new();
    if let Action::DeleteApp { client_id } = &action {
        commands.push(state.requests.load_details(client_id));
    }
    state.modal = Some(Modal::Confirm {
        action: Box::new(action),
        active_tokens: None,
    });
    commands.into()
}

/// `y`: closes the dialog and runs what it held.
pub fn confirmed(state: &mut State) -> Outcome {
    match state.modal.take() {
        Some(Modal::Confirm { action, .. }) => Outcome::then(*action),
        other => {
            state.modal = other;
            Outcome::done()
        }
    }
}
