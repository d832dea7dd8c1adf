//! The one error type of the HTTP layer: an RFC 6749 §5.2-shaped JSON body with the
//! right status, for the OAuth endpoints and the admin API alike.

use super::form::FormError;
use crate::domain::wire::ErrorBody;
use crate::service::ServiceError;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(Debug)]
pub struct HttpError {
    status: StatusCode,
    body: ErrorBody,
    www_authenticate: Option<&'static str>,
}

fn body(error: &ServiceError) -> ErrorBody {
    if error.is_internal() {
        // The detail may name files or SQL; it goes to the log, not to the caller.
        tracing::error!(error = %error, "request failed inside the server");
    }
    ErrorBody {
        error: error.code().to_string(),
        error_description: Some(error.public_description()),
        violations: match error {
            ServiceError::InvalidApp(v) => v.clone(),
            _ => Vec::new(),
        },
    }
}

impl HttpError {
    /// For the OAuth endpoints: 401 for client authentication, 400 for the rest.
    pub fn oauth(error: ServiceError) -> HttpError {
        let (status, www_authenticate) = match &error {
            ServiceError::InvalidClient(_) => (
                StatusCode::UNAUTHORIZED,
                Some(r#"Basic realm="oauth-console""#),
            ),
            e if e.is_internal() => (StatusCode::INTERNAL_SERVER_ERROR, None),
            _ => (StatusCode::BAD_REQUEST, None),
        };
        HttpError {
            status,
            body: body(&error),
            www_authenticate,
        }
    }

    /// For the admin API.
    pub fn admin(error: ServiceError) -> HttpError {
        let (status, www_authenticate) = match &error {
            ServiceError::Unauthenticated(_) => (
                StatusCode::UNAUTHORIZED,
                Some(r#"Bearer realm="oauth-console-admin""#),
            ),
            ServiceError::ReadOnly(_) => (StatusCode::FORBIDDEN, None),
            ServiceError::NotFound(_) => (StatusCode::NOT_FOUND, None),
            ServiceError::Conflict(_) => (StatusCode::CONFLICT, None),
            ServiceError::InvalidApp(_) => (StatusCode::UNPROCESSABLE_ENTITY, None),
            e if e.is_internal() => (StatusCode::INTERNAL_SERVER_ERROR, None),
            _ => (StatusCode::BAD_REQUEST, None),
        };
        HttpError {
            status,
            body: body(&error),
            www_authenticate,
        }
    }

    /// A body that could not be read: 413 when too large, else 400 `invalid_request`.
    pub fn from_form(error: FormError) -> HttpError {
        let status = match error {
            FormError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            FormError::Invalid(_) => StatusCode::BAD_REQUEST,
        };
        HttpError {
            status,
            body: ErrorBody {
                error: "invalid_request".into(),
                error_description: Some(error.message()),
                violations: Vec::new(),
            },
            www_authenticate: None,
        }
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        tracing::debug!(status = self.status.as_u16(), error = %self.body.error, "request refused");
        let mut response = (self.status, Json(self.body)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
        if let Some(challenge) = self.www_authenticate {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        response
    }
}
