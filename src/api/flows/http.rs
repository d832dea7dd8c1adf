//! The HTTP client the flows use, and the oauth2 client built from server metadata.

use super::{FlowError, SecretString, ServerMetadata};
use crate::api::ServerTrust;
use oauth2::basic::BasicClient;
use oauth2::{
    AuthType, AuthUrl, ClientId, ClientSecret, DeviceAuthorizationUrl, EndpointMaybeSet,
    EndpointNotSet, IntrospectionUrl, RedirectUrl, RevocationUrl, TokenUrl,
};

/// An oauth2 client whose endpoints come from discovery, so any of them may be absent.
pub type OAuthClient = BasicClient<
    EndpointMaybeSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// An HTTP client for OAuth endpoints, accepting the certificates `trust` accepts. It
/// never follows redirects: a token endpoint that redirects could otherwise send our
/// credentials elsewhere (SSRF).
pub fn flow_http_client(trust: &ServerTrust) -> Result<reqwest::Client, FlowError> {
    trust
        .client_builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| FlowError::Protocol(e.to_string()))
}

/// Builds the oauth2 client for one app from the server's metadata.
pub fn oauth_client(
    metadata: &ServerMetadata,
    client_id: &str,
    secret: Option<&SecretString>,
    redirect_uri: Option<&str>,
) -> Result<OAuthClient, FlowError> {
    let bad = |what: &str, e: url::ParseError| FlowError::Discovery(format!("{what}: {e}"));
    let mut client: BasicClient<
        EndpointNotSet,
        EndpointNotSet,
        EndpointNotSet,
        EndpointNotSet,
        EndpointNotSet,
    > = BasicClient::new(ClientId::new(client_id.to_string()));
    if let Some(secret) = secret {
        client = client.set_client_secret(ClientSecret::new(secret.expose().to_string()));
    }
    let auth_type = if metadata.prefers_basic_auth() {
        AuthType::BasicAuth
    } else {
        AuthType::RequestBody
    };
    let mut client = client
        .set_auth_type(auth_type)
        .set_auth_uri_option(
            metadata
                .authorization_endpoint
                .as_ref()
                .map(|u| AuthUrl::from_url(u.clone())),
        )
        .set_token_uri_option(
            metadata
                .token_endpoint
                .as_ref()
                .map(|u| TokenUrl::from_url(u.clone())),
        )
        .set_revocation_url_option(
            metadata
                .revocation_endpoint
                .as_ref()
                .map(|u| RevocationUrl::from_url(u.clone())),
        )
        .set_introspection_url_option(
            metadata
                .introspection_endpoint
                .as_ref()
                .map(|u| IntrospectionUrl::from_url(u.clone())),
        )
        .set_device_authorization_url_option(
            metadata
                .device_authorization_endpoint
                .as_ref()
                .map(|u| DeviceAuthorizationUrl::from_url(u.clone())),
        );
    if let Some(redirect) = redirect_uri {
        client = client.set_redirect_uri(
            RedirectUrl::new(redirect.to_string()).map_err(|e| bad("redirect URL", e))?,
        );
    }
    Ok(client)
}

/// Maps an oauth2 request error to a flow error, keeping the server's OAuth error code.
pub fn token_error<RE: std::error::Error + 'static>(
    url: &str,
    error: oauth2::RequestTokenError<RE, oauth2::basic::BasicErrorResponse>,
) -> FlowError {
    use oauth2::RequestTokenError;
    match error {
        RequestTokenError::ServerResponse(body) => FlowError::oauth(
            body.error().as_ref().to_string(),
            body.error_description().cloned(),
        ),
        RequestTokenError::Request(e) => FlowError::Unreachable {
            url: url.to_string(),
            reason: crate::api::server_trust::error_chain(&e),
        },
        RequestTokenError::Parse(e, _) => FlowError::Protocol(e.to_string()),
        RequestTokenError::Other(message) => FlowError::Protocol(message),
    }
}

pub fn configuration_error(e: oauth2::ConfigurationError) -> FlowError {
    FlowError::NotAllowed(format!("the server's metadata lacks it: {e}"))
}
