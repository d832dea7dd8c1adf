//! Persistence behind one trait. SQLite now (`sqlite`); PostgreSQL can be added as a
//! second implementation without touching `service/` or `server/`.
//!
//! Every write is acknowledged only once it is durable (committed with
//! `synchronous=FULL`); concurrent writes may share one commit (group commit).

use crate::domain::{AdminKey, AuditRecord, AuthCode, ClientApp, TokenRecord, User};
use async_trait::async_trait;

pub mod sqlite;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("already exists")]
    Conflict,
    #[error("storage failure: {0}")]
    Backend(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Which tokens to list, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenQuery {
    pub client_id: Option<String>,
    /// Only tokens neither revoked nor expired at `now`.
    pub active_only: bool,
    pub now: i64,
    /// At most this many (the store may cap it).
    pub limit: u32,
    /// Opaque position returned by the previous page.
    pub cursor: Option<String>,
}

/// What presenting an authorization code found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeRedemption {
    /// First use: the code is now marked used.
    Fresh(AuthCode),
    /// The code had been used before; it is returned so its family can be revoked.
    Reused(AuthCode),
    NotFound,
}

/// What presenting a refresh token for rotation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshRotation {
    /// The old token is now revoked and the new tokens are stored, in one transaction.
    Rotated(TokenRecord),
    /// The token had been rotated or revoked already: its whole family is now revoked.
    Reused {
        family_id: String,
        revoked: u64,
    },
    NotFound,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    // Client apps
    async fn insert_app(&self, app: ClientApp) -> StoreResult<()>;
    /// Replaces the stored app with the same `client_id`.
    async fn update_app(&self, app: ClientApp) -> StoreResult<()>;
    /// Deletes the app together with its tokens and codes.
    async fn delete_app(&self, client_id: &str) -> StoreResult<()>;
    async fn get_app(&self, client_id: &str) -> StoreResult<Option<ClientApp>>;
    /// All apps, oldest first.
    async fn list_apps(&self) -> StoreResult<Vec<ClientApp>>;

    // Tokens
    /// Stores tokens issued together (e.g. an access and a refresh token) atomically.
    async fn insert_tokens(&self, tokens: Vec<TokenRecord>) -> StoreResult<()>;
    async fn get_token_by_hash(&self, hash: &str) -> StoreResult<Option<TokenRecord>>;
    async fn get_token(&self, id: &str) -> StoreResult<Option<TokenRecord>>;
    /// Returns a page and the cursor of the next page, if any.
    async fn list_tokens(
        &self,
        query: TokenQuery,
    ) -> StoreResult<(Vec<TokenRecord>, Option<String>)>;
    /// Marks one token revoked; false if it was unknown or revoked already.
    async fn revoke_token(&self, id: &str, now: i64) -> StoreResult<bool>;
    async fn revoke_family(&self, family_id: &str, now: i64) -> StoreResult<u64>;
    async fn revoke_client_tokens(&self, client_id: &str, now: i64) -> StoreResult<u64>;
    async fn count_active_tokens(&self, client_id: &str, now: i64) -> StoreResult<u64>;
    /// Atomically: if the refresh token with `old_hash` is active, revoke it and store
    /// `new_tokens`; if it was revoked already, revoke its family. `new_tokens` must not
    /// depend on anything but the old token's record, which the caller read before.
    async fn rotate_refresh_token(
        &self,
        old_hash: &str,
        new_tokens: Vec<TokenRecord>,
        now: i64,
    ) -> StoreResult<RefreshRotation>;

    // Authorization codes
    async fn insert_code(&self, code: AuthCode) -> StoreResult<()>;
    /// Marks the code used (first time) and returns it; see `CodeRedemption`.
    async fn redeem_code(&self, hash: &str, now: i64) -> StoreResult<CodeRedemption>;

    // Users (resource owners)
    async fn insert_user(&self, user: User) -> StoreResult<()>;
    async fn get_user(&self, username: &str) -> StoreResult<Option<User>>;

    // Admin keys
    async fn insert_admin_key(&self, key: AdminKey) -> StoreResult<()>;
    async fn get_admin_key_by_hash(&self, hash: &str) -> StoreResult<Option<AdminKey>>;
    async fn list_admin_keys(&self) -> StoreResult<Vec<AdminKey>>;
    async fn revoke_admin_key(&self, name: &str, now: i64) -> StoreResult<bool>;

    // Audit
    async fn insert_audit(&self, record: AuditRecord) -> StoreResult<()>;
    /// Newest first; `before_id` pages backwards.
    async fn list_audit(&self, limit: u32, before_id: Option<i64>)
    -> StoreResult<Vec<AuditRecord>>;
}
