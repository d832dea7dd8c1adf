//! `/admin/v1/tokens`: listing tokens and revoking them, one or all of an app's.

use super::{AdminCaller, AdminResult, bad_query, ok};
use crate::domain::wire::TokenFilter;
use crate::server::error::HttpError;
use crate::server::form;
use crate::server::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;

pub async fn list_tokens(
    State(state): State<AppState>,
    _caller: AdminCaller,
    RawQuery(query): RawQuery,
) -> AdminResult {
    let params = form::parse_query(query.as_deref()).map_err(|e| bad_query(e.message()))?;
    let filter = TokenFilter::from_query(params.as_map()).map_err(bad_query)?;
    let page = state
        .service
        .list_tokens(filter)
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
