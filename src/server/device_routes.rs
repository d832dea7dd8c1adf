//! RFC 8628 endpoints: `POST /oauth/device_authorization` starts a device
//! authorization; `GET/POST /device` is where the user answers it. Polling happens
//! at the token endpoint (`oauth_routes`).

use super::device_page::{device_done, device_form};
use super::error::HttpError;
use super::form;
use super::oauth_routes::{authenticated_client, no_store, read_form};
use super::state::AppState;
use crate::domain::{display_user_code, normalize_user_code};
use crate::service::DeviceAnswer;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;

/// One message for every failure on the device page: saying which of code, username
/// or password was wrong would help someone guessing them.
const REFUSED: &str = "That code, username or password is not right, or the code has expired.";
/// The longest user code echoed back into the form.
const MAX_ECHOED_CODE: usize = 32;

pub async fn device_authorization(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, HttpError> {
    let params = read_form(&headers, body)?;
    let app = authenticated_client(&state, &headers, &params).await?;
    let started = state
        .service
        .device_authorization(&app, params.get("scope"))
        .await
        .map_err(|e| {
            tracing::info!(client_id = %app.client_id, error = e.code(), "device authorization refused");
            HttpError::oauth(e)
        })?;
    let verification_uri = state.endpoint("device");
    let complete = format!("{verification_uri}?user_code={}", started.user_code);
    Ok(no_store(json!({
        "device_code": started.device_code,
        "user_code": started.user_code,
        "verification_uri": verification_uri,
        "verification_uri_complete": complete,
        "expires_in": started.expires_in,
        "interval": started.interval,
    })))
}

/// What goes back into the code field: the normalised form when it is one, else
/// what was typed (escaped by the page), cut short.
fn echoed_code(typed: &str) -> String {
    match normalize_user_code(typed) {
        Some(code) => display_user_code(&code),
        None => typed.chars().take(MAX_ECHOED_CODE).collect(),
    }
}

fn show_form(
    state: &AppState,
    status: StatusCode,
    user_code: &str,
    username: &str,
    error: Option<&str>,
) -> Response {
    match state.device_forms.start(()) {
        Ok(csrf) => device_form(status, &csrf, &echoed_code(user_code), username, error),
        Err(e) => {
            tracing::error!(error = %e, "could not start a device form");
            device_form(
                StatusCode::SERVICE_UNAVAILABLE,
                "",
                "",
                "",
                Some("The server is busy; try again in a moment."),
            )
        }
    }
}

pub async fn device_page(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    match form::parse_query(query.as_deref()) {
        Ok(params) => show_form(
            &state,
            StatusCode::OK,
            params.get("user_code").unwrap_or_default(),
            "",
            None,
        ),
        Err(e) => show_form(&state, StatusCode::BAD_REQUEST, "", "", Some(&e.message())),
    }
}

pub async fn device_decision(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let params = match form::parse_body(&headers, body) {
        Ok(params) => params,
        Err(form::FormError::TooLarge) => {
            return show_form(
                &state,
                StatusCode::PAYLOAD_TOO_LARGE,
                "",
                "",
                Some("The form is too large."),
            );
        }
        Err(e) => return show_form(&state, StatusCode::BAD_REQUEST, "", "", Some(&e.message())),
    };
    let user_code = params.get("user_code").unwrap_or_default();
    let username = params.get("username").unwrap_or_default();
    if params
        .get("csrf")
        .and_then(|csrf| state.device_forms.take(csrf))
        .is_none()
    {
        return show_form(
            &state,
            StatusCode::BAD_REQUEST,
            user_code,
            username,
            Some("This form has expired or was already used. Enter the code again."),
        );
    }
    let approve = match params.get("decision") {
        Some("approve") => true,
        Some("deny") => false,
        _ => {
            return show_form(
                &state,
                StatusCode::BAD_REQUEST,
                user_code,
                username,
                Some("Choose Allow or Deny."),
            );
        }
    };
    let password = params.get("password").unwrap_or_default();
    match state
        .service
        .answer_device_code(user_code, username, password, approve)
        .await
    {
        Ok(DeviceAnswer::Approved(consent)) => device_done(&consent, true),
        Ok(DeviceAnswer::Denied(consent)) => device_done(&consent, false),
        Ok(DeviceAnswer::Refused) => show_form(
            &state,
            StatusCode::BAD_REQUEST,
            user_code,
            username,
            Some(REFUSED),
        ),
        Err(e) => {
            tracing::error!(error = %e, "device page answer failed");
            show_form(
                &state,
                StatusCode::INTERNAL_SERVER_ERROR,
                user_code,
                username,
                Some("The server could not record your answer; try again."),
            )
        }
    }
}
