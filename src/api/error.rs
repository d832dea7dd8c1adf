//! What can go wrong talking to a server, in words fit for a toast or a CLI line.

use crate::domain::RuleViolation;

#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    /// The server could not be reached or did not answer in time.
    #[error("cannot reach {url}: {reason}")]
    Unreachable { url: String, reason: String },
    /// The server answered with an error body.
    #[error("{}", server_message(.error, .description.as_deref()))]
    Server {
        status: u16,
        error: String,
        description: Option<String>,
        violations: Vec<RuleViolation>,
    },
    /// The server answered something this client cannot read.
    #[error("unexpected answer from the server: {0}")]
    Protocol(String),
    /// The admin key could not be read.
    #[error("admin key: {0}")]
    AdminKey(String),
    /// The admin key would cross the network in clear text.
    #[error(
        "refusing to send the admin key over plain http:// to {host}, which is not this \
         machine; use https://, or pass --insecure-http if you mean it"
    )]
    InsecureTransport { host: String },
    /// The `--ca-file` could not be used.
    #[error("CA file {path}: {reason}")]
    CaFile {
        path: std::path::PathBuf,
        reason: String,
    },
}

fn server_message(error: &str, description: Option<&str>) -> String {
    match description {
        Some(d) if !d.is_empty() => d.to_string(),
        _ => error.to_string(),
    }
}

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Server { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }
}
