//! `GET /oauth/authorize` shows the sign-in + consent page for a checked request;
//! `POST /oauth/authorize` takes the user's answer and sends them back to the client.

use super::consent_page::{ConsentForm, consent_page, error_page};
use super::form::{self, Params};
use super::form_binding::{self, CSRF_FIELD, SEALED_FIELD};
use super::page_layout::with_retry_after;
use super::sign_in::{
    BUSY, BUSY_RETRY_AFTER, ClientAddr, SignIn, WRONG_PASSWORD, throttled_message,
};
use super::state::AppState;
use crate::service::{
    AuthorizationRequest, AuthorizeRejection, Authorized, FormRefusal, ServiceError,
};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::{BTreeMap, HashMap};
use url::Url;

/// A 303 to the client's redirect URI with `params` in its query or fragment.
fn redirect(redirect_uri: &str, params: &[(&str, &str)], in_fragment: bool) -> Response {
    let Ok(mut url) = Url::parse(redirect_uri) else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "",
            "The redirect URI is not a valid URL.",
        );
    };
    if in_fragment {
        let fragment = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params)
            .finish();
        url.set_fragment(Some(&fragment));
    } else {
        url.query_pairs_mut().extend_pairs(params);
    }
    match HeaderValue::from_str(url.as_str()) {
        Ok(location) => {
            let mut response = StatusCode::SEE_OTHER.into_response();
            response.headers_mut().insert(header::LOCATION, location);
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(_) => error_page(
            StatusCode::BAD_REQUEST,
            "",
            "The redirect URI is not a valid URL.",
        ),
    }
}

fn redirect_error(
    state: &AppState,
    redirect_uri: &str,
    error: &ServiceError,
    client_state: Option<&str>,
    in_fragment: bool,
) -> Response {
    let description = error.public_description();
    let mut params = vec![
        ("error", error.code()),
        ("error_description", description.as_str()),
    ];
    if let Some(s) = client_state {
        params.push(("state", s));
    }
    params.push(("iss", state.issuer.as_str()));
    redirect(redirect_uri, &params, in_fragment)
}

fn rejection_response(state: &AppState, rejection: AuthorizeRejection) -> Response {
    match rejection {
        AuthorizeRejection::Page(message) => {
            error_page(StatusCode::BAD_REQUEST, &state.service_name(), &message)
        }
        AuthorizeRejection::Redirect {
            redirect_uri,
            error,
            state: client_state,
            in_fragment,
        } => redirect_error(
            state,
            &redirect_uri,
            &error,
            client_state.as_deref(),
            in_fragment,
        ),
        AuthorizeRejection::Internal(error) => {
            tracing::error!(error = %error, "authorization request failed inside the server");
            error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                &state.service_name(),
                "The server could not handle this request.",
            )
        }
    }
}

/// The request parameters a consent form carries, sealed.
const SEALED_PARAMS: [&str; 7] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
];
/// What a consent form is for, so that no other page's form can answer it.
const PURPOSE: &str = "consent";
const EXPIRED: &str =
    "This sign-in form has expired or was already used. Start again from the application.";

/// How a consent page is shown besides the request: status, username, message.
struct Shown<'a> {
    status: StatusCode,
    username: &'a str,
    error: Option<&'a str>,
    focus_password: bool,
}

impl Shown<'_> {
    fn fresh() -> Shown<'static> {
        Shown {
            status: StatusCode::OK,
            username: "",
            error: None,
            focus_password: false,
        }
    }
}

async fn show_consent(
    state: &AppState,
    headers: &HeaderMap,
    request: &AuthorizationRequest,
    fields: BTreeMap<String, String>,
    shown: Shown<'_>,
) -> Response {
    let service = state.service_name();
    let binding = match form_binding::for_page(headers, state.secure_cookies) {
        Ok(binding) => binding,
        Err(e) => return internal(state, &e),
    };
    let sealed = match state
        .service
        .seal_form(PURPOSE, &binding.value, fields)
        .await
    {
        Ok(sealed) => sealed,
        Err(e) => return internal(state, &e),
    };
    let form = ConsentForm {
        service: &service,
        csrf: &binding.value,
        sealed: &sealed,
        username: shown.username,
        error: shown.error,
        focus_password: shown.focus_password,
    };
    binding.attach(consent_page(shown.status, request, &form))
}

fn internal(state: &AppState, error: &ServiceError) -> Response {
    tracing::error!(error = %error, "consent page failed inside the server");
    error_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        &state.service_name(),
        "The server could not handle this request.",
    )
}

pub async fn authorize_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let params = match form::parse_query(query.as_deref()) {
        Ok(params) => params,
        Err(e) => return error_page(StatusCode::BAD_REQUEST, &state.service_name(), &e.message()),
    };
    match state
        .service
        .check_authorization_request(params.as_map())
        .await
    {
        Ok(request) => {
            tracing::info!(client_id = %request.app.client_id, "consent page shown");
            let fields = SEALED_PARAMS
                .iter()
                .filter_map(|name| Some((name.to_string(), params.get(name)?.to_string())))
                .collect();
            show_consent(&state, &headers, &request, fields, Shown::fresh()).await
        }
        Err(rejection) => rejection_response(&state, rejection),
    }
}

pub async fn authorize_decision(
    State(state): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let service = state.service_name();
    let params = match form::parse_body(&headers, body) {
        Ok(params) => params,
        Err(form::FormError::TooLarge) => {
            return error_page(
                StatusCode::PAYLOAD_TOO_LARGE,
                &service,
                "The form is too large.",
            );
        }
        Err(e) => return error_page(StatusCode::BAD_REQUEST, &service, &e.message()),
    };
    let expired = || error_page(StatusCode::BAD_REQUEST, &service, EXPIRED);
    let Some(binding) =
        form_binding::submitted(&headers, params.get(CSRF_FIELD), state.secure_cookies)
    else {
        return expired();
    };
    let sealed = params.get(SEALED_FIELD).unwrap_or_default();
    let opened = state.service.open_form(sealed, &[PURPOSE], &binding).await;
    let content = match opened {
        Ok(content) => content,
        Err(FormRefusal::Failed(e)) => return internal(&state, &e),
        Err(_) => return expired(),
    };
    match state.service.use_form(&content).await {
        Ok(()) => {}
        Err(FormRefusal::Failed(e)) => return internal(&state, &e),
        Err(_) => {
            tracing::info!("a consent form was submitted twice; refused");
            return expired();
        }
    }
    // The app may have changed since the page was shown: check the request again.
    let fields = content.fields;
    let as_map: HashMap<String, String> = fields.clone().into_iter().collect();
    let request = match state.service.check_authorization_request(&as_map).await {
        Ok(request) => request,
        Err(rejection) => return rejection_response(&state, rejection),
    };
    decide(&state, client, &headers, request, fields, &params).await
}

async fn decide(
    state: &AppState,
    client: ClientAddr,
    headers: &HeaderMap,
    request: AuthorizationRequest,
    fields: BTreeMap<String, String>,
    params: &Params,
) -> Response {
    let client_state = request.state.clone();
    let in_fragment = request.answers_in_fragment();
    let username = params.get("username").unwrap_or_default();
    let again = |status, error, focus_password| Shown {
        status,
        username,
        error: Some(error),
        focus_password,
    };
    match params.get("decision") {
        Some("deny") => {
            tracing::info!(client_id = %request.app.client_id, "user denied consent");
            let error = ServiceError::AccessDenied("The user denied the request".into());
            redirect_error(
                state,
                &request.redirect_uri,
                &error,
                client_state.as_deref(),
                in_fragment,
            )
        }
        Some("approve") => {
            let password = params.get("password").unwrap_or_default();
            let signed_in = state
                .sign_in
                .sign_in(&state.service, client, username, password)
                .await;
            match signed_in {
                Ok(SignIn::SignedIn) => {}
                Ok(SignIn::Wrong) => {
                    tracing::info!(client_id = %request.app.client_id, "sign-in failed on the consent page");
                    let shown = again(StatusCode::OK, WRONG_PASSWORD, true);
                    return show_consent(state, headers, &request, fields, shown).await;
                }
                Ok(SignIn::Throttled(wait)) => {
                    tracing::warn!(client_id = %request.app.client_id, wait, "sign-in throttled on the consent page");
                    super::metrics::record_sign_in_throttled();
                    let message = throttled_message(wait);
                    let shown = again(StatusCode::TOO_MANY_REQUESTS, &message, true);
                    let page = show_consent(state, headers, &request, fields, shown).await;
                    return with_retry_after(page, wait);
                }
                Ok(SignIn::Busy) => {
                    let shown = again(StatusCode::SERVICE_UNAVAILABLE, BUSY, true);
                    let page = show_consent(state, headers, &request, fields, shown).await;
                    return with_retry_after(page, BUSY_RETRY_AFTER);
                }
                Err(e) => return internal(state, &e),
            }
            match state.service.approve(&request, username).await {
                Ok(authorized) => approved_redirect(state, &request, authorized),
                Err(e) => redirect_error(
                    state,
                    &request.redirect_uri,
                    &e,
                    client_state.as_deref(),
                    in_fragment,
                ),
            }
        }
        _ => {
            let shown = again(StatusCode::BAD_REQUEST, "Choose Allow or Deny.", false);
            show_consent(state, headers, &request, fields, shown).await
        }
    }
}

fn approved_redirect(
    state: &AppState,
    request: &AuthorizationRequest,
    authorized: Authorized,
) -> Response {
    let iss = state.issuer.as_str();
    let client_state = request.state.as_deref();
    match authorized {
        Authorized::Code(code) => {
            let mut params = vec![("code", code.as_str())];
            if let Some(s) = client_state {
                params.push(("state", s));
            }
            params.push(("iss", iss));
            redirect(&request.redirect_uri, &params, false)
        }
        Authorized::Token(token) => {
            super::metrics::record_token_issued("implicit");
            let expires_in = token.expires_in.to_string();
            let mut params = vec![
                ("access_token", token.access_token.as_str()),
                ("token_type", token.token_type),
                ("expires_in", expires_in.as_str()),
                ("scope", token.scope.as_str()),
            ];
            if let Some(s) = client_state {
                params.push(("state", s));
            }
            params.push(("iss", iss));
            redirect(&request.redirect_uri, &params, true)
        }
    }
}
