//! Health checks for load balancers: `/healthz` says the process answers; `/readyz`
//! says it can serve, i.e. its database answers and has the schema this build writes.
//! Neither needs authentication, and neither says more than that: the reason a
//! replica is not ready goes to its log.

use super::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde_json::json;

pub async fn healthz() -> impl IntoResponse {
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({"status": "ok"})),
    )
}

pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match state.service.store().check_ready().await {
        Ok(()) => (
            StatusCode::OK,
            [(header::CACHE_CONTROL, "no-store")],
            Json(json!({"status": "ready"})),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CACHE_CONTROL, "no-store")],
                Json(json!({"status": "unavailable", "reason": "database"})),
            )
        }
    }
}
