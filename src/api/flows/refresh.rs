//! Refresh (RFC 6749 §6): trade a refresh token for new tokens. With rotation the
//! server sends a new refresh token, which replaces the old one.

use super::http::{configuration_error, oauth_client, token_error};
use super::{FlowError, IssuedTokens, SecretString, ServerMetadata};
use oauth2::RefreshToken;

pub async fn refresh(
    http: &reqwest::Client,
    metadata: &ServerMetadata,
    client_id: &str,
    secret: Option<&SecretString>,
    refresh_token: &SecretString,
    previous_scopes: &[String],
) -> Result<IssuedTokens, FlowError> {
    let token_url = metadata.token_endpoint()?.to_string();
    let client = oauth_client(metadata, client_id, secret, None)?;
    let old = RefreshToken::new(refresh_token.expose().to_string());
    let response = client
        .exchange_refresh_token(&old)
        .map_err(configuration_error)?
        .request_async(http)
        .await
        .map_err(|e| token_error(&token_url, e))?;
    let mut tokens = IssuedTokens::from_response(&response, previous_scopes);
    if tokens.refresh_token.is_none() {
        // No rotation: the server keeps the old refresh token valid (RFC 6749 §6).
        tokens.refresh_token = Some(refresh_token.clone());
    }
    Ok(tokens)
}
