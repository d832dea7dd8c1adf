//! axum: OAuth endpoints, admin API, HTML pages (consent, device).
//!
//! Handlers are thin: they read the request strictly (`form`), call the `service`,
//! and map the answer (`error::HttpError` for failures).

mod admin_key_file;
mod admin_listener;
mod admin_routes;
mod authorize_routes;
mod body_deadline;
pub(crate) mod client_auth;
mod connection_watch;
mod consent_page;
mod device_page;
mod device_routes;
mod device_steps;
mod error;
pub(crate) mod form;
mod form_binding;
mod health_routes;
mod limits;
mod listener;
mod metadata;
pub mod metrics;
mod metrics_listener;
mod oauth_routes;
mod page_layout;
mod password_gate;
mod request_record;
mod sign_in;
mod startup;
mod state;
mod throttle;
mod tls;

pub use admin_key_file::read_admin_key;
pub use error::HttpError;
pub use limits::ServerLimits;
pub use metrics_listener::{MetricsListenError, MetricsListener};
pub use sign_in::SignInLimits;
pub use startup::{
    ListenOptions, RunningServer, ServerConfig, ServerError, start, start_with_options,
    start_with_service, start_with_service_config, start_with_store, store_location,
};
pub use state::AppState;
pub use throttle::ThrottlePolicy;
pub use tls::{ServerTls, TlsError, TlsFiles};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post};
use request_record::RequestRecordLayer;

/// Request bodies larger than this are refused with 413 before anything reads them.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

async fn not_found() -> HttpError {
    HttpError::admin(crate::service::ServiceError::NotFound(
        "No such endpoint".into(),
    ))
}

/// Every route of DESIGN §5, over one state: the one listener of a server without
/// `--admin-listen`. An issuer with a path (`https://host/tenant`) gets its metadata at
/// the RFC 8414 §3.1 location (`/.well-known/oauth-authorization-server/tenant`) and
/// every route under its path too, where its metadata says the endpoints are.
pub fn router(state: AppState) -> Router {
    finish(state, routes().merge(admin_api_routes()))
}

/// The public listener when the admin API has its own: everything but `/admin/…`,
/// which answers 404 here.
pub(crate) fn public_router(state: AppState) -> Router {
    finish(state, routes())
}

/// The admin listener (`--admin-listen`): the admin API, the health checks, and
/// `/metrics` when a recorder is installed.
pub(crate) fn admin_router(
    state: AppState,
    metrics: Option<metrics_exporter_prometheus::PrometheusHandle>,
) -> Router {
    let health = Router::new()
        .route("/healthz", get(health_routes::healthz))
        .route("/readyz", get(health_routes::readyz));
    let app = finish(state, admin_api_routes().merge(health));
    match metrics {
        Some(handle) => app.merge(metrics_listener::metrics_routes(handle)),
        None => app,
    }
}

/// Mounts `routes` (also under the issuer's path) and adds the layers every listener has.
fn finish(state: AppState, routes: Router<AppState>) -> Router {
    let mut app = routes.clone();
    if let Some(path) = state.issuer.path() {
        app = app
            .route(
                &format!("/.well-known/oauth-authorization-server/{path}"),
                get(metadata::metadata),
            )
            .nest(&format!("/{path}"), routes);
    }
    // One `layer` call for both: axum wraps every route in a boxed service per call,
    // and clones that box on every request.
    let layers = tower::ServiceBuilder::new()
        .layer(RequestRecordLayer)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES));
    app.fallback(not_found).layer(layers).with_state(state)
}

/// The OAuth endpoints, the pages, metadata and health checks.
fn routes() -> Router<AppState> {
    use authorize_routes as authorize;
    Router::new()
        .route("/healthz", get(health_routes::healthz))
        .route("/readyz", get(health_routes::readyz))
        .route(
            "/.well-known/oauth-authorization-server",
            get(metadata::metadata),
        )
        .route("/.well-known/openid-configuration", get(metadata::metadata))
        .route(
            "/oauth/authorize",
            get(authorize::authorize_page).post(authorize::authorize_decision),
        )
        .route(
            "/ws/oauth/authorize",
            get(authorize::authorize_page).post(authorize::authorize_decision),
        )
        .route("/oauth/token", post(oauth_routes::token))
        .route("/ws/oauth/token", post(oauth_routes::token))
        .route(
            "/oauth/device_authorization",
            post(device_routes::device_authorization),
        )
        .route(
            "/device",
            get(device_routes::device_page).post(device_routes::device_decision),
        )
        .route("/oauth/revoke", post(oauth_routes::revoke))
        .route("/oauth/introspect", post(oauth_routes::introspect))
}

/// The admin API (`/admin/v1/…`), on the public listener or on its own.
fn admin_api_routes() -> Router<AppState> {
    use admin_routes as admin;
    Router::new()
        .route("/admin/v1/whoami", get(admin::whoami))
        .route(
            "/admin/v1/apps",
            get(admin::list_apps).post(admin::create_app),
        )
        .route(
            "/admin/v1/apps/{client_id}",
            get(admin::get_app)
                .put(admin::update_app)
                .patch(admin::patch_app)
                .delete(admin::delete_app),
        )
        .route(
            "/admin/v1/apps/{client_id}/impact",
            post(admin::preview_app_patch),
        )
        .route(
            "/admin/v1/apps/{client_id}/secret",
            post(admin::rotate_secret),
        )
        .route(
            "/admin/v1/apps/{client_id}/previous-secret",
            delete(admin::end_secret_grace),
        )
        .route(
            "/admin/v1/apps/{client_id}/tokens",
            delete(admin::revoke_app_tokens),
        )
        .route("/admin/v1/tokens", get(admin::list_tokens))
        .route("/admin/v1/tokens/{token_id}", delete(admin::revoke_token))
        .route("/admin/v1/audit", get(admin::list_audit))
        .route(
            "/admin/v1/users",
            get(admin::list_users).post(admin::create_user),
        )
        .route(
            "/admin/v1/users/{name}",
            get(admin::get_user)
                .patch(admin::patch_user)
                .delete(admin::delete_user),
        )
        .route(
            "/admin/v1/users/{name}/tokens",
            delete(admin::revoke_user_tokens),
        )
        .route(
            "/admin/v1/users/{name}/grants/{family_id}",
            delete(admin::revoke_user_grant),
        )
        .route(
            "/admin/v1/admin-keys",
            get(admin::list_admin_keys).post(admin::create_admin_key),
        )
        .route(
            "/admin/v1/admin-keys/{name}",
            delete(admin::revoke_admin_key),
        )
}
