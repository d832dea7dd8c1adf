//! The operations both the server and its tests call (no HTTP types).
//!
//! `Service` owns the store, the lifetimes and the clock; each file adds one group of
//! operations to it: `apps` (admin changes, with audit), `accounts` (users, admin
//! keys), `clients` (client authentication), `authorize` (codes, PKCE), `device`
//! (RFC 8628), `tokens` (issue, introspect, revoke) and `refresh` (rotation), `users` (resource owners as administrators manage them).

mod accounts;
mod app_impact;
mod app_secrets;
mod apps;
mod audit_trail;
mod authorize;
mod cleanup;
mod clients;
pub mod crypto;
mod device;
mod error;
mod form_keys;
mod health;
mod refresh;
mod refusals;
pub mod sealed_form;
mod token_admin;
pub mod token_format;
mod tokens;
mod users;

pub use accounts::create_admin_key;
pub use authorize::{AuthorizationRequest, AuthorizeRejection};
pub use authorize::{Authorized, is_valid_pkce_verifier};
pub use clients::ClientCredentials;
pub use device::{DeviceAuthorization, DeviceConsent, PendingDevice};
pub use error::{ServiceError, ServiceResult};
pub use form_keys::{FORM_LIFETIME, FormRefusal};
pub use health::{READINESS_TIMEOUT, Readiness};
pub use refusals::{REFUSED_ACTION, RefusedCall};
pub use tokens::{Introspection, Introspector, TokenResponse};

use crate::store::Store;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// 90 days.
pub const DEFAULT_REFRESH_FAMILY_LIFETIME: i64 = 90 * 24 * 3600;

/// Lifetimes and limits the server applies when an app does not override them.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// Seconds an access token lives.
    pub access_token_ttl: i64,
    /// Seconds a refresh token lives.
    pub refresh_token_ttl: i64,
    /// Seconds an authorization code may wait to be exchanged.
    pub code_ttl: i64,
    /// Seconds a device code waits for the user (RFC 8628 `expires_in`).
    pub device_code_ttl: i64,
    /// Seconds a device must wait between polls, at first (RFC 8628 `interval`).
    pub device_poll_interval: i64,
    /// Seconds a rotated-out client secret keeps working, unless the rotation says.
    pub secret_grace_seconds: i64,
    /// Seconds a refresh family lives at most, from its first token: rotation never
    /// extends it past that (then the user signs in again).
    pub refresh_family_lifetime: i64,
    /// Seconds an expired or revoked token stays (for the Active tokens tab's recent
    /// history) before the cleanup deletes it. A revoked refresh token stays at least
    /// until it would have expired, so that its reuse is still recognised.
    pub token_retention: i64,
    /// Seconds audit records are kept; `None` keeps them forever.
    pub audit_retention: Option<i64>,
    /// Seconds between two runs of the cleanup task; `None`: no cleanup.
    pub cleanup_interval: Option<i64>,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        ServiceConfig {
            access_token_ttl: 3600,
            refresh_token_ttl: 30 * 24 * 3600,
            code_ttl: 60,
            device_code_ttl: 600,
            device_poll_interval: 5,
            secret_grace_seconds: 24 * 3600,
            refresh_family_lifetime: DEFAULT_REFRESH_FAMILY_LIFETIME,
            token_retention: 7 * 24 * 3600,
            audit_retention: Some(365 * 24 * 3600),
            cleanup_interval: Some(300),
        }
    }
}

/// Where "now" comes from, so that expiry can be reasoned about in one place.
pub trait Clock: Send + Sync + 'static {
    /// Unix seconds, UTC.
    fn now(&self) -> i64;
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        crate::domain::unix_now()
    }
}

/// The authorization server's operations over one store.
#[derive(Clone)]
pub struct Service {
    store: Arc<dyn Store>,
    config: ServiceConfig,
    clock: Arc<dyn Clock>,
    /// Families of codes presented twice, with when: an exchange that raced with the
    /// reuse checks here after storing its tokens (see `authorize::exchange_code`).
    reused_code_families: Arc<Mutex<HashMap<String, i64>>>,
    /// The keys that seal sign-in forms, as last read from the store.
    form_keys: Arc<form_keys::FormKeyring>,
    /// How many refused admin calls were recorded lately (see `refusals`).
    refusals: Arc<refusals::Refusals>,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Service {
    pub fn new(store: Arc<dyn Store>, config: ServiceConfig, clock: Arc<dyn Clock>) -> Service {
        Service {
            store,
            config,
            clock,
            reused_code_families: Arc::new(Mutex::new(HashMap::new())),
            form_keys: Arc::default(),
            refusals: Arc::default(),
        }
    }

    /// A service with default lifetimes and the system clock.
    pub fn with_defaults(store: Arc<dyn Store>) -> Service {
        Service::new(store, ServiceConfig::default(), Arc::new(SystemClock))
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn config(&self) -> &ServiceConfig {
        &self.config
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }
}
