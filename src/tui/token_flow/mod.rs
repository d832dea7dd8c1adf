//! "Get token" in the console: the dialog that starts a flow for an app, the
//! screens that wait for a browser or a device, and the tokens obtained this session.
//! Plain data here; `setup`, `waiting` and `session` change it; `view::flow` draws it.

mod masked;
mod replies;
mod session;
mod setup;
mod waiting;

pub use masked::MaskedInput;
pub use replies::{apply_reply, is_flow_reply};
pub use session::SessionToken;

use super::action::{Action, Command, Tab};
use super::state::State;
use crate::api::flows::{FlowKind, Introspection, SecretString};
use crate::domain::{Platform, Scope};
use crate::worker::{FlowId, RedirectCapture, RequestId};
use std::collections::HashMap;

/// Everything the user can do with token flows; the keymap names these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlowAction {
    /// `t`: open the Get token dialog for the selected app.
    Open,
    NextField,
    PrevField,
    /// ←/→ on the flow row: another flow.
    CycleFlow(i8),
    /// Space on a scope row.
    Toggle,
    /// Enter in the dialog: run the flow.
    Start,
    /// `y` while waiting: copy the authorize URL / verification URL.
    CopyUrl,
    /// `c` on the device screen: copy the user code.
    CopyUserCode,
    /// `o` while waiting: open the browser, when that can work here.
    OpenBrowser,
    /// Tab / `p` while waiting in paste mode: into (or out of) the paste field.
    FocusPaste,
    /// Enter in the paste field: send the pasted URL.
    SubmitPaste,
    /// Esc: cancel the flow or close the dialog.
    Cancel,
    /// `s` on the Active tokens tab: move between this session's tokens and the list.
    ToggleSessionFocus,
    CopyAccessToken,
    Refresh,
    Introspect,
    Revoke,
}

/// Which row of the Get token dialog has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetupFocus {
    Flow,
    Scope(usize),
    Secret,
    Start,
}

/// The Get token dialog, before the flow starts.
#[derive(Debug, Clone)]
pub struct FlowSetup {
    pub client_id: String,
    pub app_name: String,
    pub platform: Platform,
    pub flows: Vec<FlowKind>,
    pub flow: usize,
    /// The app's scopes, each with whether to ask for it.
    pub scopes: Vec<(Scope, bool)>,
    pub focus: SetupFocus,
    pub secret: MaskedInput,
    /// The console saw this app's secret earlier in this run: no need to type it.
    pub secret_known: bool,
    /// Why Enter did not start the flow.
    pub problem: Option<String>,
}

impl FlowSetup {
    pub fn kind(&self) -> Option<FlowKind> {
        self.flows.get(self.flow).copied()
    }

    pub fn asks_secret(&self) -> bool {
        !self.secret_known && self.kind().is_some_and(|k| k.needs_secret(self.platform))
    }

    pub fn chosen_scopes(&self) -> Vec<Scope> {
        self.scopes
            .iter()
            .filter(|(_, on)| *on)
            .map(|(s, _)| *s)
            .collect()
    }

    /// Whether keys go into the secret field.
    pub fn editing_text(&self) -> bool {
        self.focus == SetupFocus::Secret && self.asks_secret()
    }
}

/// What a running flow needs to remember once it has tokens.
#[derive(Debug, Clone)]
pub struct RunningFlow {
    pub flow_id: FlowId,
    pub kind: FlowKind,
    pub client_id: String,
    pub app_name: String,
    /// The secret the flow was started with: kept for refresh and revocation.
    pub secret: Option<SecretString>,
}

/// The authorization code (or implicit) flow, waiting for the browser.
#[derive(Debug, Clone)]
pub struct WaitingBrowser {
    pub flow: RunningFlow,
    /// Filled in by `AuthorizationUrl`.
    pub url: Option<String>,
    pub capture: Option<RedirectCapture>,
    pub expires_at: Option<i64>,
    pub legacy: bool,
    pub paste: MaskedInput,
    pub paste_focused: bool,
    /// Why the last pasted URL was refused.
    pub rejected: Option<String>,
}

/// How the polling of a device flow goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollStatus {
    Waiting,
    Pending { interval: u64 },
    SlowDown { interval: u64 },
    Retrying { interval: u64, reason: String },
}

/// The device flow, waiting for someone to approve the code.
#[derive(Debug, Clone)]
pub struct DeviceWait {
    pub flow: RunningFlow,
    /// `None` until `DeviceCode` arrives.
    pub code: Option<DeviceCodeShown>,
    pub status: PollStatus,
}

#[derive(Debug, Clone)]
pub struct DeviceCodeShown {
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: Option<String>,
    pub expires_at: i64,
}

/// The RFC 7662 answer about a session token.
#[derive(Debug, Clone)]
pub struct IntrospectionShown {
    /// The request whose answer this dialog waits for; older answers are dropped.
    pub request: RequestId,
    pub app_name: String,
    /// `None` while the answer is on its way.
    pub answer: Option<Result<Introspection, String>>,
}

/// The dialog over the tabs, if any.
#[derive(Debug, Clone)]
pub enum FlowDialog {
    Setup(FlowSetup),
    Browser(WaitingBrowser),
    Device(DeviceWait),
    /// Client credentials: one request, nothing to show but that it runs.
    Requesting(RunningFlow),
    Introspection(IntrospectionShown),
}

impl FlowDialog {
    pub fn flow_id(&self) -> Option<FlowId> {
        match self {
            FlowDialog::Browser(w) => Some(w.flow.flow_id),
            FlowDialog::Device(d) => Some(d.flow.flow_id),
            FlowDialog::Requesting(f) => Some(f.flow_id),
            _ => None,
        }
    }
}

/// What a refresh, introspection or revocation in flight is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionOp {
    Refresh { session_id: u64 },
    Introspect,
    Revoke { session_id: u64 },
}

/// The console's token-flow state: lives in `State::flows`. Its `Debug` shows no secret
/// or token (`SecretString` and `MaskedInput` print `***`).
#[derive(Debug, Clone, Default)]
pub struct TokenFlows {
    pub dialog: Option<FlowDialog>,
    /// Tokens obtained in this run, newest first.
    pub session: Vec<SessionToken>,
    /// Position in `session` of the selected token.
    pub selected: usize,
    /// The Active tokens tab's keys act on `session` rather than the list.
    pub session_focus: bool,
    /// Client secrets seen in this run (after create or rotate), by client ID. Memory
    /// only: never written anywhere.
    pub known_secrets: HashMap<String, SecretString>,
    /// Set by the runtime from `api::flows::should_open_browser`.
    pub can_open_browser: bool,
    pub ops: HashMap<RequestId, SessionOp>,
    next_session_id: u64,
}

impl TokenFlows {
    pub fn remember_secret(&mut self, client_id: &str, secret: &str) {
        self.known_secrets
            .insert(client_id.to_string(), SecretString::new(secret));
    }

    fn next_session_id(&mut self) -> u64 {
        self.next_session_id += 1;
        self.next_session_id
    }

    pub fn selected_token(&self) -> Option<&SessionToken> {
        self.session.get(self.selected)
    }
}

/// Whether a token-flow dialog is open (it takes the keys).
pub fn dialog_open(state: &State) -> bool {
    state.flows.dialog.is_some()
}

/// Whether unbound keys go into a text field of the token-flow dialog.
pub fn editing_text(state: &State) -> bool {
    match &state.flows.dialog {
        Some(FlowDialog::Setup(setup)) => setup.editing_text(),
        Some(FlowDialog::Browser(waiting)) => waiting.paste_focused,
        _ => false,
    }
}

/// The one entry from `update` for `Action::Flow`.
pub fn update(state: &mut State, action: FlowAction) -> Vec<Command> {
    use FlowAction as F;
    match action {
        F::Open => setup::open(state),
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
    }
}

/// Takes the actions a token-flow screen handles itself before `update` sees them:
/// typing into its fields, Esc, and moving in this session's tokens.
pub fn intercept(state: &mut State, action: &Action) -> Option<Vec<Command>> {
    match action {
        Action::EditKey(key) if editing_text(state) => {
            edit_field(state, |input| input.key(*key));
            Some(Vec::new())
        }
        Action::Paste(text) if editing_text(state) => {
            let text = text.clone();
            edit_field(state, |input| input.paste(&text));
            Some(Vec::new())
        }
        Action::Back if dialog_open(state) => Some(waiting::cancel(state)),
        // The dialog is over the table: the pointer must not act on rows beneath it.
        Action::MouseMoved { .. }
        | Action::MouseClicked { .. }
        | Action::ScrollUp
        | Action::ScrollDown
            if dialog_open(state) =>
        {
            Some(Vec::new())
        }
        Action::MoveUp | Action::MoveDown
            if state.tab == Tab::ActiveTokens
                && state.flows.session_focus
                && !dialog_open(state)
                && state.modal.is_none()
                && !state.help_open =>
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
            Some(Vec::new())
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

/// How many rows this session's tokens take on top of the Active tokens tab.
pub fn session_height(state: &State) -> u16 {
    if state.flows.session.is_empty() {
        return 0;
    }
    let rows = state.flows.session.len().min(4) as u16;
    rows + 3
}

/// The part of the Active tokens body the token list keeps below this session's tokens.
pub fn tokens_list_body(state: &State, body: ratatui::layout::Rect) -> ratatui::layout::Rect {
    let top = session_height(state).min(body.height.saturating_sub(6));
    ratatui::layout::Rect::new(body.x, body.y + top, body.width, body.height - top)
}
