//! Which answer an authorization request asks the authorization endpoint for.

/// The `response_type` of an authorization request (RFC 6749 §3.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseType {
    /// `response_type=code`: an authorization code, always with PKCE S256.
    Code,
    /// `response_type=token`: legacy implicit (RFC 9700 §2.1.2); the access token
    /// comes back in the redirect's fragment.
    Token,
}

impl ResponseType {
    /// The value on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseType::Code => "code",
            ResponseType::Token => "token",
        }
    }

    /// The response type a `response_type` value names, if it is one we know.
    pub fn from_param(value: &str) -> Option<ResponseType> {
        match value {
            "code" => Some(ResponseType::Code),
            "token" => Some(ResponseType::Token),
            _ => None,
        }
    }
}
