//! People and keys that authenticate to the server: resource owners and administrators.

use serde::{Deserialize, Serialize};

/// A resource owner who signs in on the consent page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub username: String,
    /// argon2id PHC string: user passwords are low-entropy, so a slow hash.
    pub password_hash: String,
    pub created_at: i64,
}

/// An admin API key. The key itself is shown once; only its SHA-256 is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminKey {
    pub name: String,
    #[serde(skip)]
    pub hash: String,
    pub read_only: bool,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}
