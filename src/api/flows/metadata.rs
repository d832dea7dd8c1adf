//! RFC 8414 discovery: where a server's OAuth endpoints are and what it supports.

use super::FlowError;
use serde::Deserialize;
use url::Url;

pub const METADATA_PATH: &str = ".well-known/oauth-authorization-server";

/// The part of the RFC 8414 metadata the flows use.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ServerMetadata {
    pub issuer: String,
    #[serde(default)]
    pub authorization_endpoint: Option<Url>,
    #[serde(default)]
    pub token_endpoint: Option<Url>,
    #[serde(default)]
    pub revocation_endpoint: Option<Url>,
    #[serde(default)]
    pub introspection_endpoint: Option<Url>,
    #[serde(default)]
    pub device_authorization_endpoint: Option<Url>,
    #[serde(default)]
    pub token_endpoint_auth_methods_supported: Option<Vec<String>>,
    #[serde(default)]
    pub code_challenge_methods_supported: Option<Vec<String>>,
    #[serde(default)]
    pub grant_types_supported: Option<Vec<String>>,
    #[serde(default)]
    pub response_types_supported: Option<Vec<String>>,
    /// RFC 9207: the server puts `iss` in every authorization response, so an
    /// answer without it cannot be from this server.
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: bool,
}

impl ServerMetadata {
    /// Fetches `{issuer}/.well-known/oauth-authorization-server` and checks that the
    /// document names the issuer it was fetched from (RFC 8414 §3.3), which stops a
    /// server from passing off another's endpoints.
    pub async fn discover(
        http: &reqwest::Client,
        issuer: &Url,
    ) -> Result<ServerMetadata, FlowError> {
        let url = metadata_url(issuer)?;
        let response = http
            .get(url.clone())
            .send()
            .await
            .map_err(|e| FlowError::unreachable(url.as_str(), &e))?;
        if !response.status().is_success() {
            return Err(FlowError::Discovery(format!(
                "{url} answered HTTP {}",
                response.status().as_u16()
            )));
        }
        let metadata: ServerMetadata = response
            .json()
            .await
            .map_err(|e| FlowError::Discovery(format!("{url}: {e}")))?;
        if trim_slash(&metadata.issuer) != trim_slash(issuer.as_str()) {
            return Err(FlowError::Discovery(format!(
                "the metadata names issuer {:?}, not {:?}",
                metadata.issuer,
                issuer.as_str()
            )));
        }
        Ok(metadata)
    }

    pub fn token_endpoint(&self) -> Result<&Url, FlowError> {
        self.token_endpoint
            .as_ref()
            .ok_or_else(|| FlowError::NotAllowed("the server has no token endpoint".into()))
    }

    pub fn authorization_endpoint(&self) -> Result<&Url, FlowError> {
        self.authorization_endpoint
            .as_ref()
            .ok_or_else(|| FlowError::NotAllowed("the server has no authorization endpoint".into()))
    }

    /// Whether a client holding a secret should send it with HTTP Basic (the RFC 8414
    /// default) rather than in the form body.
    pub fn prefers_basic_auth(&self) -> bool {
        match &self.token_endpoint_auth_methods_supported {
            None => true,
            Some(methods) => {
                methods.iter().any(|m| m == "client_secret_basic")
                    || !methods.iter().any(|m| m == "client_secret_post")
            }
        }
    }
}

/// RFC 8414 §3.1: the well-known path goes between the host and the issuer's path.
fn metadata_url(issuer: &Url) -> Result<Url, FlowError> {
    let path = issuer.path().trim_matches('/');
    let mut url = issuer.clone();
    url.set_query(None);
    url.set_fragment(None);
    if path.is_empty() {
        url.set_path(&format!("/{METADATA_PATH}"));
    } else {
        url.set_path(&format!("/{METADATA_PATH}/{path}"));
    }
    Ok(url)
}

fn trim_slash(s: &str) -> &str {
    s.trim_end_matches('/')
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn metadata_url_sits_at_the_host_root() {
        let issuer = Url::parse("http://127.0.0.1:8414/").unwrap();
        assert_eq!(
            metadata_url(&issuer).unwrap().as_str(),
            "http://127.0.0.1:8414/.well-known/oauth-authorization-server"
        );
        let tenant = Url::parse("https://auth.example/tenant1").unwrap();
        assert_eq!(
            metadata_url(&tenant).unwrap().as_str(),
            "https://auth.example/.well-known/oauth-authorization-server/tenant1"
        );
    }
}
