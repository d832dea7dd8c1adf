//! The token (RFC 6749 §3.2; RFC 8628 §3.4 for devices), revocation (RFC 7009) and introspection (RFC 7662)
//! endpoints. Handlers read the strict form, authenticate, and call the service.

use super::client_auth::{AuthorizationHeader, authorization_header, client_credentials};
use super::error::HttpError;
use super::form::{self, Params};
use super::state::AppState;
use crate::domain::{ClientApp, DEVICE_CODE_GRANT};
use crate::service::{Introspector, ServiceError};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// RFC 6749 §5.1: token responses must not be cached.
pub(super) fn no_store(body: impl Serialize) -> Response {
    let mut response = Json(body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

pub(super) fn read_form(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Params, HttpError> {
    form::parse_body(headers, body).map_err(HttpError::from_form)
}

pub(super) async fn authenticated_client(
    state: &AppState,
    headers: &HeaderMap,
    params: &Params,
) -> Result<ClientApp, HttpError> {
    let credentials = client_credentials(headers, params).map_err(HttpError::oauth)?;
    state
        .service
        .authenticate_client(&credentials)
        .await
        .map_err(HttpError::oauth)
}

pub async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, HttpError> {
    let params = read_form(&headers, body)?;
    let grant_type = params.get("grant_type").ok_or_else(|| {
        HttpError::oauth(ServiceError::InvalidRequest("grant_type is missing".into()))
    })?;
    if !matches!(
        grant_type,
        "authorization_code" | "client_credentials" | "refresh_token" | DEVICE_CODE_GRANT
    ) {
        return Err(HttpError::oauth(ServiceError::UnsupportedGrantType(
            format!("The grant type {grant_type:?} is not supported here"),
        )));
    }
    let app = authenticated_client(&state, &headers, &params).await?;
    let service = &state.service;
    let result = match grant_type {
        "authorization_code" => {
            service
                .exchange_code(
                    &app,
                    params.get("code"),
                    params.get("redirect_uri"),
                    params.get("code_verifier"),
                )
                .await
        }
        "client_credentials" => {
            service
                .client_credentials_grant(&app, params.get("scope"))
                .await
        }
        DEVICE_CODE_GRANT => {
            service
                .device_code_grant(&app, params.get("device_code"))
                .await
        }
        _ => {
            service
                .refresh_grant(&app, params.get("refresh_token"), params.get("scope"))
                .await
        }
    };
    match result {
        Ok(tokens) => {
            super::metrics::record_token_issued(grant_label(grant_type));
            Ok(no_store(tokens))
        }
        Err(e) => {
            tracing::info!(client_id = %app.client_id, grant_type, error = e.code(), "token request refused");
            Err(HttpError::oauth(e))
        }
    }
}

/// The grant as a metrics label: short, and from a fixed set.
fn grant_label(grant_type: &str) -> &'static str {
    match grant_type {
        "authorization_code" => "authorization_code",
        "client_credentials" => "client_credentials",
        "refresh_token" => "refresh_token",
        DEVICE_CODE_GRANT => "device_code",
        _ => "other",
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, HttpError> {
    let params = read_form(&headers, body)?;
    let app = authenticated_client(&state, &headers, &params).await?;
    let token = params
        .get("token")
        .ok_or_else(|| HttpError::oauth(ServiceError::InvalidRequest("token is missing".into())))?;
    state
        .service
        .revoke(&app, token)
        .await
        .map_err(HttpError::oauth)?;
    let mut response = StatusCode::OK.into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

pub async fn introspect(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, HttpError> {
    let params = read_form(&headers, body)?;
    // An administrator (bearer admin key) may look at any token; a client only at its own.
    let who = match authorization_header(&headers).map_err(HttpError::oauth)? {
        AuthorizationHeader::Bearer(key) => {
            state.service.authenticate_admin(&key).await.map_err(|_| {
                HttpError::oauth(ServiceError::InvalidClient(
                    "The admin key is not valid".into(),
                ))
            })?;
            Introspector::Admin
        }
        _ => {
            let app = authenticated_client(&state, &headers, &params).await?;
            // A public client proves nothing by naming its ID: anyone could ask as it
            // (RFC 7662 §2.1 requires authorization). It gets 401, as an unknown one.
            if !app.platform.is_confidential() {
                tracing::info!(client_id = %app.client_id, "introspection by a public client refused");
                return Err(HttpError::oauth(ServiceError::InvalidClient(
                    "Introspection needs a confidential client or an admin key".into(),
                )));
            }
            Introspector::Client(app.client_id)
        }
    };
    let token = params
        .get("token")
        .ok_or_else(|| HttpError::oauth(ServiceError::InvalidRequest("token is missing".into())))?;
    let answer = state
        .service
        .introspect(&who, token)
        .await
        .map_err(HttpError::oauth)?;
    Ok(no_store(answer))
}
