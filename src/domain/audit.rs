//! Audit records: who changed what through the admin API.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// Assigned by the store; 0 before it is written.
    pub id: i64,
    pub at: i64,
    /// The admin key's name.
    pub actor: String,
    /// e.g. `app.create`, `app.update`, `app.delete`, `app.rotate_secret`, `token.revoke`.
    pub action: String,
    /// What was acted on, e.g. a client ID or token ID.
    pub target: String,
    /// State before and after, secrets redacted (they are never in these values).
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}
