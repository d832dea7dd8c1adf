//! The device authorization grant (RFC 8628): a device without a browser gets a
//! device code to poll with and a short user code; the user enters it on the device
//! page, signs in and answers; the device's next poll gets tokens, once.

use super::crypto::{random_bytes, random_token, sha256_hex};
use super::tokens::{Grant, default_scopes, new_family_id, resolve_scopes};
use super::{Service, ServiceError, ServiceResult, TokenResponse};
use crate::domain::{
    ClientApp, DEVICE_CODE_PREFIX, DeviceCode, DeviceStatus, GrantType, Scope, USER_CODE_ALPHABET,
    USER_CODE_LEN, display_user_code, grants_access, normalize_user_code, scopes_still_allowed,
};
use crate::store::{DeviceConsumption, DeviceDecision, DevicePoll, StoreError};
use serde::Serialize;

/// Draws of a fresh user code before giving up (a clash needs a live code with the
/// same 8 letters: 20^8 of them).
const USER_CODE_ATTEMPTS: usize = 5;

/// What the device authorization endpoint answers, less the URIs the HTTP layer adds.
#[derive(Clone, Serialize)]
pub struct DeviceAuthorization {
    pub device_code: String,
    /// As shown to people: `XXXX-XXXX`.
    pub user_code: String,
    pub expires_in: i64,
    pub interval: i64,
}

impl std::fmt::Debug for DeviceAuthorization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Both codes are credentials: never print them.
        f.debug_struct("DeviceAuthorization")
            .field("expires_in", &self.expires_in)
            .field("interval", &self.interval)
            .finish_non_exhaustive()
    }
}

/// What the user agreed to (or refused), to show on the page afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceConsent {
    pub app_name: String,
    pub scopes: Vec<Scope>,
}

/// A user code still waiting for its answer, with the app that asked, as it is now.
#[derive(Debug, Clone)]
pub struct PendingDevice {
    /// Normalised: 8 letters, no dash.
    pub user_code: String,
    pub app: ClientApp,
    pub scopes: Vec<Scope>,
}

/// A user code from the OS RNG: unbiased letters of `USER_CODE_ALPHABET`.
fn new_user_code() -> ServiceResult<String> {
    let alphabet = USER_CODE_ALPHABET.len();
    // The largest multiple of the alphabet size that fits a byte: above it, skip.
    let limit = 256 - 256 % alphabet;
    let mut code = String::with_capacity(USER_CODE_LEN);
    while code.len() < USER_CODE_LEN {
        for byte in random_bytes(16)? {
            let byte = usize::from(byte);
            if byte < limit && code.len() < USER_CODE_LEN {
                code.push(char::from(USER_CODE_ALPHABET[byte % alphabet]));
            }
        }
    }
    Ok(code)
}

impl Service {
    /// RFC 8628 §3.1–3.2: starts a device authorization for `app`.
    pub async fn device_authorization(
        &self,
        app: &ClientApp,
        scope: Option<&str>,
    ) -> ServiceResult<DeviceAuthorization> {
        if !app.has_grant(GrantType::DeviceCode) {
            return Err(ServiceError::UnauthorizedClient(
                "This client may not use the device authorization grant".into(),
            ));
        }
        let scopes = resolve_scopes(scope, &app.scopes, default_scopes(app))?;
        let device_code = random_token(DEVICE_CODE_PREFIX, 32)?;
        let now = self.now();
        let family_id = new_family_id()?;
        for _ in 0..USER_CODE_ATTEMPTS {
            let user_code = new_user_code()?;
            let record = DeviceCode {
                hash: sha256_hex(&device_code),
                user_code: user_code.clone(),
                client_id: app.client_id.clone(),
                scopes: scopes.clone(),
                issued_at: now,
                expires_at: now.saturating_add(self.config.device_code_ttl),
                interval: self.config.device_poll_interval,
                last_polled_at: None,
                status: DeviceStatus::Pending,
                subject: None,
                family_id: family_id.clone(),
            };
            match self.store.insert_device_code(record).await {
                Ok(()) => {
                    tracing::info!(client_id = %app.client_id, "device authorization started");
                    return Ok(DeviceAuthorization {
                        device_code,
                        user_code: display_user_code(&user_code),
                        expires_in: self.config.device_code_ttl,
                        interval: self.config.device_poll_interval,
                    });
                }
                Err(StoreError::Conflict) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(ServiceError::Internal(
            "no free user code after several draws".into(),
        ))
    }

    /// The code a person typed, if it is live and its app still may have what it asked
    /// for (the app may have changed or gone since the device started).
    pub async fn pending_device(&self, typed_code: &str) -> ServiceResult<Option<PendingDevice>> {
        let Some(normalized) = normalize_user_code(typed_code) else {
            return Ok(None);
        };
        let now = self.now();
        let Some(code) = self
            .store
            .get_device_code_by_user_code(&normalized)
            .await?
            .filter(|c| c.status == DeviceStatus::Pending && now < c.expires_at)
        else {
            return Ok(None);
        };
        let Some(app) = self.store.get_app(&code.client_id).await? else {
            return Ok(None);
        };
        if !app.has_grant(GrantType::DeviceCode)
            || !code.scopes.iter().all(|s| app.scopes.contains(s))
        {
            tracing::info!(client_id = %app.client_id, "device code no longer allowed by its app");
            return Ok(None);
        }
        Ok(Some(PendingDevice {
            user_code: code.user_code,
            app,
            scopes: code.scopes,
        }))
    }

    /// Records a person's answer to a pending code: approved for `subject`, or denied
    /// when `subject` is `None`. `None` back when the code was no longer pending.
    pub async fn decide_device(
        &self,
        user_code: &str,
        subject: Option<&str>,
    ) -> ServiceResult<Option<DeviceConsent>> {
        let decision = match subject {
            Some(subject) => DeviceDecision::Approve {
                subject: subject.trim().to_string(),
            },
            None => DeviceDecision::Deny,
        };
        let Some(decided) = self
            .store
            .decide_device_code(user_code, decision, self.now())
            .await?
        else {
            return Ok(None);
        };
        let app_name = self
            .store
            .get_app(&decided.client_id)
            .await?
            .map(|app| app.name)
            .unwrap_or_default();
        tracing::info!(client_id = %decided.client_id, approved = subject.is_some(), "device code answered");
        Ok(Some(DeviceConsent {
            app_name,
            scopes: decided.scopes,
        }))
    }

    /// RFC 8628 §3.4–3.5: the device polls with its device code.
    pub async fn device_code_grant(
        &self,
        app: &ClientApp,
        device_code: Option<&str>,
    ) -> ServiceResult<TokenResponse> {
        if !app.has_grant(GrantType::DeviceCode) {
            return Err(ServiceError::UnauthorizedClient(
                "This client may not use the device code grant".into(),
            ));
        }
        let device_code = device_code
            .ok_or_else(|| ServiceError::InvalidRequest("device_code is missing".into()))?;
        let hash = sha256_hex(device_code);
        let now = self.now();
        let code = match self
            .store
            .poll_device_code(&hash, &app.client_id, now)
            .await?
        {
            DevicePoll::Approved(code) => code,
            DevicePoll::Pending => {
                return Err(ServiceError::AuthorizationPending(
                    "The user has not answered yet".into(),
                ));
            }
            DevicePoll::SlowDown { interval } => {
                return Err(ServiceError::SlowDown(format!(
                    "Polling too fast: wait at least {interval} seconds between requests"
                )));
            }
            DevicePoll::Expired => {
                return Err(ServiceError::ExpiredToken(
                    "The device code has expired; start again".into(),
                ));
            }
            DevicePoll::Denied => {
                return Err(ServiceError::AccessDenied(
                    "The user denied the request".into(),
                ));
            }
            DevicePoll::Reused { family_id, revoked } => {
                tracing::warn!(client_id = %app.client_id, family_id, revoked, "device code reused; its tokens are revoked");
                return Err(ServiceError::InvalidGrant(
                    "The device code was used already".into(),
                ));
            }
            DevicePoll::NotFound => {
                return Err(ServiceError::InvalidGrant(
                    "The device code is not valid".into(),
                ));
            }
        };
        let subject = code.subject.clone().ok_or_else(|| {
            ServiceError::Internal("an approved device code has no subject".into())
        })?;
        // The app as it is now bounds what was approved.
        let scopes = scopes_still_allowed(app, &code.scopes);
        if !grants_access(&scopes) {
            return Err(ServiceError::InvalidGrant(
                "This client is no longer allowed the scopes that were approved".into(),
            ));
        }
        // The user as they are now: disabled or deleted since they approved, no tokens.
        if !self.subject_may_use_tokens(&subject).await? {
            return Err(ServiceError::InvalidGrant(
                "The device code is not valid".into(),
            ));
        }
        let (response, records) = self.mint(&Grant {
            app,
            subject,
            scopes,
            grant: GrantType::DeviceCode,
            family_id: code.family_id.clone(),
            with_refresh: true,
            family_expires_at: None,
        })?;
        match self.store.consume_device_code(&hash, records, now).await? {
            DeviceConsumption::Consumed => {
                tracing::info!(client_id = %app.client_id, "tokens issued for a device code");
                Ok(response)
            }
            DeviceConsumption::Reused { revoked } => {
                tracing::warn!(client_id = %app.client_id, revoked, "device code exchanged twice at once; its tokens are revoked");
                Err(ServiceError::InvalidGrant(
                    "The device code was used already".into(),
                ))
            }
            DeviceConsumption::NotApproved => Err(ServiceError::InvalidGrant(
                "The device code is not valid".into(),
            )),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_codes() {
        let started = DeviceAuthorization {
            device_code: "ocd_secret-device".into(),
            user_code: "BCDF-GHJK".into(),
            expires_in: 600,
            interval: 5,
        };
        let shown = format!("{started:?}");
        assert!(!shown.contains("secret-device") && !shown.contains("BCDF"));
    }

    #[test]
    fn user_codes_are_eight_unambiguous_letters() {
        for _ in 0..50 {
            let code = new_user_code().unwrap();
            assert_eq!(code.len(), USER_CODE_LEN);
            assert_eq!(normalize_user_code(&code).as_deref(), Some(code.as_str()));
        }
    }
}
