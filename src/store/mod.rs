//! Persistence behind one trait: SQLite (`sqlite`, the embedded default) and
//! PostgreSQL (`postgres`, for several server replicas on one database).
//!
//! Every write is acknowledged only once it is durable (committed with SQLite's
//! `synchronous=FULL`, or PostgreSQL's default `synchronous_commit`); concurrent
//! writes may share one commit (group commit).

use crate::domain::{
    AdminKey, AppUsage, AuditRecord, AuthCode, ClientApp, DeviceCode, FormKey, TokenRecord, User,
    UserGrant, UserSummary,
};
use async_trait::async_trait;
use std::collections::HashMap;

pub mod copy;
mod location;
pub(crate) mod page_cursor;
pub mod postgres;
pub mod sqlite;
mod token_lookup;
pub mod usage_hours;

pub use location::StoreLocation;
pub use token_lookup::TokenLookup;
pub use usage_hours::UsageHour;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("already exists")]
    Conflict,
    /// The caller passed something the store cannot use (e.g. a tampered page cursor).
    #[error("{0}")]
    InvalidInput(String),
    #[error("storage failure: {0}")]
    Backend(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Which tokens to list, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenQuery {
    pub client_id: Option<String>,
    /// Only tokens issued to this subject: a user's tokens (any grant but client
    /// credentials), or an app's own client-credentials tokens when it is a client ID.
    pub subject: Option<String>,
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

/// Which audit records to list, newest first. Filters are exact matches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target: Option<String>,
    /// At most this many (the store may cap it; 0 means its default).
    pub limit: u32,
    /// Only records older than this one.
    pub before_id: Option<i64>,
}

/// The user's answer on the device page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceDecision {
    Approve { subject: String },
    Deny,
}

/// What a client's poll with a device code found (RFC 8628 §3.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DevicePoll {
    /// The user has not answered yet.
    Pending,
    /// Polled before `interval` seconds passed: the interval is now this (5 s more).
    SlowDown {
        interval: i64,
    },
    Expired,
    Denied,
    /// Approved and not exchanged yet: the caller mints tokens and consumes it.
    Approved(DeviceCode),
    /// Exchanged before: its family is now revoked.
    Reused {
        family_id: String,
        revoked: u64,
    },
    /// Unknown, or another client's.
    NotFound,
}

/// What exchanging an approved device code for tokens did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceConsumption {
    /// The code is now consumed and the tokens are stored, in one transaction.
    Consumed,
    /// Another exchange won: the code's family is now revoked, these tokens not stored.
    Reused { revoked: u64 },
    /// The code is no longer approved (e.g. unknown or expired).
    NotApproved,
}

/// Whether a store can serve requests (`GET /readyz`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreReadiness {
    Ready,
    /// The database answers, but its schema is not the one this build expects (a
    /// newer build migrated it, or a migration is missing).
    SchemaMismatch {
        database: u32,
        expected: u32,
    },
}

/// What one cleanup pass deletes (`Store::purge_expired`). Times are Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PurgePolicy {
    /// Tokens (of either kind) whose `expires_at` is at or before this.
    pub tokens_expired_before: i64,
    /// Access tokens whose `revoked_at` is at or before this. Revoked refresh tokens
    /// are deleted only by expiry: until then their reuse must still be recognised.
    pub access_revoked_before: i64,
    /// Authorization codes and device codes whose `expires_at` is at or before this.
    pub codes_expired_before: i64,
    /// Audit records whose `at` is at or before this; `None` keeps every record.
    pub audit_before: Option<i64>,
    /// Usage hours that ended at or before this, except each app's newest hour (it
    /// tells when a long-idle app was last used).
    pub usage_before: i64,
    /// At most this many rows per table per call, so that one call never holds the
    /// writer long; the caller calls again while a count reaches it.
    pub limit: u32,
}

/// Rows one `purge_expired` call deleted, per table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PurgeCounts {
    pub tokens: u64,
    pub codes: u64,
    pub device_codes: u64,
    pub audit: u64,
    pub usage_hours: u64,
}

/// One administrator's change, written together with its audit record by
/// `Store::write_admin_change`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminChange {
    /// As `insert_app`: `Conflict` if the client ID is taken.
    InsertApp(ClientApp),
    /// As `update_app`: `NotFound` if there is no such app.
    UpdateApp(ClientApp),
    /// As `delete_app` (its tokens, codes and usage go too): `NotFound` if unknown.
    DeleteApp { client_id: String },
    /// As `revoke_token`, but `NotFound` when nothing changed (unknown or revoked already).
    RevokeToken { id: String, now: i64 },
    /// As `revoke_client_tokens` (active ones only); touching none is not an error.
    RevokeClientTokens { client_id: String, now: i64 },
    /// As `insert_user`: `Conflict` if the username is taken.
    InsertUser(User),
    /// As `insert_admin_key`: `Conflict` if the name is taken.
    InsertAdminKey(AdminKey),
    /// As `revoke_admin_key`, but `NotFound` when nothing changed.
    RevokeAdminKey { name: String, now: i64 },
    /// Disables or enables a user: `NotFound` if unknown. Disabling also revokes the
    /// user's active tokens; touched is how many.
    SetUserDisabled {
        username: String,
        disabled: bool,
        now: i64,
    },
    /// Replaces a user's argon2id hash: `NotFound` if unknown.
    SetUserPassword {
        username: String,
        password_hash: String,
    },
    /// Deletes a user and revokes their active tokens (touched is how many):
    /// `NotFound` if unknown.
    DeleteUser { username: String, now: i64 },
    /// Revokes the user's active tokens (never an app's client-credentials tokens,
    /// whatever the username); touched is how many, none is not an error.
    RevokeUserTokens { username: String, now: i64 },
    /// Revokes the active tokens of one token family of the user: `NotFound` when the
    /// user has no active token in it (another user's family included).
    RevokeUserFamily {
        username: String,
        family_id: String,
        now: i64,
    },
    /// Nothing but the record, e.g. a refused admin call.
    RecordOnly,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    // Health
    /// Asks the database whether it can serve; an error means it cannot be reached.
    /// The default reads a small table: a store that migrates on open is current.
    async fn check_ready(&self) -> StoreResult<StoreReadiness> {
        self.list_admin_keys().await?;
        Ok(StoreReadiness::Ready)
    }
    /// Applies `change` and appends `record` (its `id` is ignored) in ONE transaction:
    /// both are durable, or, when the change fails, neither is written. Returns how
    /// many rows the change touched (apps, tokens or keys; 0 for `RecordOnly`). Caches
    /// of the app concerned are dropped as `update_app` and `delete_app` do.
    async fn write_admin_change(
        &self,
        change: AdminChange,
        record: AuditRecord,
    ) -> StoreResult<u64>;

    /// Deletes what `policy` says is past keeping, at most `policy.limit` rows of each
    /// table, and answers how many of each it deleted. Nothing else changes.
    async fn purge_expired(&self, policy: PurgePolicy) -> StoreResult<PurgeCounts>;

    // Client apps
    async fn insert_app(&self, app: ClientApp) -> StoreResult<()>;
    /// Replaces the stored app with the same `client_id`.
    async fn update_app(&self, app: ClientApp) -> StoreResult<()>;
    /// Deletes the app together with its tokens, codes and usage counters.
    async fn delete_app(&self, client_id: &str) -> StoreResult<()>;
    async fn get_app(&self, client_id: &str) -> StoreResult<Option<ClientApp>>;
    /// All apps, oldest first.
    async fn list_apps(&self) -> StoreResult<Vec<ClientApp>>;

    // Tokens
    /// Stores tokens issued together (e.g. an access and a refresh token) atomically.
    async fn insert_tokens(&self, tokens: Vec<TokenRecord>) -> StoreResult<()>;
    /// The row of a presented token: `None` when there is none, or when the row found
    /// by the ID the token carries is not that token's (`TokenLookup::matches`).
    async fn find_token(&self, lookup: &TokenLookup) -> StoreResult<Option<TokenRecord>>;
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
    /// Atomically: if the refresh token `old` finds is active, revoke it and store
    /// `new_tokens`; if it was revoked already, revoke its family. `new_tokens` must not
    /// depend on anything but the old token's record, which the caller read before.
    async fn rotate_refresh_token(
        &self,
        old: &TokenLookup,
        new_tokens: Vec<TokenRecord>,
        now: i64,
    ) -> StoreResult<RefreshRotation>;

    // Usage: per-app, per-hour counters of access tokens issued, added to by every
    // write that stores new tokens, in its transaction.
    /// The app's usage and its window hour by hour (`usage_hours::summarize`).
    async fn app_usage(&self, client_id: &str, now: i64) -> StoreResult<(AppUsage, Vec<u64>)>;
    /// Every app that was ever counted, in one read of the counters.
    async fn list_app_usage(&self, now: i64) -> StoreResult<HashMap<String, AppUsage>>;
    /// Active tokens (neither revoked nor expired at `now`) of every app that has any.
    async fn count_active_tokens_by_app(&self, now: i64) -> StoreResult<HashMap<String, u64>>;
    /// Every stored hour of the app, oldest first, for `store copy`.
    async fn list_usage_hours(&self, client_id: &str) -> StoreResult<Vec<UsageHour>>;
    /// Replaces the app's stored hours with `hours`, for `store copy`.
    async fn replace_usage_hours(&self, client_id: &str, hours: Vec<UsageHour>) -> StoreResult<()>;

    // Authorization codes
    async fn insert_code(&self, code: AuthCode) -> StoreResult<()>;
    /// Marks the code used (first time) and returns it; see `CodeRedemption`. A store
    /// shared by several processes also records a second presentation, for
    /// `code_family_reused`.
    async fn redeem_code(&self, hash: &str, now: i64) -> StoreResult<CodeRedemption>;
    /// Whether the code of `family_id` was presented again after its first use. The
    /// exchange that won checks this after storing its tokens: a reuse on another
    /// replica may have revoked the family just before they were stored. A store only
    /// one process serves may answer false: the service remembers the reuses it saw.
    async fn code_family_reused(&self, family_id: &str) -> StoreResult<bool> {
        let _ = family_id;
        Ok(false)
    }

    // Device codes (RFC 8628)
    /// Stores a new device code; expired ones are purged on the way. `Conflict` when
    /// its user code is taken by a live one (the caller draws another).
    async fn insert_device_code(&self, code: DeviceCode) -> StoreResult<()>;
    /// By the normalised user code; expired and decided ones are returned too.
    async fn get_device_code_by_user_code(
        &self,
        user_code: &str,
    ) -> StoreResult<Option<DeviceCode>>;
    /// Atomically records the user's answer if the code is pending and unexpired;
    /// returns the code as it now stands, or `None` if it was not pending.
    async fn decide_device_code(
        &self,
        user_code: &str,
        decision: DeviceDecision,
        now: i64,
    ) -> StoreResult<Option<DeviceCode>>;
    /// Atomically answers one poll of `client_id` and records when it was made.
    async fn poll_device_code(
        &self,
        hash: &str,
        client_id: &str,
        now: i64,
    ) -> StoreResult<DevicePoll>;
    /// Atomically: if the code is approved and unexpired, mark it consumed and store
    /// `new_tokens`; if it was consumed already, revoke its family.
    async fn consume_device_code(
        &self,
        hash: &str,
        new_tokens: Vec<TokenRecord>,
        now: i64,
    ) -> StoreResult<DeviceConsumption>;

    // Users (resource owners)
    async fn insert_user(&self, user: User) -> StoreResult<()>;
    async fn get_user(&self, username: &str) -> StoreResult<Option<User>>;
    /// Every user with their active tokens and the distinct apps holding them, oldest
    /// first. A user's tokens are those of any grant but client credentials.
    async fn list_user_summaries(&self, now: i64) -> StoreResult<Vec<UserSummary>>;
    /// One user as `list_user_summaries` shows them.
    async fn get_user_summary(&self, username: &str, now: i64) -> StoreResult<Option<UserSummary>>;
    /// The token families of the user that hold an active token, newest first.
    async fn list_user_grants(&self, username: &str, now: i64) -> StoreResult<Vec<UserGrant>>;
    /// Records a successful sign-in; false if there is no such user.
    async fn record_sign_in(&self, username: &str, at: i64) -> StoreResult<bool>;

    // Admin keys
    async fn insert_admin_key(&self, key: AdminKey) -> StoreResult<()>;
    async fn get_admin_key_by_hash(&self, hash: &str) -> StoreResult<Option<AdminKey>>;
    async fn list_admin_keys(&self) -> StoreResult<Vec<AdminKey>>;
    async fn revoke_admin_key(&self, name: &str, now: i64) -> StoreResult<bool>;

    // Whole-store reads, for `store copy`
    /// Every user, oldest first.
    async fn list_users(&self) -> StoreResult<Vec<User>>;
    /// Every authorization code, used and expired ones included, oldest first.
    async fn list_codes(&self) -> StoreResult<Vec<AuthCode>>;
    /// Every device code, decided and expired ones included, oldest first.
    async fn list_device_codes(&self) -> StoreResult<Vec<DeviceCode>>;

    // Audit
    async fn insert_audit(&self, record: AuditRecord) -> StoreResult<()>;
    /// Newest first; `before_id` pages backwards.
    async fn list_audit(&self, limit: u32, before_id: Option<i64>)
    -> StoreResult<Vec<AuditRecord>>;
    /// Newest first, only records matching every filter given.
    async fn list_audit_filtered(&self, query: AuditQuery) -> StoreResult<Vec<AuditRecord>>;

    // Sign-in forms: the keys that seal them, and which were submitted already
    /// Every form key, newest first.
    async fn list_form_keys(&self) -> StoreResult<Vec<FormKey>>;
    /// Stores a new form key and deletes those created before `retire_before`.
    async fn insert_form_key(&self, key: FormKey, retire_before: i64) -> StoreResult<()>;
    /// Atomically marks the form `form_id` submitted: true the first time, false on
    /// every later call while the mark lives (until `expires_at`).
    async fn use_form(&self, form_id: &str, expires_at: i64, now: i64) -> StoreResult<bool>;
}
