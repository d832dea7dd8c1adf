//! The Get token dialogs in the dispatcher: the one entry for `Action::Flow`, and the
//! actions a dialog takes before anything else sees them (typing, Esc, the pointer).

use super::state::FlowDialog;
use super::{session, setup, waiting};
use crate::tui::action::{Action, FlowAction, Outcome, Tab};
use crate::tui::kit::masked::MaskedInput;
use crate::tui::state::{Layer, State};

/// The one entry from the dispatcher for `Action::Flow`; `target` is the app under the
/// cursor, for `Open`.
pub fn update(state: &mut State, action: FlowAction, target: Option<String>) -> Outcome {
    use FlowAction as F;
    let commands = match action {
        F::Open => setup::open(state, target),
        F::NextField => setup::move_focus(state, 1),
        F::PrevField => setup::move_focus(state, -1),
        F::CycleFlow(delta) => setup::cycle_flow(state, delta),
        F::Toggle => setup::toggle(state),
        F::Start => setup::start(state),
        F::CopyUrl => waiting::copy_url(state),
        F::CopyUserCode => waiting::copy_user_code(state),
        F::OpenBrowser => waiting::open_browser(state),
        F::FocusPaste => waiting::focus_paste(state),
        F::SubmitPaste => waiting::submit_paste(state),
        F::Cancel => waiting::cancel(state),
        F::ToggleSessionFocus => session::toggle_focus(state),
        F::CopyAccessToken => session::copy_access_token(state),
        F::Refresh => session::refresh(state),
        F::Introspect => session::introspect(state),
        F::Revoke => session::revoke(state),
    };
    commands.into()
}

/// Takes the actions a token-flow screen handles itself before `update` sees them:
/// typing into its fields, Esc, and moving in this session's tokens.
pub fn intercept(state: &mut State, action: &Action) -> Option<Outcome> {
    let dialog_open = state.flows.dialog.is_some();
    let editing_text = state.flows.editing_text();
    match action {
        Action::EditKey(key) if editing_text => {
            edit_field(state, |input| input.key(*key));
            Some(Outcome::done())
        }
        Action::Paste(text) if editing_text => {
            let text = text.clone();
            edit_field(state, |input| input.paste(&text));
            Some(Outcome::done())
        }
        Action::Back if dialog_open => Some(waiting::cancel(state).into()),
        // The dialog is over the table: the pointer must not act on rows beneath it.
        Action::MouseMoved { .. }
        | Action::MouseClicked { .. }
        | Action::ScrollUp
        | Action::ScrollDown
            if dialog_open =>
        {
            Some(Outcome::done())
        }
        // This session's tokens, when they have the focus and nothing is over the tab.
        Action::MoveUp | Action::MoveDown
            if state.tab == Tab::ActiveTokens
                && state.flows.session_focus
                && !matches!(
                    state.layer(),
                    Layer::Help | Layer::Palette | Layer::GetToken | Layer::Modal
                ) =>
        {
            let len = state.flows.session.len();
            if len > 0 {
                let at = state.flows.selected;
                state.flows.selected = if matches!(action, Action::MoveUp) {
                    at.saturating_sub(1)
                } else {
                    (at + 1).min(len - 1)
                };
            }
            Some(Outcome::done())
        }
        _ => None,
    }
}

fn edit_field(state: &mut State, edit: impl FnOnce(&mut MaskedInput)) {
    match &mut state.flows.dialog {
        Some(FlowDialog::Setup(setup)) => {
            edit(&mut setup.secret);
            setup.problem = None;
        }
        Some(FlowDialog::Browser(waiting)) => edit(&mut waiting.paste),
        _ => {}
    }
}
