//! Bare `oauth-console`: the console, on the embedded server or on `--server`.

use super::CliError;
use super::connection::Connection;
use super::profiles::Session;
use crate::tui::{TuiOptions, run as run_tui};
use std::io::IsTerminal;

/// What bare `oauth-console` says when it has no terminal to draw on.
pub const NEEDS_TERMINAL: &str = "oauth-console: the console needs a terminal (stdin and stdout); \
     for scripts use the subcommands, see `oauth-console --help`";

/// Whether both ends the console uses are terminals. Checked before crossterm is
/// touched: its event stream panics without one.
pub fn has_terminal() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

pub async fn run(session: &Session) -> Result<(), CliError> {
    let connection = Connection::open(&session.global).await?;
    tracing::info!(server = %connection.client.base_url(), "console opened");
    let mut options = TuiOptions::new(connection.client.clone(), connection.label.clone());
    // --- operator features (issue 5): the profile names the server; read-only mode ---
    options.profile = session.profile.clone();
    options.read_only = session.read_only.is_some();
    let result = run_tui(options).await;
    connection.close().await;
    result.map_err(|e| CliError::Failed(e.to_string()))
}
