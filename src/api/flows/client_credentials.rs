//! Client credentials grant (RFC 6749 §4.4): an API services app asks for a token with
//! its own secret.

use super::http::{configuration_error, oauth_client, token_error};
use super::{FlowError, IssuedTokens, SecretString, ServerMetadata};
use oauth2::Scope;

pub async fn client_credentials(
    http: &reqwest::Client,
    metadata: &ServerMetadata,
    client_id: &str,
    secret: &SecretString,
    scopes: &[String],
) -> Result<IssuedTokens, FlowError> {
    let token_url = metadata.token_endpoint()?.to_string();
    let client = oauth_client(metadata, client_id, Some(secret), None)?;
    let response = client
        .exchange_client_credentials()
        .map_err(configuration_error)?
        .add_scopes(scopes.iter().map(|s| Scope::new(s.clone())))
        .request_async(http)
        .await
        .map_err(|e| token_error(&token_url, e))?;
    Ok(IssuedTokens::from_response(&response, scopes))
}
