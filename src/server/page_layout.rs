//! The look every HTML page of the server shares: one column that fits a phone,
//! 16 px inputs (phones do not zoom), buttons a thumb can hit, no script. Pages are
//! `maud` markup, which escapes every value it is given.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};

const STYLE: &str = "*{box-sizing:border-box}\
html{-webkit-text-size-adjust:100%}\
body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;padding:12px;color:#1a1a1a;background:#f2f3f5}\
main{max-width:28rem;margin:16px auto;background:#fff;border:1px solid #d5d8dd;border-radius:12px;padding:20px}\
.service{font-size:14px;color:#555;margin:0 0 12px;overflow-wrap:anywhere}\
h1{font-size:22px;line-height:1.3;margin:0 0 12px;overflow-wrap:anywhere}\
p{margin:0 0 12px;overflow-wrap:anywhere}\
ul.scopes{list-style:none;padding:0;margin:8px 0 16px}\
ul.scopes li{padding:8px 12px;border-left:4px solid #2557b8;background:#eef3fc;margin:6px 0;border-radius:4px}\
label{display:block;font-weight:600;margin:14px 0 4px}\
input[type=text],input[type=password]{display:block;width:100%;font-size:16px;padding:10px 12px;min-height:48px;border:1px solid #7b818a;border-radius:8px;background:#fff;color:#1a1a1a}\
input:focus{outline:3px solid #93b4ee;border-color:#2557b8}\
.buttons{display:flex;flex-wrap:wrap;gap:12px;margin-top:20px}\
button{flex:1 1 8rem;min-height:48px;font-size:17px;font-weight:600;border-radius:8px;padding:10px 16px;cursor:pointer}\
button.primary{background:#2557b8;color:#fff;border:1px solid #2557b8}\
button.secondary{background:#fff;color:#1a1a1a;border:1px solid #7b818a}\
.error{color:#8f0000;background:#fdecec;border:1px solid #eeb4b4;padding:10px 12px;border-radius:8px}\
.note{font-size:14px;color:#555}\
.code{font:700 24px/1.3 ui-monospace,SFMono-Regular,Menlo,monospace;letter-spacing:2px;white-space:nowrap}\
form+.note{margin-top:14px}\
.who{font-weight:700}";

/// A complete page. It holds a form token and may ask for a password: no caching,
/// no framing, no referrer, and no script may run.
pub fn page(status: StatusCode, service: &str, title: &str, body: Markup) -> Response {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                main {
                    p.service { "Your account on " strong { (service) } }
                    (body)
                }
            }
        }
    };
    let mut response = (status, Html(markup.into_string())).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            // No form-action: browsers apply it to the redirect that follows a form,
            // and the consent form's redirect goes to the app.
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        ),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// An error message, announced to screen readers.
pub fn alert(message: Option<&str>) -> Markup {
    html! {
        @if let Some(message) = message {
            p.error role="alert" { (message) }
        }
    }
}

/// "3 minutes", "1 minute", "45 seconds": a wait in words.
pub fn wait_in_words(seconds: i64) -> String {
    let seconds = seconds.max(1);
    if seconds < 60 {
        return format!("{seconds} second{}", if seconds == 1 { "" } else { "s" });
    }
    let minutes = (seconds + 59) / 60;
    format!("{minutes} minute{}", if minutes == 1 { "" } else { "s" })
}

/// Adds `Retry-After` to a response.
pub fn with_retry_after(mut response: Response, seconds: i64) -> Response {
    if let Ok(value) = HeaderValue::from_str(&seconds.max(1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn waits_read_as_people_say_them() {
        assert_eq!(wait_in_words(1), "1 second");
        assert_eq!(wait_in_words(45), "45 seconds");
        assert_eq!(wait_in_words(60), "1 minute");
        assert_eq!(wait_in_words(61), "2 minutes");
    }

    #[tokio::test]
    async fn text_is_escaped() {
        let response = page(
            StatusCode::OK,
            "<b>svc</b>",
            "t",
            html! { p { "<script>x</script>" } },
        );
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(text.contains("&lt;script&gt;") && !text.contains("<script>"));
        assert!(text.contains("&lt;b&gt;svc"));
    }
}
