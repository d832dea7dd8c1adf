//! Bare `oauth-console`: the console, on the embedded server or on `--server`.

use super::CliError;
use super::connection::Connection;
use super::profiles::Session;
use crate::tui::{TuiOptions, run as run_tui};

/// What bare `oauth-console` says when it has no terminal to draw on.
pub const NEEDS_TERMINAL: &str = "oauth-console: the console needs a terminal (stdin and stdout); \
     for scripts use the subcommands, see `oauth-console --help`";

/// Whether both ends the console uses are terminals. Checked before crossterm is
/// touched: its event stream panics without one.
pub fn has_terminal() -> bool {
    crate::tui::terminal::missing_terminal().is_none()
}

/// `--refresh`, else the config's `refresh`, else the default; a bad value is a usage
/// error, named where it came from.
fn refresh_interval(session: &Session) -> Result<Option<std::time::Duration>, CliError> {
    let (text, from) = match (&session.global.refresh, &session.config.refresh) {
        (Some(flag), _) => (flag, "--refresh"),
        (None, Some(key)) => (key, "`refresh` in the config file"),
        (None, None) => return Ok(Some(crate::tui::DEFAULT_REFRESH)),
    };
    crate::tui::parse_refresh(text).map_err(|why| CliError::Usage(format!("{from}: {why}")))
}

pub async fn run(session: &Session) -> Result<(), CliError> {
    let connection = Connection::open(&session.global).await?;
    tracing::info!(server = %connection.client.base_url(), "console opened");
    let mut options = TuiOptions::new(connection.client.clone(), connection.label.clone());
    // The profile names the server in the header; read-only and the config file were
    // resolved once, with the profile.
    options.profile = session.profile.clone();
    options.read_only = session.read_only.is_some();
    options.config = session.config.clone();
    options.refresh = refresh_interval(session)?;
    let result = run_tui(options).await;
    connection.close().await;
    result.map_err(|e| CliError::Failed(e.to_string()))
}
