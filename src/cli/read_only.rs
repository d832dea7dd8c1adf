//! Read-only mode: write commands are refused before anything is sent, and the
//! server's own refusals (403 for a read-only key, 401 for a revoked one) are put in
//! words the operator can act on.

use super::CliError;
use super::admin_args::AdminKeysCommand;
use super::args::{AppsCommand, Command, TokensCommand, UsersCommand};
use crate::api::ApiError;

/// The name of the command if it would change the server, for the refusal message.
pub fn write_command(command: &Command) -> Option<&'static str> {
    match command {
        Command::Apps(c) => match c {
            AppsCommand::List | AppsCommand::Show { .. } => None,
            AppsCommand::Create(_) => Some("apps create"),
            AppsCommand::Update { .. } => Some("apps update"),
            AppsCommand::Delete { .. } => Some("apps delete"),
            AppsCommand::RotateSecret { .. } => Some("apps rotate-secret"),
            AppsCommand::EndGrace { .. } => Some("apps end-grace"),
            AppsCommand::Export | AppsCommand::Apply { dry_run: true, .. } => None,
            AppsCommand::Apply { .. } => Some("apps apply"),
        },
        Command::Tokens(TokensCommand::Revoke { .. }) => Some("tokens revoke"),
        Command::Users(c) => match c {
            UsersCommand::List | UsersCommand::Show { .. } => None,
            UsersCommand::Add { .. } => Some("users add"),
            UsersCommand::Disable { .. } => Some("users disable"),
            UsersCommand::Enable { .. } => Some("users enable"),
            UsersCommand::Passwd { .. } => Some("users passwd"),
            UsersCommand::Delete { .. } => Some("users delete"),
            UsersCommand::RevokeTokens { .. } => Some("users revoke-tokens"),
        },
        Command::AdminKeys(AdminKeysCommand::Create { .. }) => Some("admin-keys create"),
        Command::AdminKeys(AdminKeysCommand::Revoke { .. }) => Some("admin-keys revoke"),
        _ => None,
    }
}

/// Refuses `command` when read-only mode is on; `why` says what turned it on.
pub fn check(command: &Command, why: Option<&str>) -> Result<(), CliError> {
    match (write_command(command), why) {
        (Some(name), Some(why)) => Err(CliError::Usage(format!(
            "read-only mode ({why}): `{name}` would change the server, so it was not sent"
        ))),
        _ => Ok(()),
    }
}

/// Turns the server's 401 and 403 into messages that say what to do. The exit code
/// stays 1: the server said no, as for any other refusal.
pub fn explain(error: CliError) -> CliError {
    match &error {
        CliError::Api(api @ ApiError::Server { status: 403, .. }) => CliError::Failed(format!(
            "this admin key is read-only: the server refused the change ({api})"
        )),
        CliError::Api(api @ ApiError::Server { status: 401, .. }) => CliError::Failed(format!(
            "the server did not accept the admin key: it is wrong or has been revoked ({api})"
        )),
        _ => error,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn server_error(status: u16) -> CliError {
        CliError::Api(ApiError::Server {
            status,
            error: "x".into(),
            description: Some("The admin key \"ro\" is read-only".into()),
            violations: vec![],
        })
    }

    #[test]
    fn a_403_says_the_key_is_read_only_and_exits_1() {
        let error = explain(server_error(403));
        assert!(error.to_string().starts_with("this admin key is read-only"));
        assert_eq!(error.exit_code(), 1);
    }

    #[test]
    fn listing_is_allowed_and_deleting_refused_in_read_only_mode() {
        let list = Command::Apps(AppsCommand::List);
        let delete = Command::Apps(AppsCommand::Delete {
            client_id: "oc_1".into(),
            yes: true,
        });
        assert!(check(&list, Some("--read-only")).is_ok());
        assert!(check(&delete, None).is_ok());
        let refused = check(&delete, Some("--read-only")).unwrap_err();
        assert!(refused.to_string().contains("apps delete"), "{refused}");
    }

    #[test]
    fn a_dry_run_of_apply_reads_only_and_a_real_apply_is_refused() {
        let apply = |dry_run| {
            Command::Apps(AppsCommand::Apply {
                file: "apps.toml".into(),
                dry_run,
                prune: true,
            })
        };
        assert!(check(&Command::Apps(AppsCommand::Export), Some("--read-only")).is_ok());
        assert!(check(&apply(true), Some("--read-only")).is_ok());
        let refused = check(&apply(false), Some("--read-only")).unwrap_err();
        assert!(refused.to_string().contains("apps apply"), "{refused}");
    }
}
