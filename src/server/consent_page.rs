//! The login + consent page and the authorization error page: plain server-rendered
//! HTML, no JavaScript. Everything that comes from an app or a request is escaped.

use crate::domain::Scope;
pub use crate::domain::escape_html;
use crate::service::AuthorizationRequest;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#222}\
h1{font-size:1.3rem}ul{padding-left:1.2rem}label{display:block;margin:.6rem 0 .2rem}\
input[type=text],input[type=password]{width:100%;padding:.4rem;box-sizing:border-box}\
.error{color:#a00;font-weight:bold}.buttons{margin-top:1rem;display:flex;gap:.6rem}\
small{color:#555}";

/// A complete page in the look every HTML page of the server shares.
pub(super) fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{}</title><style>{STYLE}</style></head><body>{body}</body></html>\n",
        escape_html(title)
    );
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    // The page holds a CSRF token and asks for a password: no caching, no framing.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        ),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

pub(super) fn scope_items(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(|s| {
            format!(
                "<li><strong>{}</strong> <small>({})</small><br><small>{}</small></li>",
                escape_html(s.label()),
                escape_html(s.as_str()),
                escape_html(s.description())
            )
        })
        .collect()
}

/// Where the user will be sent: the redirect URI's origin, so a user can spot a lookalike.
fn destination(redirect_uri: &str) -> String {
    url::Url::parse(redirect_uri)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_else(|_| redirect_uri.to_string())
}

/// The sign-in and consent form for a pending request.
pub fn consent_page(
    request: &AuthorizationRequest,
    csrf: &str,
    username: &str,
    error: Option<&str>,
) -> Response {
    let app_name = escape_html(&request.app.name);
    let error_html = error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", escape_html(e)))
        .unwrap_or_default();
    let body = format!(
        "<h1>Sign in to continue to {app_name}</h1>\
<p><strong>{app_name}</strong> is asking for access to:</p><ul>{scopes}</ul>\
<p><small>You will be returned to {dest}</small></p>{error_html}\
<form method=\"post\">\
<input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
<label for=\"username\">Username</label>\
<input type=\"text\" id=\"username\" name=\"username\" value=\"{username}\" autocomplete=\"username\" required autofocus>\
<label for=\"password\">Password</label>\
<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\">\
<div class=\"buttons\">\
<button type=\"submit\" name=\"decision\" value=\"approve\">Allow</button>\
<button type=\"submit\" name=\"decision\" value=\"deny\" formnovalidate>Deny</button>\
</div></form>",
        scopes = scope_items(&request.scopes),
        dest = escape_html(&destination(&request.redirect_uri)),
        csrf = escape_html(csrf),
        username = escape_html(username),
    );
    page(
        StatusCode::OK,
        &format!("Sign in – {}", request.app.name),
        &body,
    )
}

/// An error that must not be sent to the client (its redirect URI is not trusted).
pub fn error_page(status: StatusCode, message: &str) -> Response {
    let body = format!(
        "<h1>This sign-in request cannot continue</h1><p class=\"error\">{}</p>\
<p>Go back to the application and try again. If this keeps happening, tell its developer.</p>",
        escape_html(message)
    );
    page(status, "Sign-in error", &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_is_escaped() {
        assert_eq!(
            escape_html("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
