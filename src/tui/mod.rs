//! The console: a terminal administration console for OAuth client apps.
//!
//! Data flows one way (DESIGN §4): terminal event → `Action` (`keymap::action_for_event`)
//! → `update(&mut State, Action) -> Vec<Command>` → the runtime sends commands to the
//! worker or the clipboard → their answers come back as `Action`s → `render(&State)`.
//! How the modules are layered, and how to add a tab, a dialog or a row action:
//! `src/tui/README.md`.

mod action;
mod app;
mod dialogs;
mod geometry;
mod input;
pub mod keymap;
mod kit;
mod runtime;
mod screens;
mod shared;
mod state;

pub use action::{Action, ClipboardOutcome, Command, FlowAction, Outcome, Tab};
pub use app::config::{StartOptions, apply_config};
pub use app::{render, start, update};
pub use dialogs::get_token::state::{FlowDialog, SessionToken, TokenFlows};
pub use dialogs::palette::state::{PaletteEntry, PaletteState};
pub use dialogs::palette::update::entries as palette_entries;
pub use input::overrides::{KeyOverrides, KeyWarning};
pub use kit::cursor::Cursor;
pub use kit::theme::Theme;
pub use runtime::options::{DEFAULT_REFRESH, TuiError, TuiOptions, parse_refresh};
pub use runtime::{clipboard, terminal};
pub use shared::{Connection, Toast, ToastKind};
pub use state::{Layer, Modal, State};

/// Runs the console until the user quits. Restores the terminal on every exit path.
pub async fn run(options: TuiOptions) -> Result<(), TuiError> {
    runtime::event_loop::run(options).await
}

#[cfg(test)]
mod layering;
