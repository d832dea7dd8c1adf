//! `/admin/v1/audit`: the audit trail, filtered and paged.

use super::{AdminCaller, AdminResult, bad_query, ok};
use crate::domain::wire::AuditFilter;
use crate::server::error::HttpError;
use crate::server::form;
use crate::server::state::AppState;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;

pub async fn list_audit(
    State(state): State<AppState>,
    _caller: AdminCaller,
    RawQuery(query): RawQuery,
) -> AdminResult {
    let params = form::parse_query(query.as_deref()).map_err(|e| bad_query(e.message()))?;
    let filter = AuditFilter::from_query(params.as_map()).map_err(bad_query)?;
    let page = state
        .service
        .list_audit_filtered(filter)
        .await
        .map_err(HttpError::admin)?;
    ok(StatusCode::OK, page)
}
