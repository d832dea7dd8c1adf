//! The sign-in + consent page and the authorization error page. What the app asks
//! for is said in plain words; the request itself travels sealed in the form.

use super::form_binding::{CSRF_FIELD, SEALED_FIELD};
use super::page_layout::{alert, page};
use crate::domain::Scope;
use crate::service::AuthorizationRequest;
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};

/// One item per scope, in words for the person deciding.
pub fn scope_list(scopes: &[Scope]) -> Markup {
    html! {
        ul.scopes {
            @for scope in scopes {
                li { (scope.for_people()) }
            }
        }
    }
}

/// Where the user will be sent: the redirect URI's origin, so a lookalike shows.
fn destination(redirect_uri: &str) -> String {
    url::Url::parse(redirect_uri)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_else(|_| redirect_uri.to_string())
}

/// The hidden fields every sealed form carries.
pub fn sealed_fields(csrf: &str, sealed: &str) -> Markup {
    html! {
        input type="hidden" name=(CSRF_FIELD) value=(csrf);
        input type="hidden" name=(SEALED_FIELD) value=(sealed);
    }
}

/// What a consent page shows besides the request.
pub struct ConsentForm<'a> {
    /// The service the account belongs to (the issuer's host).
    pub service: &'a str,
    pub csrf: &'a str,
    pub sealed: &'a str,
    pub username: &'a str,
    pub error: Option<&'a str>,
    /// After a wrong password the cursor goes back to the password.
    pub focus_password: bool,
}

/// The sign-in and consent form for a checked request.
pub fn consent_page(
    status: StatusCode,
    request: &AuthorizationRequest,
    form: &ConsentForm<'_>,
) -> Response {
    let app = &request.app;
    let focus_password = form.focus_password || !form.username.is_empty();
    let body = html! {
        h1 { "Allow " span.who { (app.name) } " to use your account?" }
        p { span.who { (app.name) } " is " (app.platform.for_people()) ". If you allow it, it will be able to:" }
        (scope_list(&request.scopes))
        p.note { "Afterwards you will be sent to " strong { (destination(&request.redirect_uri)) } "." }
        (alert(form.error))
        form method="post" {
            (sealed_fields(form.csrf, form.sealed))
            label for="username" { "Username" }
            input type="text" id="username" name="username" value=(form.username)
                autocomplete="username" autocapitalize="none" spellcheck="false" required
                autofocus[!focus_password];
            label for="password" { "Password" }
            input type="password" id="password" name="password"
                autocomplete="current-password" required autofocus[focus_password];
            div.buttons {
                button.primary type="submit" name="decision" value="approve" { "Allow" }
                button.secondary type="submit" name="decision" value="deny" formnovalidate { "Deny" }
            }
        }
        p.note { "Deny needs no password: the app is told you said no." }
    };
    page(status, form.service, &format!("Allow {}?", app.name), body)
}

/// An error that must not be sent to the client (its redirect URI is not trusted).
pub fn error_page(status: StatusCode, service: &str, message: &str) -> Response {
    let body = html! {
        h1 { "This sign-in cannot continue" }
        p.error role="alert" { (message) }
        p { "Go back to the application and start again. If this keeps happening, tell its developer." }
    };
    page(status, service, "Sign-in error", body)
}
