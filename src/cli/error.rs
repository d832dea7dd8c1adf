//! What a subcommand can fail with, its exit code, and the lines it prints.

use crate::api::ApiError;
use crate::domain::{RuleViolation, sanitize_for_terminal};
use std::process::ExitCode;

/// Exit codes, as documented in `--help`.
pub const EXIT_FAILURE: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_NOT_FOUND: u8 = 3;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The command line or the environment is wrong (exit 2).
    #[error("{0}")]
    Usage(String),
    /// The app would break the platform rules (exit 2); checked before sending.
    #[error("the app breaks {} rule(s)", .0.len())]
    Invalid(Vec<RuleViolation>),
    /// A file the command reads is wrong (exit 2): one line per problem, each naming
    /// the file and where.
    #[error("{}", .0.join("; "))]
    InvalidFile(Vec<String>),
    /// The thing asked for does not exist (exit 3).
    #[error("{0}")]
    NotFound(String),
    /// The server said no, or could not be reached.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// Something local went wrong: I/O, the in-process server, the terminal (exit 1).
    #[error("{0}")]
    Failed(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) | CliError::Invalid(_) | CliError::InvalidFile(_) => EXIT_USAGE,
            CliError::NotFound(_) => EXIT_NOT_FOUND,
            CliError::Api(
                ApiError::AdminKey(_)
                | ApiError::InsecureTransport { .. }
                | ApiError::CaFile { .. },
            ) => EXIT_USAGE,
            CliError::Api(e) => match e.status() {
                Some(404) => EXIT_NOT_FOUND,
                Some(400 | 422) => EXIT_USAGE,
                _ => EXIT_FAILURE,
            },
            CliError::Failed(_) => EXIT_FAILURE,
        }
    }

    /// One line per problem, ready for stderr: rule violations one per line, anything
    /// else as one line. Text from a server is sanitised.
    pub fn lines(&self) -> Vec<String> {
        let violations: &[RuleViolation] = match self {
            CliError::Invalid(v) => v,
            CliError::Api(ApiError::Server { violations, .. }) => violations,
            _ => &[],
        };
        if let CliError::InvalidFile(problems) = self {
            return problems
                .iter()
                .map(|p| format!("error: {}", one_line(p)))
                .collect();
        }
        if violations.is_empty() {
            vec![format!("error: {}", one_line(&self.to_string()))]
        } else {
            violations
                .iter()
                .map(|v| format!("error: {}", one_line(&v.message)))
                .collect()
        }
    }

    /// Maps a 404 from the server to a message that names what was missing.
    pub fn not_found_as(error: ApiError, what: impl FnOnce() -> String) -> CliError {
        if error.is_not_found() {
            CliError::NotFound(what())
        } else {
            CliError::Api(error)
        }
    }

    pub fn exit(&self) -> ExitCode {
        ExitCode::from(self.exit_code())
    }
}

/// Keeps an error on one line, and escape sequences off the user's terminal.
fn one_line(text: &str) -> String {
    sanitize_for_terminal(text.trim()).into_owned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::domain::Field;

    #[test]
    fn server_validation_errors_print_one_line_per_rule_and_exit_2() {
        let error = CliError::Api(ApiError::Server {
            status: 422,
            error: "invalid_app".into(),
            description: Some("the app breaks 2 rules".into()),
            violations: vec![
                RuleViolation {
                    field: Field::Name,
                    message: "Give the app a name".into(),
                },
                RuleViolation {
                    field: Field::Scopes,
                    message: "Choose at least one scope".into(),
                },
            ],
        });
        assert_eq!(error.exit_code(), 2);
        assert_eq!(
            error.lines(),
            vec![
                "error: Give the app a name",
                "error: Choose at least one scope"
            ]
        );
    }

    #[test]
    fn a_404_is_exit_3_and_a_refused_connection_exit_1() {
        let missing = CliError::Api(ApiError::Server {
            status: 404,
            error: "not_found".into(),
            description: None,
            violations: vec![],
        });
        assert_eq!(missing.exit_code(), 3);
        let unreachable = CliError::Api(ApiError::Unreachable {
            url: "http://127.0.0.1:1/".into(),
            reason: "connection refused".into(),
        });
        assert_eq!(unreachable.exit_code(), 1);
    }

    #[test]
    fn server_text_cannot_break_the_line_or_reach_the_terminal_raw() {
        let error = CliError::Api(ApiError::Server {
            status: 500,
            error: "oops".into(),
            description: Some("bad\x1b[2J\nthing".into()),
            violations: vec![],
        });
        let lines = error.lines();
        assert_eq!(lines.len(), 1);
        assert!(!lines[0].contains('\x1b') && !lines[0].contains('\n'));
    }
}
