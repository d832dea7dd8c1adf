//! The admin API (JSON, `Authorization: Bearer <admin key>`), as `api::AdminClient`
//! calls it. Every change is written to the audit log under the key's name. Here: who
//! is calling (`AdminCaller`) and the answer's shape; the handlers by resource beside.

mod accounts;
mod apps;
mod audit;
mod tokens;
mod users;

pub use accounts::{create_admin_key, create_user, list_admin_keys, revoke_admin_key};
pub use apps::{
    create_app, delete_app, end_secret_grace, get_app, list_apps, patch_app, preview_app_patch,
    rotate_secret, update_app,
};
pub use audit::list_audit;
pub use tokens::{list_tokens, revoke_app_tokens, revoke_token};
pub use users::{
    delete_user, get_user, list_users, patch_user, revoke_user_grant, revoke_user_tokens,
};

use super::error::HttpError;
use super::form;
use super::state::AppState;
use crate::domain::AdminKey;
use crate::domain::wire::WhoAmI;
use crate::service::{RefusedCall, Service, ServiceError};
use axum::Json;
use axum::extract::FromRequestParts;
use axum::extract::rejection::JsonRejection;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

type AdminResult = Result<Response, HttpError>;

/// The admin key a request was made with, and what it asked (to record a refusal).
pub struct AdminCaller {
    key: AdminKey,
    service: Service,
    method: String,
    path: String,
}

impl AdminCaller {
    fn name(&self) -> &str {
        &self.key.name
    }

    /// Read-only keys may look, not change. The refusal is recorded in the audit log.
    async fn writer(&self) -> Result<&str, HttpError> {
        if self.key.read_only {
            let call = RefusedCall {
                actor: self.key.name.clone(),
                method: self.method.clone(),
                path: self.path.clone(),
                status: 403,
                reason: "read-only key".into(),
            };
            record_refusal(&self.service, call).await;
            Err(HttpError::admin(ServiceError::ReadOnly(format!(
                "The admin key {:?} is read-only",
                self.key.name
            ))))
        } else {
            Ok(&self.key.name)
        }
    }
}

/// Records a refused call; a failing write is only logged (the refusal is the answer
/// either way). The limiter in the service bounds how many are written.
async fn record_refusal(service: &Service, call: RefusedCall) {
    if let Err(e) = service.record_refused_call(call).await {
        tracing::warn!(error = %e, "could not record a refused admin call");
    }
}

impl FromRequestParts<AppState> for AdminCaller {
    type Rejection = HttpError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let missing = || {
            ServiceError::Unauthenticated(
                "An admin key is required (Authorization: Bearer …)".into(),
            )
        };
        let presented = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|value| value.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, key)| key.trim().to_string());
        let method = parts.method.to_string();
        let path = parts.uri.path().to_string();
        let authenticated = match presented {
            Some(key) => state.service.authenticate_admin(&key).await,
            None => Err(missing()),
        };
        match authenticated {
            Ok(key) => Ok(AdminCaller {
                key,
                service: state.service.clone(),
                method,
                path,
            }),
            Err(error) => {
                if matches!(error, ServiceError::Unauthenticated(_)) {
                    let call = RefusedCall {
                        actor: "unauthenticated".into(),
                        method,
                        path,
                        status: 401,
                        reason: error.to_string(),
                    };
                    record_refusal(&state.service, call).await;
                }
                Err(HttpError::admin(error))
            }
        }
    }
}

fn json_body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, HttpError> {
    body.map(|Json(v)| v).map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            HttpError::from_form(form::FormError::TooLarge)
        } else {
            HttpError::admin(ServiceError::InvalidRequest(rejection.body_text()))
        }
    })
}

/// Admin answers hold private data, and sometimes a secret shown once: never cached.
fn ok<T: serde::Serialize>(status: StatusCode, body: T) -> AdminResult {
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

pub async fn whoami(caller: AdminCaller) -> AdminResult {
    ok(
        StatusCode::OK,
        WhoAmI {
            name: caller.key.name.clone(),
            read_only: caller.key.read_only,
        },
    )
}

fn bad_query(message: String) -> HttpError {
    HttpError::admin(ServiceError::InvalidRequest(message))
}
