//! Everything the console shows, as plain data: each screen's and dialog's state, and
//! what they share. `update` changes it; `render` reads it. `layer()` says what is on
//! top.

use crate::api::flows::SecretString;
use crate::api::{ApiError, ServerHealth};
use crate::domain::ClientApp;
use crate::domain::wire::AppDetails;
use crate::tui::action::{Action, Command, Tab};
use crate::tui::dialogs::form::state::FormState;
use crate::tui::dialogs::get_token::state::TokenFlows;
use crate::tui::dialogs::palette::state::PaletteState;
use crate::tui::input::overrides::KeyOverrides;
use crate::tui::kit::text::safe;
use crate::tui::screens::apps::state::AppsView;
use crate::tui::screens::audit::state::AuditView;
use crate::tui::screens::matrix::state::MatrixView;
use crate::tui::screens::tokens::state::TokensView;
use crate::tui::shared::{Connection, Pending, Requests, TOAST_SECONDS, Toast, ToastKind};
use crate::worker::WorkerRequest;

/// What is on top, from the help overlay down to the tab itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    Help,
    Palette,
    /// A Get token dialog (setup, waiting, introspection).
    GetToken,
    /// One audit record, over the audit log.
    AuditRecord,
    /// Confirm, the secret shown once, or an app's details (`State::modal`).
    Modal,
    /// The app form, in place of the tab's body.
    Form,
    /// The tab, with its filter line taking the keys.
    Filter,
    Tab,
}

/// A dialog that takes the keys until it closes.
// One modal at a time: the size of the biggest variant (app details) costs nothing.
#[allow(clippy::large_enum_variant)]
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
        secret: SecretString,
        /// True after a rotation (the old secret may still work for a while).
        rotated: bool,
    },
    /// Every field of one app; `details` arrives from the server.
    Details {
        client_id: String,
        details: Option<AppDetails>,
    },
}

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
    /// What the last readiness check (`/readyz`, polled by the runtime) found.
    pub health: Option<ServerHealth>,
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
    // Set by the runtime from the config with `apply_config`.
    /// The keys rebound in the config file.
    pub keys: KeyOverrides,
    /// The colour theme; `monochrome` above overrides it.
    pub theme: crate::config::ThemeName,
    /// The profile in use, named in the header.
    pub profile: Option<String>,
    /// Read-only by choice (`--read-only`, the config, the profile): stays on whatever
    /// the admin key may do.
    pub read_only_by_choice: bool,
    pub palette: Option<PaletteState>,
    pub audit: AuditView,
    /// The Get token dialogs and this session's tokens.
    pub flows: TokenFlows,
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
            health: None,
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

    /// What is on top and takes the keys, the pointer and Esc: the one place that
    /// knows which dialog sits over which.
    pub fn layer(&self) -> Layer {
        if self.help_open {
            Layer::Help
        } else if self.palette.is_some() {
            Layer::Palette
        } else {
            self.screen_layer()
        }
    }

    /// What is on top under the help overlay and the palette: what they describe.
    pub fn screen_layer(&self) -> Layer {
        if self.flows.dialog.is_some() {
            Layer::GetToken
        } else if self.audit.record_open {
            Layer::AuditRecord
        } else if self.modal.is_some() {
            Layer::Modal
        } else if self.form.is_some() {
            Layer::Form
        } else if self.filter_editing() {
            Layer::Filter
        } else {
            Layer::Tab
        }
    }

    /// Whether the current tab's filter line takes the keys.
    pub fn filter_editing(&self) -> bool {
        match self.tab {
            Tab::ClientApps | Tab::ScopesAndGrants => self.apps.filter.editing,
            Tab::ActiveTokens => self.tokens.filter.editing,
            Tab::AuditLog => self.audit.filter.editing,
        }
    }

    /// The app the app-level keys act on: the one in the details dialog, else the
    /// selected row of the current tab (a token's app on Active tokens).
    pub fn target_app(&self) -> Option<&ClientApp> {
        if let Some(Modal::Details { client_id, .. }) = &self.modal {
            return self.apps.get(client_id);
        }
        match self.tab {
            Tab::ClientApps => self.apps.selected(),
            Tab::ScopesAndGrants => self.apps.row(self.matrix.cursor.selected),
            Tab::ActiveTokens => self
                .tokens
                .selected()
                .and_then(|t| self.apps.get(&t.client_id)),
            Tab::AuditLog => None,
        }
    }

    /// The read-only gate: true (and a toast saying why) when changes are refused.
    pub fn refuse_when_read_only(&mut self) -> bool {
        if self.read_only {
            let why = if self.read_only_by_choice {
                "Read-only mode: changes are turned off (--read-only, config or profile)"
            } else {
                "This admin key is read-only"
            };
            self.toast(ToastKind::Error, why);
        }
        self.read_only
    }

    /// Sends a request that writes, unless changes are refused.
    pub fn send_write(&mut self, request: WorkerRequest, pending: Pending) -> Vec<Command> {
        if self.refuse_when_read_only() {
            return Vec::new();
        }
        vec![self.requests.send(request, pending)]
    }

    /// A readiness check answered: the header shows it, and an answer at all means
    /// the server is in reach.
    pub fn observe_health(&mut self, health: ServerHealth) {
        self.connection = match health {
            ServerHealth::Unreachable => Connection::Unreachable,
            ServerHealth::Ready | ServerHealth::NotReady(_) => Connection::Connected,
        };
        self.health = Some(health);
    }

    /// Notes whether `error` means the server is out of reach.
    pub fn note_connection(&mut self, error: &ApiError) {
        self.connection = match error {
            ApiError::Unreachable { .. } => Connection::Unreachable,
            _ => Connection::Connected,
        };
    }

    /// A request failed: the connection state and a toast say so.
    pub fn failed(&mut self, what: &str, error: &ApiError) {
        self.note_connection(error);
        self.toast(ToastKind::Error, format!("✗ {what}: {error}"));
    }

    /// The value of an answer, or `None` after saying it failed.
    pub fn ok<T>(&mut self, result: Result<T, ApiError>) -> Option<T> {
        match result {
            Ok(value) => {
                self.connection = Connection::Connected;
                Some(value)
            }
            Err(e) => {
                self.failed("Request failed", &e);
                None
            }
        }
    }

    /// An app's name as dialogs show it (its client ID when the app is unknown).
    pub fn app_label(&self, client_id: &str) -> String {
        self.apps
            .get(client_id)
            .map(|a| safe(&a.name).into_owned())
            .unwrap_or_else(|| safe(client_id).into_owned())
    }

    /// Shows a new client secret, this once.
    pub fn show_secret(
        &mut self,
        client_id: String,
        app_name: String,
        secret: String,
        rotated: bool,
    ) {
        self.modal = Some(Modal::Secret {
            client_id,
            app_name,
            secret: SecretString::new(secret),
            rotated,
        });
    }
}
