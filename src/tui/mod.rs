//! The console: state, actions, update, views, widgets.
//!
//! Data flows one way (DESIGN §4): terminal event → `Action` (`keymap::action_for_event`)
//! → `update(&mut State, Action) -> Vec<Command>` → the runtime sends commands to the
//! worker or the clipboard → their answers come back as `Action`s → `render(&State)`.

mod action;
mod apps_view;
mod audit_view;
mod browser;
mod cursor;
mod edits;
mod form;
pub mod keymap;
pub mod keymap_overrides;
pub mod layout;
pub(crate) mod operator;
mod palette;
mod replies;
mod state;
mod text;
mod theme;
mod token_flow;
mod tokens_view;
mod update;
mod view;

pub use action::{Action, ClipboardOutcome, Command, Tab};
pub use apps_view::{AppsView, FilterLine, SortKey};
pub use cursor::Cursor;
pub use form::{FormFocus, FormMode, FormState};
pub use state::{Connection, Modal, State, Toast, ToastKind};
pub use theme::Theme;
pub use token_flow::{FlowAction, FlowDialog, SessionToken, TokenFlows};
pub use tokens_view::TokensView;
pub use update::{start, update};
pub use view::render;
// Operator features.
pub use audit_view::AuditView;
pub use keymap_overrides::{KeyOverrides, KeyWarning};
pub use operator::{StartOptions, apply_config};
pub use palette::{PaletteEntry, PaletteState, entries as palette_entries};

pub mod clipboard;
mod event_loop;
pub mod terminal;

use crate::api::AdminClient;

/// What the console needs to start: a client of the server it administers, and how to
/// name that server in the header (e.g. `embedded · http://127.0.0.1:41823`).
pub struct TuiOptions {
    pub client: AdminClient,
    pub server_label: String,
    /// Changes are refused (`--read-only`, or a read-only profile); false by default.
    pub read_only: bool,
    /// The profile the server came from (`--profile` or the config's default), shown
    /// in the header; its `read_only` setting applies too.
    pub profile: Option<String>,
}

impl TuiOptions {
    pub fn new(client: AdminClient, server_label: String) -> TuiOptions {
        TuiOptions {
            client,
            server_label,
            read_only: false,
            profile: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error("the console needs a terminal: {0}")]
    NotATerminal(String),
    #[error("terminal error: {0}")]
    Terminal(#[from] std::io::Error),
}

/// Runs the console until the user quits. Restores the terminal on every exit path.
pub async fn run(options: TuiOptions) -> Result<(), TuiError> {
    event_loop::run(options).await
}
