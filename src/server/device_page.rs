//! The device pages (RFC 8628 §3.3, §5.4), in three steps: the code (typed, or a
//! pre-filled one to check), signing in, then a confirmation that names the app, what
//! kind of app it is and each access in words. Only that last page can approve.
//! Deny is on every page and needs no password.

use super::consent_page::{scope_list, sealed_fields};
use super::page_layout::{alert, page};
use crate::domain::display_user_code;
use crate::service::{DeviceConsent, PendingDevice};
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;

/// What every device page shows besides its step.
pub struct DeviceForm<'a> {
    pub status: StatusCode,
    /// The service the account belongs to (the issuer's host).
    pub service: &'a str,
    pub csrf: &'a str,
    pub sealed: &'a str,
    pub error: Option<&'a str>,
}

/// Step 1: the code. A pre-filled code (from `verification_uri_complete`) is to be
/// checked against the device, since a link can carry someone else's.
pub fn code_page(form: &DeviceForm<'_>, user_code: &str, prefilled: bool) -> Response {
    let body = html! {
        h1 { "Connect a device" }
        @if prefilled {
            p { "Check that this code is the one your device shows. If it is not, press Deny: someone may be trying to get access in your name." }
        } @else {
            p { "Enter the code your device shows." }
        }
        (alert(form.error))
        form method="post" {
            (sealed_fields(form.csrf, form.sealed))
            label for="user_code" { "Code" }
            input.code type="text" id="user_code" name="user_code" value=(user_code)
                placeholder="XXXX-XXXX" autocomplete="off" autocapitalize="characters"
                spellcheck="false" required autofocus[!prefilled];
            div.buttons {
                button.primary type="submit" name="decision" value="continue" { "Continue" }
                button.secondary type="submit" name="decision" value="deny" formnovalidate { "Deny" }
            }
        }
        p.note { "Next you sign in, and see what the device asks for before you choose." }
    };
    page(form.status, form.service, "Connect a device", body)
}

/// Step 2: signing in, for a code known to be live.
pub fn sign_in_page(
    form: &DeviceForm<'_>,
    pending: &PendingDevice,
    username: &str,
    focus_password: bool,
) -> Response {
    let focus_password = focus_password || !username.is_empty();
    let body = html! {
        h1 { "Sign in to connect " span.who { (pending.app.name) } }
        p { "Device code " span.code { (display_user_code(&pending.user_code)) } }
        (alert(form.error))
        form method="post" {
            (sealed_fields(form.csrf, form.sealed))
            label for="username" { "Username" }
            input type="text" id="username" name="username" value=(username)
                autocomplete="username" autocapitalize="none" spellcheck="false" required
                autofocus[!focus_password];
            label for="password" { "Password" }
            input type="password" id="password" name="password"
                autocomplete="current-password" required autofocus[focus_password];
            div.buttons {
                button.primary type="submit" name="decision" value="continue" { "Continue" }
                button.secondary type="submit" name="decision" value="deny" formnovalidate { "Deny" }
            }
        }
        p.note { "Nothing is allowed yet: next you see what the device asks for." }
    };
    page(
        form.status,
        form.service,
        "Sign in to connect a device",
        body,
    )
}

/// Step 3: what exactly is being allowed, and to whom.
pub fn confirm_page(form: &DeviceForm<'_>, pending: &PendingDevice, username: &str) -> Response {
    let app = &pending.app;
    let body = html! {
        h1 { "Allow " span.who { (app.name) } " to use your account?" }
        p {
            span.who { (app.name) } " is " (app.platform.for_people())
            ". It is the device showing the code "
            span.code { (display_user_code(&pending.user_code)) } "."
        }
        p { "If you allow it, it will be able to:" }
        (scope_list(&pending.scopes))
        p.note { "Signed in as " strong { (username) } "." }
        (alert(form.error))
        form method="post" {
            (sealed_fields(form.csrf, form.sealed))
            div.buttons {
                button.primary type="submit" name="decision" value="approve" { "Allow" }
                button.secondary type="submit" name="decision" value="deny" { "Deny" }
            }
        }
    };
    page(
        form.status,
        form.service,
        &format!("Allow {}?", app.name),
        body,
    )
}

/// What the person just allowed or denied. `None`: denied before any code was known.
pub fn done_page(service: &str, consent: Option<&DeviceConsent>, approved: bool) -> Response {
    let body = match (consent, approved) {
        (Some(consent), true) => html! {
            h1 { "Device connected" }
            p { "You allowed " span.who { (consent.app_name) } " to:" }
            (scope_list(&consent.scopes))
            p { "You can return to your device now." }
        },
        (Some(consent), false) => html! {
            h1 { "Access denied" }
            p { span.who { (consent.app_name) } " was not given access. You can close this page." }
        },
        (None, _) => html! {
            h1 { "Nothing was allowed" }
            p { "No device was given access. You can close this page." }
        },
    };
    let title = if approved {
        "Device connected"
    } else {
        "Access denied"
    };
    page(StatusCode::OK, service, title, body)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::domain::Scope;

    async fn text(response: Response) -> String {
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn the_app_name_is_escaped_on_the_result_page() {
        let consent = DeviceConsent {
            app_name: "<script>x</script>".into(),
            scopes: vec![Scope::Monitoring],
        };
        let html = text(done_page("svc", Some(&consent), true)).await;
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt;"));
        assert!(!html.contains("<script>"));
        assert!(html.contains(Scope::Monitoring.for_people()));
    }
}
