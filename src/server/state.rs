//! The one state every handler shares. Nothing a sign-in page shows is kept here:
//! forms carry their request sealed (see `form_binding` and `service::sealed_form`).

use super::sign_in::SignInGuard;
use crate::service::Service;
use std::sync::Arc;
use url::Url;

#[derive(Clone)]
pub struct AppState {
    pub service: Service,
    /// Throttles and the password gate, per process.
    pub sign_in: Arc<SignInGuard>,
    /// The issuer identifier, exactly as the metadata states it.
    pub issuer: Arc<Url>,
    /// The issuer is https: the form cookie can be `__Host-` and Secure.
    pub secure_cookies: bool,
}

impl AppState {
    /// An endpoint's absolute URL under the issuer.
    pub fn endpoint(&self, path: &str) -> String {
        format!(
            "{}/{}",
            self.issuer.as_str().trim_end_matches('/'),
            path.trim_start_matches('/')
        )
    }

    /// The service people sign in to, as the pages name it: the issuer's host.
    pub fn service_name(&self) -> String {
        match (self.issuer.host_str(), self.issuer.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_string(),
            _ => self.issuer.to_string(),
        }
    }
}
