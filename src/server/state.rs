//! The one state every handler shares.

use super::consent_sessions::{ConsentSessions, DeviceForms};
use crate::service::Service;
use std::sync::Arc;
use url::Url;

#[derive(Clone)]
pub struct AppState {
    pub service: Service,
    pub consents: Arc<ConsentSessions>,
    pub device_forms: Arc<DeviceForms>,
    /// The issuer identifier, exactly as the metadata states it.
    pub issuer: Arc<Url>,
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
}
