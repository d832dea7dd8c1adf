//! `GET /healthz` (the process answers) and `GET /readyz` (it can serve: the database
//! answers and its schema is current), for load balancers and orchestrators.

use super::state::AppState;
use crate::service::Readiness;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Liveness: answered without touching the database, so a slow database never gets
/// a healthy process restarted.
pub async fn healthz() -> Response {
    no_cache((StatusCode::OK, Json(json!({ "status": "ok" }))).into_response())
}

/// Readiness: 200 when the database answers with the expected schema, else 503 with
/// the reason, so that a load balancer sends traffic elsewhere.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let (status, body) = match state.service.readiness().await {
        Readiness::Ready => (StatusCode::OK, json!({ "status": "ready" })),
        Readiness::DatabaseUnreachable => (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({ "status": "unavailable", "reason": "database unreachable" }),
        ),
        Readiness::MigrationsNotCurrent { database, expected } => (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({
                "status": "unavailable",
                "reason": "migrations not current",
                "schema_version": database,
                "expected_schema_version": expected,
            }),
        ),
    };
    no_cache((status, Json(body)).into_response())
}

fn no_cache(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
