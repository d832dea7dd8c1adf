//! Token revocation (RFC 7009). The server answers 200 even for tokens it does not
//! know, so success means only "that token no longer works".

use super::endpoint_auth::post_token;
use super::{EndpointAuth, FlowError, SecretString, ServerMetadata};

pub async fn revoke(
    http: &reqwest::Client,
    metadata: &ServerMetadata,
    auth: &EndpointAuth,
    token: &SecretString,
    hint: Option<&str>,
) -> Result<(), FlowError> {
    let url = metadata
        .revocation_endpoint
        .as_ref()
        .ok_or_else(|| FlowError::NotAllowed("the server has no revocation endpoint".into()))?;
    post_token(http, url, metadata, auth, token, hint).await?;
    Ok(())
}
