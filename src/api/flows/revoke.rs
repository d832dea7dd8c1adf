//! Token revocation (RFC 7009). The server answers 200 even for tokens it does not
//! know, so success means only "that token no longer works".

use super::endpoint_auth::error_from_response;
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
    let mut form = vec![("token", token.expose().to_string())];
    if let Some(hint) = hint {
        form.push(("token_type_hint", hint.to_string()));
    }
    let request = auth.apply(http.post(url.clone()), &mut form, metadata);
    let response = request
        .form(&form)
        .send()
        .await
        .map_err(|e| FlowError::unreachable(url.as_str(), &e))?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err(error_from_response(response).await)
    }
}
