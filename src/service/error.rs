//! One error type for every service operation. It carries the RFC 6749 error code
//! (or the admin API's) so the HTTP layer only maps it to a status.

use crate::domain::RuleViolation;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// RFC 6749 `invalid_request`; also the admin API's malformed request.
    #[error("{0}")]
    InvalidRequest(String),
    /// RFC 6749 `invalid_client`: client authentication failed.
    #[error("{0}")]
    InvalidClient(String),
    #[error("{0}")]
    InvalidGrant(String),
    #[error("{0}")]
    UnauthorizedClient(String),
    #[error("{0}")]
    UnsupportedGrantType(String),
    #[error("{0}")]
    UnsupportedResponseType(String),
    #[error("{0}")]
    InvalidScope(String),
    #[error("{0}")]
    AccessDenied(String),
    /// RFC 8628 §3.5: the user has not answered yet; poll again.
    #[error("{0}")]
    AuthorizationPending(String),
    /// RFC 8628 §3.5: polled too fast; the interval grew by 5 seconds.
    #[error("{0}")]
    SlowDown(String),
    /// RFC 8628 §3.5: the device code expired; start again.
    #[error("{0}")]
    ExpiredToken(String),
    /// Admin API: no or an unknown admin key.
    #[error("{0}")]
    Unauthenticated(String),
    /// Admin API: a read-only key tried to change something.
    #[error("{0}")]
    ReadOnly(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// The app draft breaks platform rules.
    #[error("the app breaks {} rule(s)", .0.len())]
    InvalidApp(Vec<RuleViolation>),
    #[error("storage failure: {0}")]
    Store(StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ServiceError {
    /// The `error` field on the wire.
    pub fn code(&self) -> &'static str {
        match self {
            ServiceError::InvalidRequest(_) => "invalid_request",
            ServiceError::InvalidClient(_) => "invalid_client",
            ServiceError::InvalidGrant(_) => "invalid_grant",
            ServiceError::UnauthorizedClient(_) => "unauthorized_client",
            ServiceError::UnsupportedGrantType(_) => "unsupported_grant_type",
            ServiceError::UnsupportedResponseType(_) => "unsupported_response_type",
            ServiceError::InvalidScope(_) => "invalid_scope",
            ServiceError::AccessDenied(_) => "access_denied",
            ServiceError::AuthorizationPending(_) => "authorization_pending",
            ServiceError::SlowDown(_) => "slow_down",
            ServiceError::ExpiredToken(_) => "expired_token",
            ServiceError::Unauthenticated(_) => "unauthorized",
            ServiceError::ReadOnly(_) => "forbidden",
            ServiceError::NotFound(_) => "not_found",
            ServiceError::Conflict(_) => "conflict",
            ServiceError::InvalidApp(_) => "invalid_app",
            ServiceError::Store(_) | ServiceError::Internal(_) => "server_error",
        }
    }

    /// What a caller may be told. Internal failures are described generically; the
    /// detail goes to the log.
    pub fn public_description(&self) -> String {
        match self {
            ServiceError::Store(_) | ServiceError::Internal(_) => {
                "The server could not complete the request".to_string()
            }
            other => other.to_string(),
        }
    }

    pub fn is_internal(&self) -> bool {
        matches!(self, ServiceError::Store(_) | ServiceError::Internal(_))
    }
}

impl From<StoreError> for ServiceError {
    fn from(error: StoreError) -> ServiceError {
        match error {
            // A bad cursor or filter is the caller's mistake, not a server failure.
            StoreError::InvalidInput(message) => ServiceError::InvalidRequest(message),
            other => ServiceError::Store(other),
        }
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;
