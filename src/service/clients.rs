//! Client authentication at the token, revocation and introspection endpoints.

use super::crypto::secret_matches;
use super::{Service, ServiceError, ServiceResult};
use crate::domain::ClientApp;

/// What a client presented: its ID and, for confidential clients, its secret
/// (from `client_secret_basic` or `client_secret_post`; the HTTP layer decides which).
#[derive(Clone)]
pub struct ClientCredentials {
    pub client_id: String,
    pub secret: Option<String>,
}

impl std::fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret is a credential: never print it.
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

fn failed() -> ServiceError {
    ServiceError::InvalidClient("Client authentication failed".into())
}

impl Service {
    /// The app a client proved to be. Public clients identify by ID alone (and must not
    /// send a secret); confidential clients must present their current secret.
    pub async fn authenticate_client(
        &self,
        credentials: &ClientCredentials,
    ) -> ServiceResult<ClientApp> {
        let app = self
            .store
            .get_app(&credentials.client_id)
            .await?
            .ok_or_else(failed)?;
        let now = self.now();
        match (&app.secret_hash, &credentials.secret) {
            (None, None) if !app.platform.is_confidential() => Ok(app),
            (Some(current), Some(secret)) => {
                let matches_current = secret_matches(secret, current);
                let matches_previous =
                    match (&app.previous_secret_hash, app.previous_secret_expires_at) {
                        (Some(previous), Some(until)) if now < until => {
                            secret_matches(secret, previous)
                        }
                        _ => false,
                    };
                if matches_current || matches_previous {
                    Ok(app)
                } else {
                    tracing::info!(client_id = %app.client_id, "client presented a wrong secret");
                    Err(failed())
                }
            }
            _ => {
                tracing::info!(client_id = %app.client_id, "client authentication method does not fit the client type");
                Err(failed())
            }
        }
    }
}
