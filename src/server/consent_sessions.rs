//! Forms waiting for the user's answer, keyed by the CSRF token each form carries:
//! authorization requests on the consent page, and the device page. The token is
//! random and single-use, so a form can only answer what it was shown for; only its
//! SHA-256 is used as the key.

use crate::service::crypto::{random_token, sha256_hex};
use crate::service::{AuthorizationRequest, ServiceError};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a consent page stays valid.
const LIFETIME: Duration = Duration::from_secs(10 * 60);
/// An upper bound, so unanswered pages cannot grow memory without limit.
const MAX_PENDING: usize = 10_000;

struct Pending<T> {
    request: T,
    expires: Instant,
}

/// Forms shown and not yet answered, each holding what its answer applies to.
pub struct PendingForms<T> {
    pending: Mutex<HashMap<String, Pending<T>>>,
}

impl<T> Default for PendingForms<T> {
    fn default() -> Self {
        PendingForms {
            pending: Mutex::new(HashMap::new()),
        }
    }
}

/// Authorization requests waiting on the consent page.
pub type ConsentSessions = PendingForms<AuthorizationRequest>;

/// Device pages shown (they hold nothing but their CSRF token).
pub type DeviceForms = PendingForms<()>;

impl<T> PendingForms<T> {
    /// Remembers `request` and returns the CSRF token for its form.
    pub fn start(&self, request: T) -> Result<String, ServiceError> {
        let token = random_token("", 32)?;
        let now = Instant::now();
        let mut pending = self
            .pending
            .lock()
            .map_err(|_| ServiceError::Internal("consent sessions lock poisoned".into()))?;
        pending.retain(|_, p| p.expires > now);
        if pending.len() >= MAX_PENDING {
            return Err(ServiceError::Internal(
                "too many sign-ins in progress".into(),
            ));
        }
        pending.insert(
            sha256_hex(&token),
            Pending {
                request,
                expires: now + LIFETIME,
            },
        );
        Ok(token)
    }

    /// The request a form was shown for; each token answers once.
    pub fn take(&self, token: &str) -> Option<T> {
        let mut pending = self.pending.lock().ok()?;
        let found = pending.remove(&sha256_hex(token))?;
        (found.expires > Instant::now()).then_some(found.request)
    }
}
