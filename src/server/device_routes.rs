//! RFC 8628 endpoints: `POST /oauth/device_authorization` starts a device
//! authorization; `GET/POST /device` is where a person answers it, in three steps
//! (see `device_page`). Each step's form is sealed; which step a POST answers is
//! the seal's, not the browser's, to say. Polling happens at the token endpoint.

use super::device_page::{confirm_page, done_page, sign_in_page};
use super::device_steps::{STEP_CODE, STEP_CONFIRM, STEP_SIGN_IN, Step, internal, show, show_code};
use super::error::HttpError;
use super::form::{self, Params};
use super::form_binding::{self, CSRF_FIELD, SEALED_FIELD};
use super::oauth_routes::{authenticated_client, no_store, read_form};
use super::page_layout::with_retry_after;
use super::sign_in::{
    BUSY, BUSY_RETRY_AFTER, ClientAddr, SignIn, WRONG_PASSWORD, throttled_message,
};
use super::state::AppState;
use crate::service::{FormRefusal, PendingDevice, ServiceError};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

const NOT_LIVE: &str =
    "That code is not right, or it has expired. Check the code your device shows.";
const EXPIRED: &str = "This page has expired or was already used. Enter the code again.";

pub async fn device_authorization(
    State(state): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, HttpError> {
    if let Err(wait) = state
        .sign_in
        .admit_device_start(client, state.service.now())
    {
        let body = json!({
            "error": "slow_down",
            "error_description": format!("Too many device authorizations from this address; retry in {wait} seconds"),
        });
        let response = (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response();
        return Ok(with_retry_after(response, wait));
    }
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
pub async fn device_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    match form::parse_query(query.as_deref()) {
        Ok(params) => {
            let typed = params.get("user_code").unwrap_or_default();
            show_code(&state, &headers, StatusCode::OK, typed, None).await
        }
        Err(e) => {
            show_code(
                &state,
                &headers,
                StatusCode::BAD_REQUEST,
                "",
                Some(&e.message()),
            )
            .await
        }
    }
}

pub async fn device_decision(
    State(state): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let params = match form::parse_body(&headers, body) {
        Ok(params) => params,
        Err(form::FormError::TooLarge) => {
            let error = Some("The form is too large.");
            return show_code(&state, &headers, StatusCode::PAYLOAD_TOO_LARGE, "", error).await;
        }
        Err(e) => {
            return show_code(
                &state,
                &headers,
                StatusCode::BAD_REQUEST,
                "",
                Some(&e.message()),
            )
            .await;
        }
    };
    let expired = || show_code(&state, &headers, StatusCode::BAD_REQUEST, "", Some(EXPIRED));
    let Some(binding) =
        form_binding::submitted(&headers, params.get(CSRF_FIELD), state.secure_cookies)
    else {
        return expired().await;
    };
    let sealed = params.get(SEALED_FIELD).unwrap_or_default();
    let steps = [STEP_CODE, STEP_SIGN_IN, STEP_CONFIRM];
    let content = match state.service.open_form(sealed, &steps, &binding).await {
        Ok(content) => content,
        Err(FormRefusal::Failed(e)) => return internal(&state, &e),
        Err(_) => return expired().await,
    };
    // The code step changes nothing; the later ones are answered once.
    if content.purpose != STEP_CODE {
        match state.service.use_form(&content).await {
            Ok(()) => {}
            Err(FormRefusal::Failed(e)) => return internal(&state, &e),
            Err(_) => {
                tracing::info!("a device form was submitted twice; refused");
                return expired().await;
            }
        }
    }
    let sealed_code = content.fields.get("user_code").map(String::as_str);
    let deny = params.get("decision") == Some("deny");
    match (content.purpose.as_str(), sealed_code) {
        (STEP_CODE, _) => {
            let typed = params.get("user_code").unwrap_or_default();
            code_entered(&state, &headers, client, typed, deny).await
        }
        (STEP_SIGN_IN, Some(code)) if deny => deny_code(&state, &headers, code).await,
        (STEP_SIGN_IN, Some(code)) => signing_in(&state, &headers, client, code, &params).await,
        (STEP_CONFIRM, Some(code)) => {
            let subject = content.fields.get("subject").map(String::as_str);
            match (params.get("decision"), subject) {
                (Some("approve"), Some(subject)) => {
                    approve_code(&state, &headers, code, subject).await
                }
                _ => deny_code(&state, &headers, code).await,
            }
        }
        _ => expired().await,
    }
}

/// A live code for `typed`, with the lookup throttled per client address.
async fn live_code(
    state: &AppState,
    client: ClientAddr,
    typed: &str,
) -> Result<Option<PendingDevice>, Result<i64, ServiceError>> {
    let now = state.service.now();
    state.sign_in.admit_user_code(client, now).map_err(Ok)?;
    let pending = state.service.pending_device(typed).await.map_err(Err)?;
    if pending.is_some() {
        state.sign_in.user_code_found(client, now);
    }
    Ok(pending)
}

async fn code_entered(
    state: &AppState,
    headers: &HeaderMap,
    client: ClientAddr,
    typed: &str,
    deny: bool,
) -> Response {
    if deny && typed.trim().is_empty() {
        return done_page(&state.service_name(), None, false);
    }
    let pending = match live_code(state, client, typed).await {
        Ok(pending) => pending,
        Err(Ok(wait)) => {
            super::metrics::record_sign_in_throttled();
            let message = throttled_message(wait);
            let page = show_code(
                state,
                headers,
                StatusCode::TOO_MANY_REQUESTS,
                typed,
                Some(&message),
            )
            .await;
            return with_retry_after(page, wait);
        }
        Err(Err(e)) => return internal(state, &e),
    };
    let Some(pending) = pending else {
        return show_code(
            state,
            headers,
            StatusCode::BAD_REQUEST,
            typed,
            Some(NOT_LIVE),
        )
        .await;
    };
    if deny {
        return deny_code(state, headers, &pending.user_code).await;
    }
    let step = Step::new(StatusCode::OK, None, STEP_SIGN_IN).with("user_code", &pending.user_code);
    show(state, headers, step, |form| {
        sign_in_page(form, &pending, "", false)
    })
    .await
}

async fn signing_in(
    state: &AppState,
    headers: &HeaderMap,
    client: ClientAddr,
    code: &str,
    params: &Params,
) -> Response {
    let Some(pending) = (match state.service.pending_device(code).await {
        Ok(pending) => pending,
        Err(e) => return internal(state, &e),
    }) else {
        return show_code(state, headers, StatusCode::BAD_REQUEST, "", Some(NOT_LIVE)).await;
    };
    let username = params.get("username").unwrap_or_default();
    let password = params.get("password").unwrap_or_default();
    let (status, message, retry_after) = match state
        .sign_in
        .sign_in(&state.service, client, username, password)
        .await
    {
        Ok(SignIn::SignedIn) => {
            let subject = username.trim();
            let step = Step::new(StatusCode::OK, None, STEP_CONFIRM)
                .with("user_code", code)
                .with("subject", subject);
            return show(state, headers, step, |form| {
                confirm_page(form, &pending, subject)
            })
            .await;
        }
        Ok(SignIn::Wrong) => {
            tracing::info!(client_id = %pending.app.client_id, "device page: sign-in failed");
            (StatusCode::OK, WRONG_PASSWORD.to_string(), None)
        }
        Ok(SignIn::Throttled(wait)) => {
            tracing::warn!(wait, "device page: sign-in throttled");
            super::metrics::record_sign_in_throttled();
            (
                StatusCode::TOO_MANY_REQUESTS,
                throttled_message(wait),
                Some(wait),
            )
        }
        Ok(SignIn::Busy) => (
            StatusCode::SERVICE_UNAVAILABLE,
            BUSY.to_string(),
            Some(BUSY_RETRY_AFTER),
        ),
        Err(e) => return internal(state, &e),
    };
    let step = Step::new(status, Some(&message), STEP_SIGN_IN).with("user_code", code);
    let page = show(state, headers, step, |form| {
        sign_in_page(form, &pending, username, true)
    })
    .await;
    match retry_after {
        Some(wait) => with_retry_after(page, wait),
        None => page,
    }
}

async fn approve_code(
    state: &AppState,
    headers: &HeaderMap,
    code: &str,
    subject: &str,
) -> Response {
    // The app may have changed since the confirmation was shown: check again.
    match state.service.pending_device(code).await {
        Ok(Some(_)) => {}
        Ok(None) => {
            return show_code(state, headers, StatusCode::BAD_REQUEST, "", Some(NOT_LIVE)).await;
        }
        Err(e) => return internal(state, &e),
    }
    match state.service.decide_device(code, Some(subject)).await {
        Ok(Some(consent)) => done_page(&state.service_name(), Some(&consent), true),
        Ok(None) => show_code(state, headers, StatusCode::BAD_REQUEST, "", Some(NOT_LIVE)).await,
        Err(e) => internal(state, &e),
    }
}

async fn deny_code(state: &AppState, headers: &HeaderMap, code: &str) -> Response {
    match state.service.decide_device(code, None).await {
        Ok(Some(consent)) => done_page(&state.service_name(), Some(&consent), false),
        Ok(None) => show_code(state, headers, StatusCode::BAD_REQUEST, "", Some(NOT_LIVE)).await,
        Err(e) => internal(state, &e),
    }
}
