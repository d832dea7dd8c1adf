//! JSON shapes of the admin API, shared by the server that writes them and the typed
//! client that reads them.

use super::{AdminKey, AppUsage, AuditRecord, ClientApp, ListedApp, TokenRecord};
use serde::{Deserialize, Serialize};

/// `GET /admin/v1/apps/{id}`: the app and how many of its tokens are active.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppDetails {
    #[serde(flatten)]
    pub app: ClientApp,
    pub active_tokens: u64,
    #[serde(flatten)]
    pub usage: AppUsage,
    /// Access tokens issued in each of the last `USAGE_HOURS` hours, oldest first; the
    /// last entry is the current hour.
    #[serde(default)]
    pub hourly_issued: Vec<u64>,
}

/// `POST /admin/v1/apps`: the new app and, for confidential clients, its secret — the
/// only time it is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedApp {
    #[serde(flatten)]
    pub app: ClientApp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
}

/// `POST /admin/v1/apps/{id}/secret`: the new secret, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RotatedSecret {
    pub client_id: String,
    pub client_secret: String,
    /// Until when the previous secret keeps working, if a grace period applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_secret_expires_at: Option<i64>,
}

/// `GET /admin/v1/apps`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppList {
    pub apps: Vec<ListedApp>,
}

/// `GET /admin/v1/tokens?client_id=&active=&limit=&cursor=`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenPage {
    pub tokens: Vec<TokenRecord>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// `GET /admin/v1/audit?limit=&cursor=`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub records: Vec<AuditRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// `GET /admin/v1/admin-keys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminKeyList {
    pub keys: Vec<AdminKey>,
}

/// Answer of the bulk revocations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokedCount {
    pub revoked: u64,
}

/// Every error body, admin API and OAuth endpoints alike (RFC 6749 §5.2 shape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
    /// For `invalid_app`: each broken rule and its field, for forms to place.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub violations: Vec<super::RuleViolation>,
}

/// `GET /admin/v1/whoami`: the calling key, so a console knows if it may write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhoAmI {
    pub name: String,
    pub read_only: bool,
}

/// `POST /admin/v1/admin-keys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAdminKey {
    pub name: String,
    #[serde(default)]
    pub read_only: bool,
}

/// The answer to `POST /admin/v1/admin-keys`: the key, shown this once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedAdminKey {
    pub name: String,
    pub read_only: bool,
    pub key: String,
}

impl std::fmt::Debug for CreatedAdminKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key is a credential: never print it.
        f.debug_struct("CreatedAdminKey")
            .field("name", &self.name)
            .field("read_only", &self.read_only)
            .finish_non_exhaustive()
    }
}

/// Optional body of `POST /admin/v1/apps/{id}/secret`: how long the replaced secret
/// keeps working (the server's default when absent; 0 ends it at once).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretRotation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grace_seconds: Option<i64>,
}

/// `GET /admin/v1/tokens?client_id=&subject=&active=&limit=&cursor=`: which tokens to list
/// (the query string is written and read by `domain::list_query`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenFilter {
    /// Only this app's tokens.
    pub client_id: Option<String>,
    /// Only tokens issued to this subject (a username; a client ID for client credentials).
    pub subject: Option<String>,
    /// Only tokens neither expired nor revoked.
    pub active_only: bool,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// `GET /admin/v1/audit?actor=&action=&target=&limit=&cursor=`: each filter is an
/// exact match; absent filters match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}
