//! The one state every handler shares.

use super::consent_sessions::{ConsentSessions, DeviceForms};
use crate::domain::Issuer;
use crate::service::Service;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub service: Service,
    pub consents: Arc<ConsentSessions>,
    pub device_forms: Arc<DeviceForms>,
    /// The issuer identifier, exactly as the metadata states it.
    pub issuer: Arc<Issuer>,
}

impl AppState {
    /// An endpoint's absolute URL under the issuer.
    pub fn endpoint(&self, path: &str) -> String {
        self.issuer.endpoint(path)
    }
}
