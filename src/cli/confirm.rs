//! Commands that destroy something ask first, as `gh` does: on a terminal the user
//! answers y/N; without one (a script, a pipe) `--yes` must say so, or nothing is sent
//! (exit 2), so a script cannot delete by accident.

use super::CliError;
use super::args::{AppsCommand, Command, TokensCommand};
use crate::domain::sanitize_for_terminal;
use std::io::{BufRead, IsTerminal, Write};

/// What `command` would destroy, in words for the question, and whether `--yes` was
/// given; `None` for commands that destroy nothing.
fn destruction(command: &Command) -> Option<(String, bool)> {
    match command {
        Command::Apps(AppsCommand::Delete { client_id, yes }) => {
            Some((format!("Delete app {client_id} with all its tokens"), *yes))
        }
        Command::Tokens(TokensCommand::Revoke { token_id, yes }) => {
            Some((format!("Revoke token {token_id}"), *yes))
        }
        _ => None,
    }
}

/// Asks before a destructive command; Ok when it may go ahead.
pub fn check(command: &Command) -> Result<(), CliError> {
    let Some((what, yes)) = destruction(command) else {
        return Ok(());
    };
    if yes {
        return Ok(());
    }
    let what = sanitize_for_terminal(&what).into_owned();
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(format!(
            "{what}? Not confirmed: stdin is not a terminal, so add --yes to confirm; nothing was sent"
        )));
    }
    let mut stderr = std::io::stderr().lock();
    let _ = write!(stderr, "{what}? This cannot be undone. [y/N] ");
    let _ = stderr.flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| CliError::Failed(format!("cannot read the answer: {e}")))?;
    if is_yes(&answer) {
        Ok(())
    } else {
        Err(CliError::Usage("Not confirmed; nothing was sent".into()))
    }
}

fn is_yes(answer: &str) -> bool {
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_y_or_yes_confirms() {
        assert!(is_yes("y\n"));
        assert!(is_yes(" YES \n"));
        assert!(!is_yes("\n"));
        assert!(!is_yes("n\n"));
        assert!(!is_yes("yep\n"));
    }
}
