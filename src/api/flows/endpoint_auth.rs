//! How a request to a token-management endpoint (introspection, revocation, device
//! polling) authenticates, and reading the RFC 6749 §5.2 error it may answer with.

use super::{FlowError, SecretString, ServerMetadata};
use crate::domain::wire::ErrorBody;

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointAuth {
    /// The client itself: with its secret if confidential, by `client_id` alone if public.
    Client {
        client_id: String,
        secret: Option<SecretString>,
    },
    /// A bearer credential, e.g. the console's admin key where the server accepts it.
    Bearer(SecretString),
}

impl EndpointAuth {
    /// Adds the credentials to a form POST, as the server's metadata prefers.
    pub fn apply(
        &self,
        request: reqwest::RequestBuilder,
        form: &mut Vec<(&'static str, String)>,
        metadata: &ServerMetadata,
    ) -> reqwest::RequestBuilder {
        match self {
            EndpointAuth::Bearer(key) => request.bearer_auth(key.expose()),
            EndpointAuth::Client {
                client_id,
                secret: Some(secret),
            } if metadata.prefers_basic_auth() => {
                // RFC 6749 §2.3.1: both parts are form-urlencoded before Basic encoding.
                request.basic_auth(form_encode(client_id), Some(form_encode(secret.expose())))
            }
            EndpointAuth::Client { client_id, secret } => {
                form.push(("client_id", client_id.clone()));
                if let Some(secret) = secret {
                    form.push(("client_secret", secret.expose().to_string()));
                }
                request
            }
        }
    }
}

fn form_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Reads a non-success answer: an OAuth error body if there is one, else the status.
pub async fn error_from_response(response: reqwest::Response) -> FlowError {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    match serde_json::from_str::<ErrorBody>(&text) {
        Ok(body) => FlowError::oauth(body.error, body.error_description),
        Err(_) => FlowError::Protocol(format!("HTTP {status}")),
    }
}

/// POSTs `token` (and its type hint) to an RFC 7009 or RFC 7662 endpoint, authenticated
/// as `auth` says. A non-2xx answer becomes the server's OAuth error.
pub(super) async fn post_token(
    http: &reqwest::Client,
    url: &url::Url,
    metadata: &ServerMetadata,
    auth: &EndpointAuth,
    token: &SecretString,
    hint: Option<&str>,
) -> Result<reqwest::Response, FlowError> {
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
        Ok(response)
    } else {
        Err(error_from_response(response).await)
    }
}
