//! Everything the console shows, as plain data. `update` changes it; `render` reads it.

use super::action::{Action, Command, Tab};
use super::apps_view::AppsView;
use super::form::FormState;
use super::tokens_view::TokensView;
use crate::domain::ClientApp;
use crate::domain::wire::AppDetails;
use crate::worker::{RequestId, WorkerRequest};
use std::collections::HashMap;
use std::fmt;

/// Whether the server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Connected,
    Unreachable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Success,
    Error,
}

/// A short message in the footer that goes away by itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    pub kind: ToastKind,
    pub text: String,
    /// Unix second at which it disappears.
    pub expires_at: i64,
}

/// How long toasts stay, in seconds.
pub const TOAST_SECONDS: i64 = 4;

/// A client secret, held only by the modal that shows it once. Never printed by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(secret: String) -> Secret {
        Secret(secret)
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// A dialog that takes the keys until it closes.
#[derive(Debug, Clone)]
pub enum Modal {
    /// Asks before `action` runs. `active_tokens` is filled in when the answer arrives
    /// for dialogs that name them.
    Confirm {
        action: Box<Action>,
        active_tokens: Option<u64>,
    },
    /// A new client secret, shown this once.
    Secret {
        client_id: String,
        app_name: String,
        secret: Secret,
        /// True after a rotation (the old secret may still work for a while).
        rotated: bool,
    },
    /// Every field of one app; `details` arrives from the server.
    Details {
        client_id: String,
        details: Option<AppDetails>,
    },
}

/// The loads whose older answers are dropped when a newer request exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LoadKind {
    WhoAmI,
    Apps,
    Details,
    Tokens,
    Audit,
}

/// What an answer in flight belongs to.
#[derive(Debug, Clone)]
pub enum Pending {
    Load(LoadKind),
    SaveForm,
    /// A matrix toggle: the app as it was, to roll back to if the server refuses.
    Patch {
        before: Box<ClientApp>,
    },
    Delete,
    RotateSecret,
    Revoke,
    EndGrace,
    /// Token flows: a flow, or a refresh / introspection / revocation.
    TokenFlow,
}

/// Request ids handed out, and the answers still awaited.
#[derive(Debug, Clone, Default)]
pub struct Requests {
    next_id: RequestId,
    latest: HashMap<LoadKind, RequestId>,
    pub in_flight: HashMap<RequestId, Pending>,
}

impl Requests {
    /// Tags `request` with a fresh id and remembers what its answer is for.
    pub fn send(&mut self, request: WorkerRequest, pending: Pending) -> Command {
        self.next_id += 1;
        let id = self.next_id;
        if let Pending::Load(kind) = &pending {
            self.latest.insert(*kind, id);
        }
        self.in_flight.insert(id, pending);
        Command::Worker(id, request)
    }

    /// Takes the record of an answer; `None` when it is unknown or stale (a newer
    /// request of the same kind was sent since).
    pub fn take(&mut self, id: RequestId) -> Option<Pending> {
        let pending = self.in_flight.remove(&id)?;
        if let Pending::Load(kind) = &pending
            && self.latest.get(kind) != Some(&id)
        {
            return None;
        }
        Some(pending)
    }

    pub fn busy(&self) -> bool {
        !self.in_flight.is_empty()
    }
}

/// The scopes & grants matrix: a cursor over apps × 9 columns.
#[derive(Debug, Clone, Default)]
pub struct MatrixView {
    pub cursor: super::cursor::Cursor,
    /// 0–3 the scopes, 4–8 the grant types.
    pub column: usize,
}

pub const MATRIX_COLUMNS: usize = 9;

#[derive(Debug)]
pub struct State {
    /// Unix seconds, from the last tick.
    pub now: i64,
    /// Ticks seen; animates the spinner.
    pub ticks: u64,
    /// The terminal size, from the last resize: the mouse and paging need it.
    pub width: u16,
    pub height: u16,
    pub server_label: String,
    /// `NO_COLOR`: draw with modifiers only.
    pub monochrome: bool,
    pub connection: Connection,
    /// The admin key may only read: writing keys say so instead of acting.
    pub read_only: bool,
    pub tab: Tab,
    pub apps: AppsView,
    pub matrix: MatrixView,
    pub tokens: TokensView,
    pub form: Option<FormState>,
    pub modal: Option<Modal>,
    pub help_open: bool,
    pub toast: Option<Toast>,
    pub requests: Requests,
    pub quit: bool,
    // Operator features; the runtime sets them with `apply_config`.
    /// The keys rebound in the config file.
    pub keys: super::keymap_overrides::KeyOverrides,
    /// The colour theme; `monochrome` above overrides it.
    pub theme: crate::config::ThemeName,
    /// The profile in use, named in the header.
    pub profile: Option<String>,
    /// Read-only by choice (`--read-only`, the config, the profile): stays on whatever
    /// the admin key may do.
    pub read_only_by_choice: bool,
    pub palette: Option<super::palette::PaletteState>,
    pub audit: super::audit_view::AuditView,
    /// Token flows: the Get token dialogs and this session's tokens.
    pub flows: super::token_flow::TokenFlows,
}

impl State {
    pub fn new(server_label: impl Into<String>, now: i64, monochrome: bool) -> State {
        State {
            now,
            ticks: 0,
            width: 80,
            height: 24,
            server_label: server_label.into(),
            monochrome,
            connection: Connection::Connecting,
            read_only: false,
            tab: Tab::ClientApps,
            apps: AppsView::default(),
            matrix: MatrixView::default(),
            tokens: TokensView::default(),
            form: None,
            modal: None,
            help_open: false,
            toast: None,
            requests: Requests::default(),
            quit: false,
            keys: Default::default(),
            theme: Default::default(),
            profile: None,
            read_only_by_choice: false,
            palette: None,
            audit: Default::default(),
            flows: Default::default(),
        }
    }

    pub fn toast(&mut self, kind: ToastKind, text: impl Into<String>) {
        self.toast = Some(Toast {
            kind,
            text: text.into(),
            expires_at: self.now + TOAST_SECONDS,
        });
    }

    /// Whether the runtime should keep its 1 s tick running: something counts down or
    /// animates.
    pub fn wants_tick(&self) -> bool {
        self.toast.is_some()
            || self.requests.busy()
            || self.tab == Tab::ActiveTokens
            || self.grace_counting_down()
    }

    /// Details show an old secret's grace period counting down.
    fn grace_counting_down(&self) -> bool {
        match &self.modal {
            Some(Modal::Details { client_id, details }) => details
                .as_ref()
                .map(|d| &d.app)
                .or_else(|| self.apps.get(client_id))
                .and_then(|app| app.previous_secret_expires_at)
                .is_some_and(|until| until > self.now),
            _ => false,
        }
    }
}
