//! The keys that seal sign-in forms, kept in the store so that every process on one
//! database opens every other's forms. A key seals for a day; the one before it still
//! opens forms until they expire. Keys never change once made, so this process keeps
//! them in memory and asks the store again only for one it has not seen, or a minute on.

use super::crypto::{random_bytes, random_token};
use super::sealed_form::{self, FormContent, KEY_BYTES, NONCE_BYTES, SealError};
use super::{Service, ServiceError, ServiceResult};
use crate::domain::FormKey;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Seconds a sign-in form can be submitted after it was shown.
pub const FORM_LIFETIME: i64 = 10 * 60;
/// Seconds a key seals new forms before a new key takes over.
const ROTATE_AFTER: i64 = 24 * 3600;
/// Keys older than this are deleted when a new one is made: by then no form they
/// sealed can still be submitted.
const RETIRE_AFTER: i64 = ROTATE_AFTER + FORM_LIFETIME + 3600;
/// How long this process trusts its list of keys before reading it again.
const REFRESH_AFTER: Duration = Duration::from_secs(60);
/// At most one extra read of the store a second for forms naming an unknown key.
const MISS_REFRESH_AFTER: Duration = Duration::from_secs(1);

#[derive(Default)]
pub struct FormKeyring {
    cache: Mutex<KeyCache>,
}

#[derive(Default)]
struct KeyCache {
    /// Newest first.
    keys: Vec<FormKey>,
    fetched: Option<Instant>,
}

/// Why a submitted form is not accepted.
#[derive(Debug, thiserror::Error)]
pub enum FormRefusal {
    /// Not sealed here, changed, for another page, or for another browser.
    #[error("the form is not valid here")]
    Invalid,
    #[error("the form has expired")]
    Expired,
    #[error("the form was submitted already")]
    Used,
    #[error(transparent)]
    Failed(#[from] ServiceError),
}

impl FormKeyring {
    fn cached(&self, max_age: Duration) -> Option<Vec<FormKey>> {
        let cache = self.cache.lock().ok()?;
        let fresh = cache.fetched.is_some_and(|at| at.elapsed() < max_age);
        fresh.then(|| cache.keys.clone())
    }

    fn remember(&self, keys: Vec<FormKey>) {
        if let Ok(mut cache) = self.cache.lock() {
            cache.keys = keys;
            cache.fetched = Some(Instant::now());
        }
    }
}

impl Service {
    async fn form_keys(&self, max_age: Duration) -> ServiceResult<Vec<FormKey>> {
        if let Some(keys) = self.form_keys.cached(max_age) {
            return Ok(keys);
        }
        let keys = self.store.list_form_keys().await?;
        self.form_keys.remember(keys.clone());
        Ok(keys)
    }

    /// The key new forms are sealed with, made when there is none younger than a day.
    async fn sealing_key(&self) -> ServiceResult<FormKey> {
        let now = self.now();
        let current = |keys: &[FormKey]| {
            keys.iter()
                .find(|k| k.created_at <= now && now - k.created_at < ROTATE_AFTER)
                .cloned()
        };
        if let Some(key) = current(&self.form_keys(REFRESH_AFTER).await?) {
            return Ok(key);
        }
        // Another process may have made one a moment ago.
        if let Some(key) = current(&self.form_keys(Duration::ZERO).await?) {
            return Ok(key);
        }
        let key = FormKey {
            id: random_token("", 6)?,
            secret: random_bytes(KEY_BYTES)?,
            created_at: now,
        };
        self.store
            .insert_form_key(key.clone(), now - RETIRE_AFTER)
            .await?;
        tracing::info!(key_id = %key.id, "new form sealing key");
        self.form_keys(Duration::ZERO).await?;
        Ok(key)
    }

    /// Seals a form for `purpose`, bound to `binding`, valid for ten minutes.
    pub async fn seal_form(
        &self,
        purpose: &str,
        binding: &str,
        fields: BTreeMap<String, String>,
    ) -> ServiceResult<String> {
        let key = self.sealing_key().await?;
        let content = FormContent {
            purpose: purpose.to_string(),
            id: random_token("", 16)?,
            binding: binding.to_string(),
            expires_at: self.now().saturating_add(FORM_LIFETIME),
            fields,
        };
        let nonce: [u8; NONCE_BYTES] = random_bytes(NONCE_BYTES)?
            .try_into()
            .map_err(|_| ServiceError::Internal("nonce of the wrong size".into()))?;
        sealed_form::seal(&key, &nonce, &content)
            .map_err(|e| ServiceError::Internal(format!("sealing a form: {e}")))
    }

    /// Opens a submitted form: sealed here (by any process on this store), for one of
    /// `purposes` (a page and step), shown to this browser, not expired. Not yet marked
    /// used.
    pub async fn open_form(
        &self,
        sealed: &str,
        purposes: &[&str],
        binding: &str,
    ) -> Result<FormContent, FormRefusal> {
        let keys = self.form_keys(REFRESH_AFTER).await?;
        let content = match sealed_form::open(&keys, sealed) {
            Err(SealError::UnknownKey) => {
                let keys = self.form_keys(MISS_REFRESH_AFTER).await?;
                sealed_form::open(&keys, sealed)
            }
            other => other,
        }
        .map_err(|_| FormRefusal::Invalid)?;
        if !purposes.contains(&content.purpose.as_str())
            || binding.is_empty()
            || !super::crypto::constant_time_eq(&content.binding, binding)
        {
            return Err(FormRefusal::Invalid);
        }
        if self.now() >= content.expires_at {
            return Err(FormRefusal::Expired);
        }
        Ok(content)
    }

    /// Marks an opened form submitted; the first submission wins, any other is refused.
    pub async fn use_form(&self, content: &FormContent) -> Result<(), FormRefusal> {
        let first = self
            .store
            .use_form(&content.id, content.expires_at, self.now())
            .await
            .map_err(ServiceError::from)?;
        if first {
            Ok(())
        } else {
            Err(FormRefusal::Used)
        }
    }
}
