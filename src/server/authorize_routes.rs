//! `GET /oauth/authorize` shows the sign-in + consent page for a checked request;
//! `POST /oauth/authorize` takes the user's answer and sends them back to the client.

use super::consent_page::{consent_page, error_page};
use super::form::{self, Params};
use super::state::AppState;
use crate::service::{AuthorizationRequest, AuthorizeRejection, Authorized, ServiceError};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use url::Url;

/// A 303 to the client's redirect URI with `params` in its query or fragment.
fn redirect(redirect_uri: &str, params: &[(&str, &str)], in_fragment: bool) -> Response {
    let Ok(mut url) = Url::parse(redirect_uri) else {
        return error_page(
            StatusCode::BAD_REQUEST,
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
        AuthorizeRejection::Page(message) => error_page(StatusCode::BAD_REQUEST, &message),
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
                "The server could not handle this request.",
            )
        }
    }
}

fn show_consent(
    state: &AppState,
    request: AuthorizationRequest,
    username: &str,
    error: Option<&str>,
) -> Response {
    let page_request = request.clone();
    match state.consents.start(request) {
        Ok(csrf) => consent_page(&page_request, &csrf, username, error),
        Err(e) => {
            tracing::error!(error = %e, "could not start a consent session");
            error_page(
                StatusCode::SERVICE_UNAVAILABLE,
                "The server is busy; try again in a moment.",
            )
        }
    }
}

pub async fn authorize_page(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let params = match form::parse_query(query.as_deref()) {
        Ok(params) => params,
        Err(e) => return error_page(StatusCode::BAD_REQUEST, &e.message()),
    };
    match state
        .service
        .check_authorization_request(params.as_map())
        .await
    {
        Ok(request) => {
            tracing::info!(client_id = %request.app.client_id, "consent page shown");
            show_consent(&state, request, "", None)
        }
        Err(rejection) => rejection_response(&state, rejection),
    }
}

pub async fn authorize_decision(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let params = match form::parse_body(&headers, body) {
        Ok(params) => params,
        Err(form::FormError::TooLarge) => {
            return error_page(StatusCode::PAYLOAD_TOO_LARGE, "The form is too large.");
        }
        Err(e) => return error_page(StatusCode::BAD_REQUEST, &e.message()),
    };
    let Some(request) = params
        .get("csrf")
        .and_then(|csrf| state.consents.take(csrf))
    else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "This sign-in form has expired or was already used. Start again from the application.",
        );
    };
    decide(&state, request, &params).await
}

async fn decide(state: &AppState, request: AuthorizationRequest, params: &Params) -> Response {
    let client_state = request.state.clone();
    let in_fragment = request.answers_in_fragment();
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
            let username = params.get("username").unwrap_or_default();
            let password = params.get("password").unwrap_or_default();
            match state.service.verify_user(username, password).await {
                Ok(true) => {}
                Ok(false) => {
                    tracing::info!(client_id = %request.app.client_id, "sign-in failed on the consent page");
                    return show_consent(
                        state,
                        request,
                        username,
                        Some("Wrong username or password."),
                    );
                }
                Err(e) => {
                    tracing::error!(error = %e, "password check failed");
                    return error_page(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "The server could not check the password.",
                    );
                }
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
        _ => show_consent(
            state,
            request,
            params.get("username").unwrap_or_default(),
            Some("Choose Allow or Deny."),
        ),
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
