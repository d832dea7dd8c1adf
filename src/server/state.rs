//! The one state every handler shares. Nothing a sign-in page shows is kept here:
//! forms carry their request sealed (see `form_binding` and `service::sealed_form`).

use super::sign_in::SignInGuard;
use crate::domain::Issuer;
use crate::service::Service;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub service: Service,
    /// Throttles and the password gate, per process.
    pub sign_in: Arc<SignInGuard>,
    /// The issuer identifier, exactly as the metadata states it.
    pub issuer: Arc<Issuer>,
    /// The issuer is https: the form cookie can be `__Host-` and Secure.
    pub secure_cookies: bool,
}

impl AppState {
    /// An endpoint's absolute URL under the issuer.
    pub fn endpoint(&self, path: &str) -> String {
        self.issuer.endpoint(path)
    }

    /// The service people sign in to, as the pages name it: the issuer's host.
    pub fn service_name(&self) -> String {
        let url = self.issuer.url();
        match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_string(),
            _ => self.issuer.to_string(),
        }
    }
}
