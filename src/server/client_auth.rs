//! How a client presents itself at the token, revocation and introspection endpoints:
//! `client_secret_basic` (RFC 6749 §2.3.1), `client_secret_post`, or, for public
//! clients, its `client_id` alone. Using two methods at once is refused.

use super::form::Params;
use crate::service::{ClientCredentials, ServiceError};
use axum::http::{HeaderMap, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// What the `Authorization` header carries, if anything.
pub enum AuthorizationHeader {
    None,
    Basic { client_id: String, secret: String },
    Bearer(String),
}

fn invalid_client(why: &str) -> ServiceError {
    ServiceError::InvalidClient(why.to_string())
}

/// Decodes `%XX` and `+` as form encoding does (RFC 6749 §2.3.1 encodes both parts).
fn form_decode(part: &str) -> Option<String> {
    let bytes = part.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

pub fn authorization_header(headers: &HeaderMap) -> Result<AuthorizationHeader, ServiceError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(AuthorizationHeader::None);
    };
    let value = value
        .to_str()
        .map_err(|_| invalid_client("The Authorization header is not readable"))?;
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    let rest = rest.trim();
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = STANDARD
            .decode(rest)
            .ok()
            .and_then(|d| String::from_utf8(d).ok())
            .ok_or_else(|| invalid_client("The Basic credentials are not valid base64"))?;
        let (id, secret) = decoded
            .split_once(':')
            .ok_or_else(|| invalid_client("The Basic credentials have no ':'"))?;
        let client_id = form_decode(id).ok_or_else(|| invalid_client("Bad client_id encoding"))?;
        let secret = form_decode(secret).ok_or_else(|| invalid_client("Bad secret encoding"))?;
        Ok(AuthorizationHeader::Basic { client_id, secret })
    } else if scheme.eq_ignore_ascii_case("bearer") && !rest.is_empty() {
        Ok(AuthorizationHeader::Bearer(rest.to_string()))
    } else {
        Err(invalid_client("Unsupported Authorization scheme"))
    }
}

/// The client's credentials from the header or the body, never both.
pub fn client_credentials(
    headers: &HeaderMap,
    params: &Params,
) -> Result<ClientCredentials, ServiceError> {
    match authorization_header(headers)? {
        AuthorizationHeader::Basic { client_id, secret } => {
            if params.contains("client_secret") {
                return Err(ServiceError::InvalidRequest(
                    "Use one client authentication method: Basic or client_secret in the body, not both".into(),
                ));
            }
            if let Some(body_id) = params.get("client_id")
                && body_id != client_id
            {
                return Err(ServiceError::InvalidRequest(
                    "client_id in the body differs from the Basic credentials".into(),
                ));
            }
            Ok(ClientCredentials {
                client_id,
                secret: (!secret.is_empty()).then_some(secret),
            })
        }
        AuthorizationHeader::Bearer(_) => Err(invalid_client(
            "Clients authenticate with Basic credentials or in the body",
        )),
        AuthorizationHeader::None => {
            let client_id = params
                .get("client_id")
                .ok_or_else(|| invalid_client("No client authentication was included"))?;
            Ok(ClientCredentials {
                client_id: client_id.to_string(),
                secret: params.get("client_secret").map(str::to_string),
            })
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn form_decoding_handles_escapes_and_refuses_broken_ones() {
        assert_eq!(form_decode("a%3Ab+c").as_deref(), Some("a:b c"));
        assert_eq!(form_decode("bad%4"), None);
        assert_eq!(form_decode("bad%zz"), None);
    }
}
