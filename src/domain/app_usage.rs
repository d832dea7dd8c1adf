//! How much each client app is used: read from per-app, per-hour issuance counters
//! that the store writes together with the tokens (never a scan of the tokens table).

use super::ClientApp;
use serde::{Deserialize, Serialize};

/// Hours in the usage window the console and the CLI show.
pub const USAGE_HOURS: usize = 24;

/// An app's usage, as the admin API reports it for every app.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppUsage {
    /// When the app was last issued a token (any grant, refresh included); `None` if never.
    #[serde(default)]
    pub last_issued_at: Option<i64>,
    /// Access tokens issued in the current hour and the 23 before it.
    #[serde(default)]
    pub issued_24h: u64,
}

/// One row of `GET /admin/v1/apps`: the app, its usage and its active tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedApp {
    #[serde(flatten)]
    pub app: ClientApp,
    #[serde(flatten)]
    pub usage: AppUsage,
    /// Tokens of the app neither expired nor revoked.
    #[serde(default)]
    pub active_tokens: u64,
}
