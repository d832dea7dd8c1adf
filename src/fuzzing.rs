//! Entry points for the fuzz targets in `fuzz/` (cargo-fuzz): each feeds arbitrary
//! bytes to one parser that reads untrusted input and panics only if an invariant
//! the rest of the code relies on is broken. Not an API: hidden from the docs.

use crate::domain::Platform;
use crate::domain::redirect::{check_registered_redirect, redirect_matches};

/// The strict form parser of every OAuth endpoint (bodies and query strings).
pub fn form_body(data: &[u8]) {
    if let Ok(params) = crate::server::form::parse_unique(data) {
        // Every name is there once, and an empty value reads as absent.
        for (name, value) in params.as_map() {
            assert_eq!(params.get(name).is_some(), !value.is_empty());
        }
    }
}

/// The `Authorization` header of client authentication (Basic, Bearer).
pub fn basic_auth(data: &[u8]) {
    use crate::server::client_auth::{AuthorizationHeader, authorization_header};
    let Ok(value) = axum::http::HeaderValue::from_bytes(data) else {
        return;
    };
    let mut headers = axum::http::HeaderMap::new();
    headers.insert(axum::http::header::AUTHORIZATION, value);
    if let Ok(AuthorizationHeader::Bearer(token)) = authorization_header(&headers) {
        assert!(!token.is_empty());
    }
}

/// Redirect URL checks: registration, and matching for every platform.
pub fn redirect(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (registered, requested) = text.split_once('\n').unwrap_or((text, text));
    let registered = vec![registered.to_string()];
    let _ = check_registered_redirect(&registered[0]);
    for platform in Platform::ALL {
        let matched = redirect_matches(platform, &registered, requested);
        match platform {
            Platform::ApiServices => assert!(!matched),
            Platform::Web | Platform::SinglePage if matched => {
                assert_eq!(requested, registered[0]);
            }
            Platform::Native if matched => {
                let url = url::Url::parse(requested).ok();
                let url = url.as_ref().map(|u| (u.scheme(), u.host_str()));
                assert!(
                    matches!(url, Some(("http", Some("127.0.0.1" | "[::1]")))),
                    "{requested:?}"
                );
            }
            _ => {}
        }
    }
}

/// The PKCE verifier check (RFC 7636 §4.1) and its S256 challenge.
pub fn pkce(data: &[u8]) {
    let Ok(verifier) = std::str::from_utf8(data) else {
        return;
    };
    if crate::service::is_valid_pkce_verifier(verifier) {
        let challenge = crate::service::crypto::pkce_s256(verifier);
        assert_eq!(challenge.len(), 43);
        assert!(crate::service::crypto::constant_time_eq(
            &challenge,
            &crate::service::crypto::pkce_s256(verifier)
        ));
    }
}

/// The opaque cursor of a token page, as a client may send it back tampered.
pub fn page_cursor(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    crate::store::page_cursor::check_page_cursor_round_trip(text);
}

/// The config file parser (TOML, then our checks).
pub fn config_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = crate::config::parse(std::path::Path::new("fuzz.toml"), text);
}

/// Sealed forms (consent and device pages): any text opens to an error, never a
/// panic; what is sealed opens to itself; a sealed value with one character changed
/// never opens.
pub fn sealed_form(data: &[u8]) {
    use crate::domain::FormKey;
    use crate::service::sealed_form::{
        MAX_SEALED_CHARS, NONCE_BYTES, open, open_bytes, seal_bytes,
    };
    let key = FormKey {
        id: "fuzz".into(),
        secret: vec![7; 32],
        created_at: 0,
    };
    let keys = [key.clone()];
    if let Ok(text) = std::str::from_utf8(data) {
        assert!(
            open(&keys, text).is_err(),
            "a form this test never sealed opened"
        );
    }
    let nonce = [data.first().copied().unwrap_or(0); NONCE_BYTES];
    let Ok(sealed) = seal_bytes(&key, &nonce, data) else {
        panic!("a usable key failed to seal {} bytes", data.len());
    };
    if sealed.len() > MAX_SEALED_CHARS {
        assert!(
            open_bytes(&keys, &sealed).is_err(),
            "an oversized value opened"
        );
        return;
    }
    assert_eq!(open_bytes(&keys, &sealed).as_deref(), Ok(data));
    let mut changed = sealed.into_bytes();
    let at = data.len().wrapping_mul(31) % changed.len();
    // ASCII stays ASCII: the value is still text, only different.
    changed[at] ^= 1;
    if let Ok(changed) = String::from_utf8(changed) {
        assert!(
            open_bytes(&keys, &changed).is_err(),
            "a changed value opened: {changed}"
        );
    }
}
