//! Ties a sealed form to the browser it was shown to: a random value in a cookie,
//! repeated in the form's hidden `csrf` field and inside the seal. A page another
//! site makes a browser submit carries neither the cookie (SameSite) nor its value.
//! The cookie is `__Host-` prefixed (Secure, host-only) when the issuer is https;
//! plain HTTP on loopback cannot set Secure cookies, so it drops the prefix there.

use crate::service::ServiceResult;
use crate::service::crypto::{constant_time_eq, random_token};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;

/// The hidden field that repeats the cookie's value.
pub const CSRF_FIELD: &str = "csrf";
/// The hidden field that holds the sealed request.
pub const SEALED_FIELD: &str = "form";

const SECURE_NAME: &str = "__Host-oc_form";
const PLAIN_NAME: &str = "oc_form";
/// 32 random bytes, base64url.
const VALUE_CHARS: usize = 43;

/// The browser's binding value, and the cookie to set when it is new.
pub struct FormBinding {
    pub value: String,
    set_cookie: Option<HeaderValue>,
}

fn cookie_name(secure: bool) -> &'static str {
    if secure { SECURE_NAME } else { PLAIN_NAME }
}

fn well_formed(value: &str) -> bool {
    value.len() == VALUE_CHARS
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The binding cookie the request carries, if any and well formed.
fn cookie_value(headers: &HeaderMap, secure: bool) -> Option<String> {
    let name = cookie_name(secure);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, v)| *n == name && well_formed(v))
        .map(|(_, v)| v.to_string())
}

/// The binding for a page about to be shown: the browser's own if it has one (so
/// several tabs work at once), else a new one with its cookie.
pub fn for_page(headers: &HeaderMap, secure: bool) -> ServiceResult<FormBinding> {
    if let Some(value) = cookie_value(headers, secure) {
        return Ok(FormBinding {
            value,
            set_cookie: None,
        });
    }
    let value = random_token("", 32)?;
    let attributes = if secure {
        "; Path=/; Secure; HttpOnly; SameSite=Lax"
    } else {
        "; Path=/; HttpOnly; SameSite=Lax"
    };
    let set_cookie =
        HeaderValue::from_str(&format!("{}={value}{attributes}", cookie_name(secure))).ok();
    Ok(FormBinding { value, set_cookie })
}

/// The binding of a submitted form: the cookie, when the form's `csrf` field repeats it.
pub fn submitted(headers: &HeaderMap, csrf_field: Option<&str>, secure: bool) -> Option<String> {
    let cookie = cookie_value(headers, secure)?;
    constant_time_eq(&cookie, csrf_field?).then_some(cookie)
}

impl FormBinding {
    /// Sets the cookie on the page's response when it is new.
    pub fn attach(&self, mut response: Response) -> Response {
        if let Some(cookie) = &self.set_cookie {
            response
                .headers_mut()
                .append(header::SET_COOKIE, cookie.clone());
        }
        response
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn a_new_browser_gets_a_cookie_and_its_value_binds_its_forms() {
        let fresh = for_page(&HeaderMap::new(), true).unwrap();
        let cookie = fresh.set_cookie.clone().unwrap();
        let cookie = cookie.to_str().unwrap();
        assert!(cookie.starts_with("__Host-oc_form=") && cookie.contains("Secure"));
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("a=b; __Host-oc_form={}", fresh.value)).unwrap(),
        );
        let again = for_page(&headers, true).unwrap();
        assert_eq!(again.value, fresh.value);
        assert!(again.set_cookie.is_none());
        assert_eq!(
            submitted(&headers, Some(&fresh.value), true),
            Some(fresh.value.clone())
        );
        assert_eq!(submitted(&headers, Some("other"), true), None);
        assert_eq!(submitted(&headers, None, true), None);
        assert_eq!(submitted(&HeaderMap::new(), Some(&fresh.value), true), None);
    }
}
