//! The console: state, actions, update, views, widgets.

pub mod clipboard;
mod event_loop;
pub mod terminal;

use crate::api::AdminClient;

/// What the console needs to start: a client of the server it administers, and how to
/// name that server in the header (e.g. `embedded · http://127.0.0.1:41823`).
pub struct TuiOptions {
    pub client: AdminClient,
    pub server_label: String,
}

impl TuiOptions {
    pub fn new(client: AdminClient, server_label: String) -> TuiOptions {
        TuiOptions {
            client,
            server_label,
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

/// Runs the console until the user quits. Restores the terminal on every exit path.
pub async fn run(options: TuiOptions) -> Result<(), TuiError> {
    event_loop::run(options).await
}
