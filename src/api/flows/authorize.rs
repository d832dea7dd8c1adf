//! Building the authorization request (RFC 6749 §4.1 with PKCE S256, RFC 7636; or the
//! legacy implicit §4.2) and remembering what its answer must match.

use super::http::{configuration_error, oauth_client, token_error};
use super::{FlowError, IssuedTokens, SecretString, ServerMetadata};
use crate::domain::ResponseType;
use oauth2::{AuthorizationCode, CsrfToken, PkceCodeChallenge, PkceCodeVerifier, Scope};
use url::Url;

/// An authorization request sent to the user's browser, waiting for its redirect.
/// Holds the PKCE verifier and `state`, which never leave this process.
#[derive(Debug, Clone)]
pub struct PendingAuthorization {
    /// The URL to open in a browser (or copy).
    pub url: Url,
    pub response_type: ResponseType,
    pub client_id: String,
    pub(crate) secret: Option<SecretString>,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub(crate) state: SecretString,
    /// The issuer, to check RFC 9207's `iss` parameter when the server sends one.
    pub(crate) issuer: String,
    /// RFC 9207 §2.4: the server advertised `iss`, so an answer must carry it.
    pub(crate) iss_required: bool,
    pkce_verifier: Option<SecretString>,
}

impl PendingAuthorization {
    /// Builds the authorize URL for `client_id`, to come back to `redirect_uri`.
    pub fn new(
        metadata: &ServerMetadata,
        response_type: ResponseType,
        client_id: &str,
        secret: Option<SecretString>,
        redirect_uri: &str,
        scopes: &[String],
    ) -> Result<PendingAuthorization, FlowError> {
        metadata.authorization_endpoint()?;
        let client = oauth_client(metadata, client_id, secret.as_ref(), Some(redirect_uri))?;
        let mut request = client
            .authorize_url(CsrfToken::new_random)
            .map_err(configuration_error)?
            .add_scopes(scopes.iter().map(|s| Scope::new(s.clone())));
        let mut pkce_verifier = None;
        match response_type {
            ResponseType::Code => {
                let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
                request = request.set_pkce_challenge(challenge);
                pkce_verifier = Some(SecretString::new(verifier.secret().clone()));
            }
            ResponseType::Token => request = request.use_implicit_flow(),
        }
        let (url, state) = request.url();
        Ok(PendingAuthorization {
            url,
            response_type,
            client_id: client_id.to_string(),
            secret,
            redirect_uri: redirect_uri.to_string(),
            scopes: scopes.to_vec(),
            state: SecretString::new(state.secret().clone()),
            issuer: metadata.issuer.clone(),
            iss_required: metadata.authorization_response_iss_parameter_supported,
            pkce_verifier,
        })
    }

    /// Trades the authorization code for tokens at the token endpoint.
    pub async fn exchange_code(
        &self,
        http: &reqwest::Client,
        metadata: &ServerMetadata,
        code: &SecretString,
    ) -> Result<IssuedTokens, FlowError> {
        let token_url = metadata.token_endpoint()?.to_string();
        let client = oauth_client(
            metadata,
            &self.client_id,
            self.secret.as_ref(),
            Some(&self.redirect_uri),
        )?;
        let mut request = client
            .exchange_code(AuthorizationCode::new(code.expose().to_string()))
            .map_err(configuration_error)?;
        if let Some(verifier) = &self.pkce_verifier {
            request =
                request.set_pkce_verifier(PkceCodeVerifier::new(verifier.expose().to_string()));
        }
        let response = request
            .request_async(http)
            .await
            .map_err(|e| token_error(&token_url, e))?;
        Ok(IssuedTokens::from_response(&response, &self.scopes))
    }
}
