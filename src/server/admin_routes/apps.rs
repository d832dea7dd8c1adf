//! `/admin/v1/apps`: registering, reading, changing and deleting apps, and rotating
//! their secrets.

use super::{AdminCaller, AdminResult, bad_query, json_body, ok};
use crate::domain::wire::{AppList, SecretRotation};
use crate::domain::{AppDraft, AppPatch};
use crate::server::error::HttpError;
use crate::server::form;
use crate::server::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, JsonRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;

pub async fn list_apps(State(state): State<AppState>, _caller: AdminCaller) -> AdminResult {
    let apps = state
        .service
        .list_apps_with_usage()
        .await
        .map_err(HttpError::admin)?;
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
