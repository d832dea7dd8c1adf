//! The device page (RFC 8628 §3.3): where a person enters the code their device shows,
//! signs in, and allows or denies. Plain HTML in the consent page's look, no script.

use super::consent_page::{escape_html, page, scope_items};
use crate::service::DeviceConsent;
use axum::http::StatusCode;
use axum::response::Response;

/// The form: code, username, password, the hidden CSRF token, Allow and Deny.
pub fn device_form(
    status: StatusCode,
    csrf: &str,
    user_code: &str,
    username: &str,
    error: Option<&str>,
) -> Response {
    let error_html = error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", escape_html(e)))
        .unwrap_or_default();
    let body = format!(
        "<h1>Connect a device</h1>\
<p>Enter the code your device shows, and sign in to allow or deny its access.</p>\
<p><small>Check that the code is the one your own device shows: someone may send you a \
link with their code to get access in your name.</small></p>{error_html}\
<form method=\"post\">\
<input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
<label for=\"user_code\">Code</label>\
<input type=\"text\" id=\"user_code\" name=\"user_code\" value=\"{user_code}\" placeholder=\"XXXX-XXXX\" autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\" required>\
<label for=\"username\">Username</label>\
<input type=\"text\" id=\"username\" name=\"username\" value=\"{username}\" autocomplete=\"username\" required>\
<label for=\"password\">Password</label>\
<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>\
<div class=\"buttons\">\
<button type=\"submit\" name=\"decision\" value=\"approve\">Allow</button>\
<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\
</div></form>",
        csrf = escape_html(csrf),
        user_code = escape_html(user_code),
        username = escape_html(username),
    );
    page(status, "Connect a device", &body)
}

/// What the user just allowed or denied, and that the device will know.
pub fn device_done(consent: &DeviceConsent, approved: bool) -> Response {
    let app_name = escape_html(&consent.app_name);
    let body = if approved {
        format!(
            "<h1>Device connected</h1>\
<p>You allowed <strong>{app_name}</strong> access to:</p><ul>{scopes}</ul>\
<p>You can return to your device now.</p>",
            scopes = scope_items(&consent.scopes)
        )
    } else {
        format!(
            "<h1>Access denied</h1>\
<p><strong>{app_name}</strong> was not given access. You can close this page.</p>"
        )
    };
    let title = if approved {
        "Device connected"
    } else {
        "Access denied"
    };
    page(StatusCode::OK, title, &body)
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
        let html = text(device_done(&consent, true)).await;
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt;"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("Monitoring"));
    }
}
