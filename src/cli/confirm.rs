//! Commands that destroy something ask first, as `gh` does: on a terminal the user
//! answers y/N; without one (a script, a pipe) `--yes` must say so, or nothing is sent
//! (exit 2), so a script cannot delete by accident.

use super::CliError;
use super::args::{AppsCommand, Command, TokensCommand, UsersCommand};
use crate::domain::sanitize_for_terminal;
use std::io::{BufRead, IsTerminal, Write};

/// What a destructive command destroys, and when to ask.
struct Destruction {
    /// In words, for the question (or the refusal without a terminal).
    what: String,
    /// `--yes` was given.
    yes: bool,
    /// The command asks itself once it has looked up what it will revoke, to name it.
    asks_after_lookup: bool,
}

/// What `command` would destroy; `None` for commands that destroy nothing.
fn destruction(command: &Command) -> Option<Destruction> {
    let (what, yes, asks_after_lookup) = match command {
        Command::Apps(AppsCommand::Delete { client_id, yes }) => (
            format!("Delete app {client_id} with all its tokens"),
            *yes,
            false,
        ),
        Command::Tokens(TokensCommand::Revoke { token_id, yes }) => {
            (format!("Revoke token {token_id}"), *yes, false)
        }
        Command::Users(UsersCommand::Delete { username, yes }) => {
            (format!("Delete user {username}"), *yes, true)
        }
        Command::Users(UsersCommand::RevokeTokens { username, yes }) => {
            (format!("Revoke every token of user {username}"), *yes, true)
        }
        _ => return None,
    };
    Some(Destruction {
        what,
        yes,
        asks_after_lookup,
    })
}

/// Asks before a destructive command; Ok when it may go ahead (or will ask itself,
/// through `ask`, once it knows what it will revoke).
pub fn check(command: &Command) -> Result<(), CliError> {
    let Some(destruction) = destruction(command) else {
        return Ok(());
    };
    if destruction.yes {
        return Ok(());
    }
    let what = sanitize_for_terminal(&destruction.what).into_owned();
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(format!(
            "{what}? Not confirmed: stdin is not a terminal, so add --yes to confirm; nothing was sent"
        )));
    }
    if destruction.asks_after_lookup {
        return Ok(());
    }
    ask(&what)
}

/// Asks `what?` on the terminal; Ok on y or yes. `what` is sanitised here.
pub fn ask(what: &str) -> Result<(), CliError> {
    let what = sanitize_for_terminal(what);
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
