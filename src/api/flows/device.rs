//! Device authorization grant (RFC 8628), client side: ask for a user code, then poll
//! the token endpoint until someone approves it on another device.

use super::endpoint_auth::error_from_response;
use super::http::{configuration_error, oauth_client};
use super::{EndpointAuth, FlowError, IssuedTokens, SecretString, ServerMetadata};
use crate::domain::DEVICE_CODE_GRANT;
use crate::domain::unix_now;
use oauth2::basic::BasicTokenResponse;
use oauth2::{Scope, StandardDeviceAuthorizationResponse};
use std::time::Duration;

/// RFC 8628 §3.5: each `slow_down` adds five seconds to the polling interval.
pub const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);

/// What the user must see to approve the device, and what polling needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceAuthorization {
    pub device_code: SecretString,
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: Option<String>,
    /// Unix seconds.
    pub expires_at: i64,
    /// How long to wait between polls (5 s when the server does not say).
    pub interval: Duration,
}

/// Progress of the polling, for the console to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DevicePollEvent {
    /// Nobody has approved yet; the next poll comes after `interval`.
    Pending { interval: Duration },
    /// The server asked us to poll less often; `interval` is the new, longer wait.
    SlowDown { interval: Duration },
    /// A poll timed out or met a server error; the next comes after `interval` (doubled).
    Retrying { interval: Duration, reason: String },
}

/// Asks the device authorization endpoint for a device code and a user code.
pub async fn request_device_code(
    http: &reqwest::Client,
    metadata: &ServerMetadata,
    client_id: &str,
    secret: Option<&SecretString>,
    scopes: &[String],
) -> Result<DeviceAuthorization, FlowError> {
    let url = metadata
        .device_authorization_endpoint
        .as_ref()
        .ok_or_else(|| {
            FlowError::NotAllowed("the server has no device authorization endpoint".into())
        })?
        .to_string();
    let client = oauth_client(metadata, client_id, secret, None)?;
    let response: StandardDeviceAuthorizationResponse = client
        .exchange_device_code()
        .map_err(configuration_error)?
        .add_scopes(scopes.iter().map(|s| Scope::new(s.clone())))
        .request_async(http)
        .await
        .map_err(|e| super::http::token_error(&url, e))?;
    let expires_in = i64::try_from(response.expires_in().as_secs()).unwrap_or(i64::MAX);
    Ok(DeviceAuthorization {
        device_code: SecretString::new(response.device_code().secret().clone()),
        user_code: response.user_code().secret().clone(),
        verification_uri: response.verification_uri().to_string(),
        verification_uri_complete: response
            .verification_uri_complete()
            .map(|u| u.secret().clone()),
        expires_at: unix_now().saturating_add(expires_in),
        interval: response.interval(),
    })
}

/// Polls the token endpoint until the device is approved, denied or the code expires,
/// waiting `interval` before each poll and telling `on_event` about each wait.
/// Cancel by dropping the future.
pub async fn poll_for_tokens(
    http: &reqwest::Client,
    metadata: &ServerMetadata,
    auth: &EndpointAuth,
    device: &DeviceAuthorization,
    scopes: &[String],
    mut on_event: impl FnMut(DevicePollEvent),
) -> Result<IssuedTokens, FlowError> {
    let url = metadata.token_endpoint()?.clone();
    let mut interval = device.interval;
    let mut failures = 0;
    loop {
        let next_poll =
            unix_now().saturating_add(i64::try_from(interval.as_secs()).unwrap_or(i64::MAX));
        if next_poll > device.expires_at {
            return Err(FlowError::oauth("expired_token", None));
        }
        tokio::time::sleep(interval).await;
        let error = match poll_once(http, metadata, auth, &url, device).await {
            Ok(body) => return Ok(IssuedTokens::from_response(&body, scopes)),
            Err(Poll::Transient(error)) => {
                // RFC 8628 §3.5: back off on timeouts and server errors; give up after a few.
                failures += 1;
                if failures >= MAX_TRANSIENT_FAILURES {
                    return Err(error);
                }
                interval *= 2;
                on_event(DevicePollEvent::Retrying {
                    interval,
                    reason: error.to_string(),
                });
                continue;
            }
            Err(Poll::Answer(error)) => error,
        };
        failures = 0;
        match error.oauth_code() {
            Some("authorization_pending") => on_event(DevicePollEvent::Pending { interval }),
            Some("slow_down") => {
                interval += SLOW_DOWN_STEP;
                on_event(DevicePollEvent::SlowDown { interval });
            }
            _ => return Err(error),
        }
    }
}

/// How many timeouts or server errors in a row end the polling.
const MAX_TRANSIENT_FAILURES: u32 = 3;

enum Poll {
    /// The network or the server failed; trying again later may work.
    Transient(FlowError),
    /// The server answered with an error (pending, slow down, denied…).
    Answer(FlowError),
}

async fn poll_once(
    http: &reqwest::Client,
    metadata: &ServerMetadata,
    auth: &EndpointAuth,
    url: &url::Url,
    device: &DeviceAuthorization,
) -> Result<BasicTokenResponse, Poll> {
    let mut form = vec![
        ("grant_type", DEVICE_CODE_GRANT.to_string()),
        ("device_code", device.device_code.expose().to_string()),
    ];
    let request = auth.apply(http.post(url.clone()), &mut form, metadata);
    let response = request
        .form(&form)
        .send()
        .await
        .map_err(|e| Poll::Transient(FlowError::unreachable(url.as_str(), &e)))?;
    let status = response.status();
    if status.is_success() {
        return response
            .json()
            .await
            .map_err(|e| Poll::Answer(FlowError::Protocol(format!("token answer: {e}"))));
    }
    let error = error_from_response(response).await;
    if status.is_server_error() {
        Err(Poll::Transient(error))
    } else {
        Err(Poll::Answer(error))
    }
}
