//! `oauth-console users …`: resource owners who sign in on the consent page.

use super::CliError;
use super::args::UsersCommand;
use super::output::Output;
use crate::api::AdminClient;
use serde::Serialize;
use std::io::BufRead;

pub async fn run(client: &AdminClient, command: UsersCommand, out: Output) -> Result<(), CliError> {
    match command {
        UsersCommand::Add { username, .. } => {
            let password = read_password_line(std::io::stdin().lock())?;
            client.create_user(&username, &password).await?;
            out.print(&Added { added: username }, |a| {
                format!(
                    "Added user {}\n",
                    crate::domain::sanitize_for_terminal(&a.added)
                )
            })
        }
    }
}

#[derive(Serialize)]
struct Added {
    added: String,
}

/// The first line of `input`, without its line ending; an empty password is refused.
fn read_password_line(mut input: impl BufRead) -> Result<String, CliError> {
    let mut line = String::new();
    input
        .read_line(&mut line)
        .map_err(|e| CliError::Failed(format!("cannot read the password from stdin: {e}")))?;
    let password = line.trim_end_matches(['\n', '\r']);
    if password.is_empty() {
        return Err(CliError::Usage(
            "no password on stdin: pipe it in, e.g. `printf '%s\\n' \"$PW\" | oauth-console users add NAME --password-stdin`"
                .into(),
        ));
    }
    Ok(password.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_the_first_line_without_its_newline() {
        let pw = read_password_line(&b"s3cret pass\r\nsecond\n"[..]).unwrap();
        assert_eq!(pw, "s3cret pass");
    }

    #[test]
    fn an_empty_stdin_is_a_usage_error() {
        let error = read_password_line(&b""[..]).unwrap_err();
        assert_eq!(error.exit_code(), 2);
    }
}
