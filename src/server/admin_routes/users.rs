//! `/admin/v1/users/{name}…`: who can sign in and what they have authorised; cutting
//! someone off (disable, delete, revoke). Creating a user is in `accounts`.

use super::{AdminCaller, AdminResult, json_body, ok};
use crate::domain::UserPatch;
use crate::server::error::HttpError;
use crate::server::state::AppState;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;

pub async fn list_users(State(state): State<AppState>, caller: AdminCaller) -> AdminResult {
    let users = state.service.list_users().await.map_err(HttpError::admin)?;
    tracing::debug!(actor = caller.name(), "users listed");
    ok(StatusCode::OK, users)
}

pub async fn get_user(
    State(state): State<AppState>,
    _caller: AdminCaller,
    Path(username): Path<String>,
) -> AdminResult {
    let details = state
        .service
        .user_details(&username)
        .await
        .map_err(HttpError::admin)?;
    ok(StatusCode::OK, details)
}

pub async fn patch_user(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(username): Path<String>,
    body: Result<Json<UserPatch>, JsonRejection>,
) -> AdminResult {
    let actor = caller.writer().await?;
    let patch = json_body(body)?;
    let changed = state
        .service
        .patch_user(actor, &username, patch)
        .await
        .map_err(HttpError::admin)?;
    ok(StatusCode::OK, changed)
}

pub async fn delete_user(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(username): Path<String>,
) -> AdminResult {
    let actor = caller.writer().await?;
    let revoked = state
        .service
        .delete_user(actor, &username)
        .await
        .map_err(HttpError::admin)?;
    ok(StatusCode::OK, revoked)
}

pub async fn revoke_user_tokens(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(username): Path<String>,
) -> AdminResult {
    let actor = caller.writer().await?;
    let revoked = state
        .service
        .revoke_user_tokens(actor, &username)
        .await
        .map_err(HttpError::admin)?;
    ok(StatusCode::OK, revoked)
}

pub async fn revoke_user_grant(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path((username, family_id)): Path<(String, String)>,
) -> AdminResult {
    let actor = caller.writer().await?;
    let revoked = state
        .service
        .revoke_user_grant(actor, &username, &family_id)
        .await
        .map_err(HttpError::admin)?;
    ok(StatusCode::OK, revoked)
}
