//! `/admin/v1/users` and `/admin/v1/keys`: the people who sign in on the consent page
//! and the admin keys that call this API.

use super::{AdminCaller, AdminResult, json_body, ok};
use crate::domain::wire::{AdminKeyList, CreatedAdminKey, NewAdminKey};
use crate::server::error::HttpError;
use crate::server::state::AppState;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;

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
