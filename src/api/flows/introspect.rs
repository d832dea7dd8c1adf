//! Token introspection (RFC 7662): is this token active, and what does it allow?

use super::endpoint_auth::post_token;
use super::{EndpointAuth, FlowError, SecretString, ServerMetadata};
use serde::Deserialize;

/// The server's answer. An inactive token carries nothing but `active: false`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Introspection {
    pub active: bool,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub client_id: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub sub: Option<String>,
    #[serde(default)]
    pub token_type: Option<String>,
    #[serde(default)]
    pub exp: Option<i64>,
    #[serde(default)]
    pub iat: Option<i64>,
}

/// Asks the introspection endpoint about `token`. `hint` is `access_token` or
/// `refresh_token` when known.
pub async fn introspect(
    http: &reqwest::Client,
    metadata: &ServerMetadata,
    auth: &EndpointAuth,
    token: &SecretString,
    hint: Option<&str>,
) -> Result<Introspection, FlowError> {
    let url = metadata
        .introspection_endpoint
        .as_ref()
        .ok_or_else(|| FlowError::NotAllowed("the server has no introspection endpoint".into()))?;
    let response = post_token(http, url, metadata, auth, token, hint).await?;
    response
        .json()
        .await
        .map_err(|e| FlowError::Protocol(format!("introspection answer: {e}")))
}
