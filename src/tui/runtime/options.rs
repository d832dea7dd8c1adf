//! What the console needs to start, and how it fails to.

use crate::api::AdminClient;
use crate::config::Config;

/// What the console needs to start: a client of the server it administers, and how to
/// name that server in the header (e.g. `embedded · http://127.0.0.1:41823`).
pub struct TuiOptions {
    pub client: AdminClient,
    pub server_label: String,
    /// Changes are refused (`--read-only`, or a read-only profile); false by default.
    pub read_only: bool,
    /// The profile the server came from (`--profile` or the config's default), shown
    /// in the header; its `read_only` setting applies too.
    pub profile: Option<String>,
    /// The config file as the command line read it (defaults when there is none).
    pub config: Config,
}

impl TuiOptions {
    pub fn new(client: AdminClient, server_label: String) -> TuiOptions {
        TuiOptions {
            client,
            server_label,
            read_only: false,
            profile: None,
            config: Config::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error("the console needs a terminal: {0}")]
    NotATerminal(String),
    #[error("terminal error: {0}")]
    Terminal(#[from] std::io::Error),
}
