//! `update(&mut State, Action) -> Vec<Command>`: the only place the state changes, and
//! the one dispatcher. No I/O here: what needs the outside world comes back as a
//! `Command`. The dispatcher owns the read-only gate, asks `State::layer()` what is on
//! top, resolves the app under the cursor once, and runs the follow-up actions the
//! handlers hand back (handlers never call `update`).

use super::{mouse, navigation, replies, typing};
use crate::tui::action::{Action, Command, FlowAction, Outcome, Tab};
use crate::tui::dialogs::{
    confirm, details, form, get_token, palette, prompt, secret, user_details,
};
use crate::tui::geometry::keep_cursors_visible;
use crate::tui::screens::{apps, audit, matrix, tokens, users};
use crate::tui::shared::{LoadKind, Pending, ToastKind};
use crate::tui::state::{Layer, State};
use crate::worker::WorkerRequest;
use std::collections::VecDeque;

/// The first requests: who we are and the apps.
pub fn start(state: &mut State) -> Vec<Command> {
    vec![
        state
            .requests
            .send(WorkerRequest::WhoAmI, Pending::Load(LoadKind::WhoAmI)),
        state.requests.load_apps(),
    ]
}

pub fn update(state: &mut State, action: Action) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut queue = VecDeque::from([action]);
    while let Some(action) = queue.pop_front() {
        let outcome = dispatch(state, action);
        commands.extend(outcome.commands);
        // Follow-ups run next, in order, each through the gate again.
        for follow_up in outcome.then.into_iter().rev() {
            queue.push_front(follow_up);
        }
    }
    // The form's count of the tokens its edit affects follows the edit.
    commands.extend(form::impact::refresh(state));
    commands
}

fn dispatch(state: &mut State, action: Action) -> Outcome {
    // The read-only gate: every writing action is refused here, however it was
    // invoked (key, mouse, palette, a confirm dialog).
    if action.is_write() && state.refuse_when_read_only() {
        return Outcome::done();
    }
    // A Get token dialog takes typing, Esc and the pointer first.
    if let Some(outcome) = get_token::update::intercept(state, &action) {
        return outcome;
    }
    match action {
        Action::Quit => {
            state.quit = true;
            vec![Command::Quit].into()
        }
        Action::Tick { now } => {
            state.now = now;
            state.ticks = state.ticks.wrapping_add(1);
            if state.toast.as_ref().is_some_and(|t| now >= t.expires_at) {
                state.toast = None;
            }
            Outcome::done()
        }
        Action::Resize { width, height } => {
            state.width = width;
            state.height = height;
            keep_cursors_visible(state);
            Outcome::done()
        }
        Action::ToggleHelp => {
            state.help_open = !state.help_open;
            Outcome::done()
        }
        Action::Back => back(state),
        Action::NextTab => navigation::switch_tab(state, 1),
        Action::PrevTab => navigation::switch_tab(state, -1),
        Action::GoToTab(tab) => navigation::go_to_tab(state, tab),
        Action::Refresh => navigation::refresh(state),
        Action::MoveUp => navigation::move_rows(state, -1),
        Action::MoveDown => navigation::move_rows(state, 1),
        Action::ScrollUp => navigation::move_rows(state, -3),
        Action::ScrollDown => navigation::move_rows(state, 3),
        Action::PageUp => navigation::move_pages(state, -1),
        Action::PageDown => navigation::move_pages(state, 1),
        Action::First => navigation::move_rows(state, isize::MIN / 2),
        Action::Last => navigation::move_rows(state, isize::MAX / 2),
        Action::MoveLeft => navigation::move_sideways(state, -1),
        Action::MoveRight => navigation::move_sideways(state, 1),
        Action::StartFilter | Action::AcceptFilter | Action::EditKey(_) | Action::Paste(_) => {
            typing::update(state, action)
        }
        Action::NewApp | Action::EditSelected => {
            let target = target_app_id(state);
            form::update::open(state, action, target)
        }
        Action::FormNext
        | Action::FormPrev
        | Action::FormActivate
        | Action::FormToggle
        | Action::FormSave
        | Action::FormRemoveUrl
        | Action::DiscardForm => form::update::update(state, action),
        Action::OpenDetails | Action::EndSelectedSecretGrace | Action::EndSecretGrace { .. } => {
            let target = target_app_id(state);
            details::update::update(state, action, target)
        }
        Action::CycleSort if state.tab == Tab::Users => users::update::update(state, action, None),
        Action::DeleteSelected
        | Action::RotateSelectedSecret
        | Action::CopySelectedId
        | Action::CopyRedirectUrl
        | Action::CycleSort
        | Action::DeleteApp { .. } => {
            let target = target_app_id(state);
            apps::update::update(state, action, target)
        }
        Action::ToggleCell => matrix::update::toggle_cell(state),
        Action::PatchApp {
            client_id, patch, ..
        } => matrix::update::save_patch(state, client_id, patch),
        Action::RevokeSelectedToken
        | Action::RevokeSelectedSubjectTokens
        | Action::RevokeSelectedAppTokens
        | Action::RevokeToken { .. }
        | Action::RevokeAppTokens { .. } => tokens::update::update(state, action),
        Action::OpenAuditRecord => audit::update::open_record(state),
        Action::ToggleSelectedUser
        | Action::RevokeSelectedUserTokens
        | Action::DeleteSelectedUser
        | Action::ShowSelectedUserTokens
        | Action::SetUserDisabled { .. }
        | Action::RevokeUserTokens { .. }
        | Action::DeleteUser { .. }
        | Action::RevokeUserGrant { .. } => {
            let target = target_username(state);
            users::update::update(state, action, target)
        }
        Action::OpenUserDetails => match target_username(state) {
            Some(username) => user_details::update::open(state, username),
            None => Outcome::done(),
        },
        Action::RevokeSelectedGrant => user_details::update::ask_revoke_grant(state),
        Action::ResetSelectedUserPassword => match target_username(state) {
            Some(username) => prompt::update::ask_password(state, username),
            None => Outcome::done(),
        },
        Action::SubmitPassword => prompt::update::submit_password(state),
        Action::PromptUserFilter => prompt::update::ask_user_filter(state),
        Action::ApplyUserFilter => prompt::update::apply_user_filter(state),
        Action::ShowTokensOf { subject } => navigation::show_tokens_of(state, subject),
        Action::AutoRefresh => navigation::auto_refresh(state),
        Action::Suspend => vec![Command::Suspend].into(),
        Action::Confirm(action) => confirm::update::open(state, *action),
        Action::Confirmed => confirm::update::confirmed(state),
        Action::RotateSecret { .. } | Action::CopySecretModalId | Action::CopySecretModalSecret => {
            secret::update::update(state, action)
        }
        Action::OpenPalette | Action::PaletteRun => palette::update::update(state, action),
        Action::MouseMoved { column, row } => mouse::hover(state, column, row),
        Action::MouseClicked { column, row } => mouse::click(state, column, row),
        Action::Clipboard(outcome) => {
            match outcome.result {
                Ok(how) => state.toast(
                    ToastKind::Success,
                    format!("✓ {} copied ({how})", outcome.what),
                ),
                Err(why) => state.toast(
                    ToastKind::Error,
                    format!("✗ {} not copied: {why}", outcome.what),
                ),
            }
            Outcome::done()
        }
        Action::WorkerReply(id, reply) => replies::apply(state, id, reply),
        Action::Flow(action) => {
            let target = target_app_id(state);
            get_token::update::update(state, action, target)
        }
    }
}

/// The user under the cursor (or in the details dialog): resolved here, once.
fn target_username(state: &State) -> Option<String> {
    state.target_user().map(str::to_string)
}

/// The app under the cursor, as the app-level keys see it: resolved here, once.
fn target_app_id(state: &State) -> Option<String> {
    state.target_app().map(|app| app.client_id.clone())
}

/// Esc: closes what is on top; on a tab, stops filtering and clears the filter.
fn back(state: &mut State) -> Outcome {
    match state.layer() {
        Layer::Help => state.help_open = false,
        // The palette closes without running anything.
        Layer::Palette => state.palette = None,
        Layer::GetToken => return get_token::update::update(state, FlowAction::Cancel, None),
        Layer::AuditRecord => state.audit.record_open = false,
        // Leaving a dialog; the secret dialog's secret is dropped right here.
        Layer::Modal => state.modal = None,
        Layer::UserDetails => state.user_details = None,
        Layer::Form => return form::update::leave(state),
        Layer::Filter | Layer::Tab => return typing::clear_filter(state),
    }
    Outcome::done()
}
