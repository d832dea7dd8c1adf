//! Strict parsing of `application/x-www-form-urlencoded` bodies and query strings:
//! a repeated parameter is an error (RFC 6749 §3.1, §3.2), never "first one wins".

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use std::collections::HashMap;

/// Parameters of one request, each name at most once.
#[derive(Default)]
pub struct Params(HashMap<String, String>);

impl Params {
    /// The value of `name`; an empty value counts as absent (RFC 6749 §3.1).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub fn as_map(&self) -> &HashMap<String, String> {
        &self.0
    }
}

impl std::fmt::Debug for Params {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Values may be secrets (passwords, codes, tokens): show the names only.
        f.debug_set().entries(self.0.keys()).finish()
    }
}

/// Why a request's parameters could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormError {
    TooLarge,
    Invalid(String),
}

impl FormError {
    pub fn message(&self) -> String {
        match self {
            FormError::TooLarge => "The request body is too large".into(),
            FormError::Invalid(why) => why.clone(),
        }
    }
}

/// Parses `name=value&…`, refusing any name given twice.
pub fn parse_unique(input: &[u8]) -> Result<Params, FormError> {
    let mut map = HashMap::new();
    for (name, value) in url::form_urlencoded::parse(input) {
        if map.contains_key(name.as_ref()) {
            return Err(FormError::Invalid(format!(
                "The parameter {name:?} is repeated"
            )));
        }
        map.insert(name.into_owned(), value.into_owned());
    }
    Ok(Params(map))
}

/// The query string of a request, parsed strictly.
pub fn parse_query(query: Option<&str>) -> Result<Params, FormError> {
    parse_unique(query.unwrap_or_default().as_bytes())
}

/// A form body, parsed strictly; the body must say it is a form.
pub fn parse_body(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Params, FormError> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            FormError::TooLarge
        } else {
            FormError::Invalid("The request body could not be read".into())
        }
    })?;
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !is_form {
        return Err(FormError::Invalid(
            "The body must be application/x-www-form-urlencoded".into(),
        ));
    }
    parse_unique(&body)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn repeated_parameter_is_refused() {
        let err = parse_unique(b"scope=a&client_id=x&scope=b").err().unwrap();
        assert!(err.message().contains("scope"));
    }

    #[test]
    fn values_are_decoded_and_empty_counts_as_absent() {
        let params = parse_unique(b"redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&state=").unwrap();
        assert_eq!(params.get("redirect_uri"), Some("http://127.0.0.1/cb"));
        assert_eq!(params.get("state"), None);
    }
}
