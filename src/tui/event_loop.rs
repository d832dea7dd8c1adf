//! The console's main loop: terminal events, worker replies and a tick in, drawing out.

use super::{TuiError, TuiOptions};
use std::io::IsTerminal;

pub(crate) async fn run(_options: TuiOptions) -> Result<(), TuiError> {
    ensure_terminal()?;
    Err(TuiError::NotATerminal(
        "the console is not built yet; use the subcommands (oauth-console --help)".into(),
    ))
}

/// crossterm's `EventStream` panics without a terminal on stdin (DESIGN §7), and
/// drawing into a pipe helps nobody: say so before touching either.
fn ensure_terminal() -> Result<(), TuiError> {
    if !std::io::stdin().is_terminal() {
        return Err(TuiError::NotATerminal(
            "standard input is not a terminal; use the subcommands instead (oauth-console --help)"
                .into(),
        ));
    }
    if !std::io::stdout().is_terminal() {
        return Err(TuiError::NotATerminal(
            "standard output is not a terminal; use the subcommands instead (oauth-console --help)"
                .into(),
        ));
    }
    Ok(())
}
