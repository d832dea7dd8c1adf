//! Tokens obtained by a flow in this session: kept in memory, never printed in `Debug`.

use super::SecretString;
use crate::domain::unix_now;
use oauth2::TokenResponse;
use oauth2::basic::{BasicTokenResponse, BasicTokenType};

/// What a token endpoint issued. Times are Unix seconds (UTC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedTokens {
    pub access_token: SecretString,
    pub refresh_token: Option<SecretString>,
    /// When the access token expires, if the server said (`expires_in`).
    pub expires_at: Option<i64>,
    /// The scopes granted: the server's `scope`, or the ones asked for when it sent none
    /// (RFC 6749 §5.1).
    pub scopes: Vec<String>,
    /// Usually `Bearer`.
    pub token_type: String,
}

impl IssuedTokens {
    pub(crate) fn from_response(
        response: &BasicTokenResponse,
        requested_scopes: &[String],
    ) -> IssuedTokens {
        let scopes = match response.scopes() {
            Some(granted) => granted.iter().map(|s| s.to_string()).collect(),
            None => requested_scopes.to_vec(),
        };
        IssuedTokens {
            access_token: SecretString::new(response.access_token().secret().clone()),
            refresh_token: response
                .refresh_token()
                .map(|t| SecretString::new(t.secret().clone())),
            expires_at: response
                .expires_in()
                .map(|d| unix_now().saturating_add(i64::try_from(d.as_secs()).unwrap_or(i64::MAX))),
            scopes,
            token_type: match response.token_type() {
                // oauth2 lower-cases it; RFC 6750 writes it `Bearer`.
                BasicTokenType::Bearer => "Bearer".to_string(),
                other => other.as_ref().to_string(),
            },
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_shows_no_token() {
        let tokens = IssuedTokens {
            access_token: SecretString::new("oca_secret_access"),
            refresh_token: Some(SecretString::new("ocr_secret_refresh")),
            expires_at: Some(1),
            scopes: vec!["monitoring".into()],
            token_type: "Bearer".into(),
        };
        let shown = format!("{tokens:?}");
        assert!(!shown.contains("oca_secret_access"), "{shown}");
        assert!(!shown.contains("ocr_secret_refresh"), "{shown}");
        assert!(shown.contains("monitoring"));
    }

    #[test]
    fn missing_scope_in_the_response_means_the_requested_scopes() {
        let json = r#"{"access_token":"oca_x","token_type":"Bearer","expires_in":60}"#;
        let response: BasicTokenResponse = serde_json::from_str(json).unwrap();
        let tokens = IssuedTokens::from_response(&response, &["monitoring".to_string()]);
        assert_eq!(tokens.scopes, vec!["monitoring".to_string()]);
        assert!(tokens.expires_at.unwrap() > unix_now());
        assert_eq!(tokens.token_type, "Bearer");
    }
}
