//! Authorization requests waiting for the user's answer, keyed by the CSRF token the
//! consent form carries. The token is random and single-use, so a form can only
//! answer the request it was shown for; only its SHA-256 is used as the key.

use crate::service::crypto::{random_token, sha256_hex};
use crate::service::{AuthorizationRequest, ServiceError};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a consent page stays valid.
const LIFETIME: Duration = Duration::from_secs(10 * 60);
/// An upper bound, so unanswered pages cannot grow memory without limit.
const MAX_PENDING: usize = 10_000;

struct Pending {
    request: AuthorizationRequest,
    expires: Instant,
}

#[derive(Default)]
pub struct ConsentSessions {
    pending: Mutex<HashMap<String, Pending>>,
}

impl ConsentSessions {
    /// Remembers `request` and returns the CSRF token for its form.
    pub fn start(&self, request: AuthorizationRequest) -> Result<String, ServiceError> {
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
    pub fn take(&self, token: &str) -> Option<AuthorizationRequest> {
        let mut pending = self.pending.lock().ok()?;
        let found = pending.remove(&sha256_hex(token))?;
        (found.expires > Instant::now()).then_some(found.request)
    }
}
