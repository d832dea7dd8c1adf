//! The admin API (JSON, `Authorization: Bearer <admin key>`), as `api::AdminClient`
//! calls it. Every change is written to the audit log under the key's name.

use super::error::HttpError;
use super::form;
use super::state::AppState;
use crate::domain::wire::{
    AdminKeyList, AppList, AuditFilter, CreatedAdminKey, NewAdminKey, SecretRotation, WhoAmI,
};
use crate::domain::{AdminKey, AppDraft, AppPatch};
use crate::service::{RefusedCall, Service, ServiceError, TokenListing};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequestParts, Path, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

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

pub async fn list_apps(State(state): State<AppState>, _caller: AdminCaller) -> AdminResult {
    let apps = state.service.list_apps().await.map_err(HttpError::admin)?;
    ok(StatusCode::OK, AppList { apps })
}

pub async fn create_app(
    State(state): State<AppState>,
    caller: AdminCaller,
    body: Result<Json<AppDraft>, JsonRejection>,
) -> AdminResult {
    let actor = caller.writer().await?;
    let draft = json_body(body)?;
    let created = state
        .service
        .create_app(actor, draft)
        .await
        .map_err(HttpError::admin)?;
    ok(StatusCode::CREATED, created)
}

pub async fn get_app(
    State(state): State<AppState>,
    _caller: AdminCaller,
    Path(client_id): Path<String>,
) -> AdminResult {
    let details = state
        .service
        .app_details(&client_id)
        .await
        .map_err(HttpError::admin)?;
    ok(StatusCode::OK, details)
}

pub async fn update_app(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(client_id): Path<String>,
    body: Result<Json<AppDraft>, JsonRejection>,
) -> AdminResult {
    let actor = caller.writer().await?;
    let draft = json_body(body)?;
    let app = state
        .service
        .update_app(actor, &client_id, draft)
        .await
        .map_err(HttpError::admin)?;
    ok(StatusCode::OK, app)
}

pub async fn patch_app(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(client_id): Path<String>,
    body: Result<Json<AppPatch>, JsonRejection>,
) -> AdminResult {
    let actor = caller.writer().await?;
    let patch = json_body(body)?;
    let app = state
        .service
        .patch_app(actor, &client_id, patch)
        .await
        .map_err(HttpError::admin)?;
    ok(StatusCode::OK, app)
}

/// A dry run of `PATCH`: what the change would do to the app's active tokens.
/// Read-only keys may ask: nothing is saved.
pub async fn preview_app_patch(
    State(state): State<AppState>,
    _caller: AdminCaller,
    Path(client_id): Path<String>,
    body: Result<Json<AppPatch>, JsonRejection>,
) -> AdminResult {
    let patch = json_body(body)?;
    let impact = state
        .service
        .preview_app_patch(&client_id, patch)
        .await
        .map_err(HttpError::admin)?;
    ok(StatusCode::OK, impact)
}

pub async fn delete_app(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(client_id): Path<String>,
) -> AdminResult {
    let actor = caller.writer().await?;
    state
        .service
        .delete_app(actor, &client_id)
        .await
        .map_err(HttpError::admin)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The body is optional (`{"grace_seconds": N}`): a bare POST rotates with the
/// server's default grace period.
pub async fn rotate_secret(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(client_id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> AdminResult {
    let actor = caller.writer().await?;
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            HttpError::from_form(form::FormError::TooLarge)
        } else {
            bad_query("The request body could not be read".into())
        }
    })?;
    let rotation = if body.iter().all(u8::is_ascii_whitespace) {
        SecretRotation::default()
    } else {
        serde_json::from_slice::<SecretRotation>(&body)
            .map_err(|e| bad_query(format!("The body is not a secret rotation: {e}")))?
    };
    let rotated = state
        .service
        .rotate_secret_with_grace(actor, &client_id, rotation.grace_seconds)
        .await
        .map_err(HttpError::admin)?;
    ok(StatusCode::OK, rotated)
}

pub async fn end_secret_grace(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(client_id): Path<String>,
) -> AdminResult {
    let actor = caller.writer().await?;
    let app = state
        .service
        .end_secret_grace(actor, &client_id)
        .await
        .map_err(HttpError::admin)?;
    ok(StatusCode::OK, app)
}

fn bad_query(message: String) -> HttpError {
    HttpError::admin(ServiceError::InvalidRequest(message))
}

fn parse_limit(value: Option<&str>) -> Result<Option<u32>, HttpError> {
    value
        .map(|v| {
            v.parse::<u32>()
                .map_err(|_| bad_query(format!("limit {v:?} is not a number")))
        })
        .transpose()
}

pub async fn list_tokens(
    State(state): State<AppState>,
    _caller: AdminCaller,
    RawQuery(query): RawQuery,
) -> AdminResult {
    let params = form::parse_query(query.as_deref()).map_err(|e| bad_query(e.message()))?;
    let active_only = match params.get("active") {
        None | Some("false") | Some("0") => false,
        Some("true") | Some("1") => true,
        Some(other) => {
            return Err(bad_query(format!(
                "active must be true or false, not {other:?}"
            )));
        }
    };
    let listing = TokenListing {
        client_id: params.get("client_id").map(str::to_string),
        active_only,
        limit: parse_limit(params.get("limit"))?,
        cursor: params.get("cursor").map(str::to_string),
    };
    let page = state
        .service
        .list_tokens(listing)
        .await
        .map_err(HttpError::admin)?;
    ok(StatusCode::OK, page)
}

pub async fn revoke_token(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(token_id): Path<String>,
) -> AdminResult {
    let actor = caller.writer().await?;
    state
        .service
        .admin_revoke_token(actor, &token_id)
        .await
        .map_err(HttpError::admin)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn revoke_app_tokens(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(client_id): Path<String>,
) -> AdminResult {
    let actor = caller.writer().await?;
    let count = state
        .service
        .revoke_app_tokens(actor, &client_id)
        .await
        .map_err(HttpError::admin)?;
    ok(StatusCode::OK, count)
}

pub async fn list_audit(
    State(state): State<AppState>,
    _caller: AdminCaller,
    RawQuery(query): RawQuery,
) -> AdminResult {
    let params = form::parse_query(query.as_deref()).map_err(|e| bad_query(e.message()))?;
    let text = |name: &str| params.get(name).map(str::to_string);
    let filter = AuditFilter {
        actor: text("actor"),
        action: text("action"),
        target: text("target"),
        limit: parse_limit(params.get("limit"))?,
        cursor: text("cursor"),
    };
    let page = state
        .service
        .list_audit_filtered(filter)
        .await
        .map_err(HttpError::admin)?;
    ok(StatusCode::OK, page)
}

#[derive(Deserialize)]
pub struct NewUser {
    username: String,
    password: String,
}

pub async fn create_user(
    State(state): State<AppState>,
    caller: AdminCaller,
    body: Result<Json<NewUser>, JsonRejection>,
) -> AdminResult {
    let actor = caller.writer().await?;
    let user = json_body(body)?;
    state
        .service
        .create_user(actor, &user.username, &user.password)
        .await
        .map_err(HttpError::admin)?;
    ok(
        StatusCode::CREATED,
        serde_json::json!({ "username": user.username.trim() }),
    )
}

pub async fn list_admin_keys(State(state): State<AppState>, caller: AdminCaller) -> AdminResult {
    let keys = state
        .service
        .list_admin_keys()
        .await
        .map_err(HttpError::admin)?;
    tracing::debug!(actor = caller.name(), "admin keys listed");
    ok(StatusCode::OK, AdminKeyList { keys })
}

pub async fn create_admin_key(
    State(state): State<AppState>,
    caller: AdminCaller,
    body: Result<Json<NewAdminKey>, JsonRejection>,
) -> AdminResult {
    let actor = caller.writer().await?;
    let wanted = json_body(body)?;
    let (key, record) = state
        .service
        .create_admin_key_as(actor, &wanted.name, wanted.read_only)
        .await
        .map_err(HttpError::admin)?;
    ok(
        StatusCode::CREATED,
        CreatedAdminKey {
            name: record.name,
            read_only: record.read_only,
            key,
        },
    )
}

pub async fn revoke_admin_key(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(name): Path<String>,
) -> AdminResult {
    caller.writer().await?;
    state
        .service
        .revoke_admin_key(&caller.key, &name)
        .await
        .map_err(HttpError::admin)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
