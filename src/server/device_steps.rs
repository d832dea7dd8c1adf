//! One step of the device page (see `device_routes`) about to be shown: its form
//! sealed to the step, then rendered.

use super::device_page::{DeviceForm, code_page};
use super::form_binding;
use super::state::AppState;
use crate::domain::{display_user_code, normalize_user_code};
use crate::service::ServiceError;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use std::collections::BTreeMap;

pub(super) const STEP_CODE: &str = "device-code";
pub(super) const STEP_SIGN_IN: &str = "device-sign-in";
pub(super) const STEP_CONFIRM: &str = "device-confirm";
/// The longest user code echoed back into the form.
const MAX_ECHOED_CODE: usize = 32;

pub(super) fn echoed_code(typed: &str) -> String {
    match normalize_user_code(typed) {
        Some(code) => display_user_code(&code),
        None => typed.chars().take(MAX_ECHOED_CODE).collect(),
    }
}

/// One step's page about to be shown: its status, message and sealed fields.
pub(super) struct Step<'a> {
    status: StatusCode,
    error: Option<&'a str>,
    purpose: &'static str,
    fields: BTreeMap<String, String>,
}

impl<'a> Step<'a> {
    pub(super) fn new(
        status: StatusCode,
        error: Option<&'a str>,
        purpose: &'static str,
    ) -> Step<'a> {
        Step {
            status,
            error,
            purpose,
            fields: BTreeMap::new(),
        }
    }

    pub(super) fn with(mut self, name: &str, value: &str) -> Step<'a> {
        self.fields.insert(name.to_string(), value.to_string());
        self
    }
}

/// Seals the step's form and renders it with `render`.
pub(super) async fn show(
    state: &AppState,
    headers: &HeaderMap,
    step: Step<'_>,
    render: impl FnOnce(&DeviceForm<'_>) -> Response,
) -> Response {
    let service = state.service_name();
    let binding = match form_binding::for_page(headers, state.secure_cookies) {
        Ok(binding) => binding,
        Err(e) => return internal(state, &e),
    };
    let sealed = match state
        .service
        .seal_form(step.purpose, &binding.value, step.fields)
        .await
    {
        Ok(sealed) => sealed,
        Err(e) => return internal(state, &e),
    };
    let form = DeviceForm {
        status: step.status,
        service: &service,
        csrf: &binding.value,
        sealed: &sealed,
        error: step.error,
    };
    binding.attach(render(&form))
}

pub(super) fn internal(state: &AppState, error: &ServiceError) -> Response {
    tracing::error!(error = %error, "device page failed inside the server");
    let form = DeviceForm {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        service: &state.service_name(),
        csrf: "",
        sealed: "",
        error: Some("The server could not handle this; try again."),
    };
    code_page(&form, "", false)
}

pub(super) async fn show_code(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    typed: &str,
    error: Option<&str>,
) -> Response {
    let code = echoed_code(typed);
    let prefilled = !code.is_empty() && error.is_none();
    let step = Step::new(status, error, STEP_CODE);
    show(state, headers, step, |form| {
        code_page(form, &code, prefilled)
    })
    .await
}
