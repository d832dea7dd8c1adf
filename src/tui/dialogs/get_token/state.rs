//! The Get token dialogs' state: the setup dialog, the screens that wait for a browser
//! or a device, the introspection answer, and the tokens obtained this session. Lives
//! in `State::flows`; its `Debug` shows no secret or token.

use crate::api::flows::{FlowKind, Introspection, IssuedTokens, SecretString};
use crate::domain::{Platform, Scope};
use crate::tui::kit::masked::MaskedInput;
use crate::worker::{FlowId, RedirectCapture, RequestId};
use std::collections::HashMap;

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

    pub fn next_session_id(&mut self) -> u64 {
        self.next_session_id += 1;
        self.next_session_id
    }

    /// Whether unbound keys go into a text field of the dialog.
    pub fn editing_text(&self) -> bool {
        match &self.dialog {
            Some(FlowDialog::Setup(setup)) => setup.editing_text(),
            Some(FlowDialog::Browser(waiting)) => waiting.paste_focused,
            _ => false,
        }
    }

    pub fn selected_token(&self) -> Option<&SessionToken> {
        self.session.get(self.selected)
    }
}

/// One set of tokens a flow of this console obtained. `Debug` shows no token or secret.
#[derive(Debug, Clone)]
pub struct SessionToken {
    /// Local number, stable while the list changes.
    pub id: u64,
    pub client_id: String,
    pub app_name: String,
    pub kind: FlowKind,
    pub tokens: IssuedTokens,
    /// Unix seconds.
    pub obtained_at: i64,
    /// The secret the flow used, for refresh and revocation as the client.
    pub secret: Option<SecretString>,
    /// Revoked through RFC 7009 by this console.
    pub revoked: bool,
    /// How many times it was refreshed.
    pub refreshes: u32,
}

impl SessionToken {
    pub fn is_active(&self, now: i64) -> bool {
        !self.revoked && self.tokens.expires_at.is_none_or(|at| at > now)
    }
}
