//! Resource owners (argon2id passwords) and admin keys (SHA-256 of a random key).

use super::crypto::{constant_time_eq, random_bytes, random_token, sha256_hex};
use super::{Clock, Service, ServiceError, ServiceResult, SystemClock};
use crate::domain::{
    ADMIN_KEY_PREFIX, AdminKey, AuditRecord, MAX_PASSWORD_BYTES, User, password_problem,
};
use crate::store::{AdminChange, Store, StoreError};
use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::{Mutex, OnceLock};

const MAX_USERNAME_CHARS: usize = 64;

/// Creates an admin key, stores its hash and returns the key (shown once) with its record.
pub async fn create_admin_key(
    store: &dyn Store,
    name: &str,
    read_only: bool,
) -> ServiceResult<(String, AdminKey)> {
    let now = SystemClock.now();
    let key = random_token(ADMIN_KEY_PREFIX, 32)?;
    let record = register_admin_key(store, &key, name, read_only, now).await?;
    Ok((key, record))
}

/// Stores the hash of an admin key generated elsewhere (e.g. one already written to
/// its file) under `name`.
pub async fn register_admin_key(
    store: &dyn Store,
    key: &str,
    name: &str,
    read_only: bool,
    now: i64,
) -> ServiceResult<AdminKey> {
    let record = admin_key_record(key, name, read_only, now)?;
    store
        .insert_admin_key(record.clone())
        .await
        .map_err(|e| key_conflict(e, &record.name))?;
    Ok(record)
}

fn key_conflict(error: StoreError, name: &str) -> ServiceError {
    match error {
        StoreError::Conflict => {
            ServiceError::Conflict(format!("An admin key named {name:?} exists already"))
        }
        other => other.into(),
    }
}

/// The stored form of an admin key named `name` (checked): its hash, never the key.
fn admin_key_record(key: &str, name: &str, read_only: bool, now: i64) -> ServiceResult<AdminKey> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_USERNAME_CHARS {
        return Err(ServiceError::InvalidRequest(format!(
            "An admin key name has 1 to {MAX_USERNAME_CHARS} characters"
        )));
    }
    if !key.starts_with(ADMIN_KEY_PREFIX) {
        return Err(ServiceError::InvalidRequest(format!(
            "Admin keys start with {ADMIN_KEY_PREFIX}"
        )));
    }
    Ok(AdminKey {
        name: name.to_string(),
        hash: sha256_hex(key),
        read_only,
        created_at: now,
        revoked_at: None,
    })
}

/// Checks a new password against the rules and hashes it with argon2id off the async
/// threads. The password is never logged, and errors never repeat it.
pub(super) async fn hash_new_password(password: &str) -> ServiceResult<String> {
    if let Some(problem) = password_problem(password) {
        return Err(ServiceError::InvalidRequest(problem));
    }
    let password = password.to_string();
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| ServiceError::Internal(format!("hashing task failed: {e}")))?
}

fn hash_password(password: &str) -> ServiceResult<String> {
    let salt = SaltString::encode_b64(&random_bytes(16)?)
        .map_err(|e| ServiceError::Internal(format!("salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| ServiceError::Internal(format!("password hashing failed: {e}")))
}

/// argon2 working memory (~19 MiB each) kept for reuse. Allocated afresh and freed
/// per check, these blocks stay behind in the allocator's per-thread arenas, and the
/// process grows with every thread that ever checked a password.
static WORK_MEMORY: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());
/// At most this many blocks of working memory are kept (more run only if callers do
/// not bound their concurrency; theirs is freed after use).
const KEPT_WORK_MEMORY: usize = 16;

fn verify_password(password: &str, phc: &str) -> bool {
    let mut memory = WORK_MEMORY
        .lock()
        .ok()
        .and_then(|mut kept| kept.pop())
        .unwrap_or_default();
    let matches = verify_with_memory(password, phc, &mut memory);
    if let Ok(mut kept) = WORK_MEMORY.lock()
        && kept.len() < KEPT_WORK_MEMORY
    {
        kept.push(memory);
    }
    matches
}

/// `PasswordVerifier::verify_password`, computed in `memory` rather than a fresh allocation.
fn verify_with_memory(password: &str, phc: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        Algorithm::try_from(parsed.algorithm),
        Params::try_from(&parsed),
    ) else {
        return false;
    };
    let version = match parsed.version {
        Some(v) => Version::try_from(v),
        None => Ok(Version::default()),
    };
    let (Ok(version), Some(salt), Some(expected)) = (version, parsed.salt, parsed.hash) else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let blocks = params.block_count();
    if memory.len() < blocks {
        memory.resize(blocks, Block::new());
    }
    let mut out = vec![0u8; expected.len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..blocks])
        .is_ok()
        && bool::from(subtle::ConstantTimeEq::ct_eq(
            out.as_slice(),
            expected.as_bytes(),
        ))
}

/// A hash to verify against when the user does not exist, so that an unknown
/// username costs as much time as a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not-a-real-password").unwrap_or_default())
}

impl Service {
    /// Adds a resource owner; the password is hashed with argon2id off the async threads.
    pub async fn create_user(
        &self,
        actor: &str,
        username: &str,
        password: &str,
    ) -> ServiceResult<()> {
        let username = username.trim().to_string();
        let chars = username.chars().count();
        if chars == 0 || chars > MAX_USERNAME_CHARS || username.chars().any(char::is_control) {
            return Err(ServiceError::InvalidRequest(format!(
                "A username has 1 to {MAX_USERNAME_CHARS} printable characters"
            )));
        }
        let password_hash = hash_new_password(password).await?;
        let now = self.now();
        let record = audit_record(
            actor,
            "user.create",
            &username,
            None,
            Some(serde_json::json!({ "username": username })),
            now,
        );
        let user = User {
            username: username.clone(),
            password_hash,
            created_at: now,
            disabled: false,
            last_sign_in: None,
        };
        self.store
            .write_admin_change(AdminChange::InsertUser(user), record)
            .await
            .map_err(|e| match e {
                StoreError::Conflict => {
                    ServiceError::Conflict(format!("A user named {username:?} exists already"))
                }
                other => other.into(),
            })?;
        tracing::info!(actor, username = %username, "user created");
        Ok(())
    }

    /// Checks a resource owner's password. Unknown users, disabled users and wrong
    /// passwords look alike, and cost the same time: the hash is always checked.
    pub async fn verify_user(&self, username: &str, password: &str) -> ServiceResult<bool> {
        if password.len() > MAX_PASSWORD_BYTES {
            return Ok(false);
        }
        let user = self.store.get_user(username.trim()).await?;
        let (phc, may_sign_in) = match user {
            Some(user) => (user.password_hash, !user.disabled),
            None => (dummy_hash().to_string(), false),
        };
        let password = password.to_string();
        let matches = tokio::task::spawn_blocking(move || verify_password(&password, &phc))
            .await
            .map_err(|e| ServiceError::Internal(format!("verification task failed: {e}")))?;
        Ok(may_sign_in && matches)
    }

    /// Notes a successful sign-in as the user's last. A failure to write it is logged,
    /// not a failed sign-in: the password was right.
    pub async fn record_sign_in(&self, username: &str) {
        let username = username.trim();
        if let Err(e) = self.store.record_sign_in(username, self.now()).await {
            tracing::warn!(error = %e, "could not record the last sign-in");
        }
    }

    /// The admin key behind a presented bearer value, if it is known and not revoked.
    pub async fn authenticate_admin(&self, presented: &str) -> ServiceResult<AdminKey> {
        let unknown = || ServiceError::Unauthenticated("The admin key is not valid".into());
        if !presented.starts_with(ADMIN_KEY_PREFIX) {
            return Err(unknown());
        }
        let hash = sha256_hex(presented);
        let key = self
            .store
            .get_admin_key_by_hash(&hash)
            .await?
            .ok_or_else(unknown)?;
        if key.revoked_at.is_some() || !constant_time_eq(&key.hash, &hash) {
            return Err(unknown());
        }
        Ok(key)
    }

    /// Creates an admin key on the server's own machine (not through the API).
    pub async fn create_admin_key(
        &self,
        name: &str,
        read_only: bool,
    ) -> ServiceResult<(String, AdminKey)> {
        self.create_admin_key_as("local", name, read_only).await
    }

    /// Creates an admin key on behalf of `actor`; the key is returned this once and
    /// never audited or logged.
    pub async fn create_admin_key_as(
        &self,
        actor: &str,
        name: &str,
        read_only: bool,
    ) -> ServiceResult<(String, AdminKey)> {
        let key = random_token(ADMIN_KEY_PREFIX, 32)?;
        let now = self.now();
        let record = admin_key_record(&key, name, read_only, now)?;
        // AdminKey serializes without its hash.
        let after = serde_json::to_value(&record).ok();
        let audit = audit_record(actor, "admin_key.create", &record.name, None, after, now);
        self.store
            .write_admin_change(AdminChange::InsertAdminKey(record.clone()), audit)
            .await
            .map_err(|e| key_conflict(e, &record.name))?;
        tracing::info!(actor, name = %record.name, read_only, "admin key created");
        Ok((key, record))
    }

    /// Revokes the admin key `name`. The caller's own key cannot be revoked with
    /// itself, so nobody locks themselves out by mistake.
    pub async fn revoke_admin_key(&self, caller: &AdminKey, name: &str) -> ServiceResult<()> {
        if caller.name == name {
            return Err(ServiceError::Conflict(format!(
                "The admin key {name:?} is the one making this request; revoke it with another read-write key"
            )));
        }
        let keys = self.store.list_admin_keys().await?;
        let Some(before) = keys.into_iter().find(|k| k.name == name) else {
            return Err(ServiceError::NotFound(format!(
                "No admin key named {name:?}"
            )));
        };
        let now = self.now();
        let after = AdminKey {
            revoked_at: Some(now),
            ..before.clone()
        };
        let record = audit_record(
            &caller.name,
            "admin_key.revoke",
            name,
            serde_json::to_value(&before).ok(),
            serde_json::to_value(&after).ok(),
            now,
        );
        let change = AdminChange::RevokeAdminKey {
            name: name.to_string(),
            now,
        };
        match self.store.write_admin_change(change, record).await {
            Ok(_) => {}
            Err(StoreError::NotFound) => {
                return Err(ServiceError::NotFound(format!(
                    "The admin key {name:?} is revoked already"
                )));
            }
            Err(e) => return Err(e.into()),
        }
        tracing::info!(actor = %caller.name, name, "admin key revoked");
        Ok(())
    }

    /// Revokes the admin key `name` on the server's own machine (not through the API),
    /// audited as `local`, like `create_admin_key`.
    pub async fn revoke_admin_key_locally(&self, name: &str) -> ServiceResult<()> {
        let local = AdminKey {
            name: "local".to_string(),
            hash: String::new(),
            read_only: false,
            created_at: self.now(),
            revoked_at: None,
        };
        self.revoke_admin_key(&local, name).await
    }

    pub async fn register_admin_key(
        &self,
        key: &str,
        name: &str,
        read_only: bool,
    ) -> ServiceResult<AdminKey> {
        register_admin_key(self.store.as_ref(), key, name, read_only, self.now()).await
    }

    pub async fn list_admin_keys(&self) -> ServiceResult<Vec<AdminKey>> {
        Ok(self.store.list_admin_keys().await?)
    }
}

/// An audit record of an administrator's change, for `Store::write_admin_change`.
/// Values never hold secrets: apps and keys serialize without them.
pub(super) fn audit_record(
    actor: &str,
    action: &str,
    target: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
    at: i64,
) -> AuditRecord {
    AuditRecord {
        id: 0,
        at,
        actor: actor.to_string(),
        action: action.to_string(),
        target: target.to_string(),
        before,
        after,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn reused_working_memory_checks_passwords_like_the_crate_does() {
        let phc = hash_password("correct horse battery").unwrap();
        assert!(verify_password("correct horse battery", &phc));
        assert!(!verify_password("correct horse batterz", &phc));
        assert!(!verify_password(
            "correct horse battery",
            "not a phc string"
        ));
        // And again, on memory that held the previous check.
        assert!(verify_password("correct horse battery", &phc));
    }
}
