//! Whether the server is ready to serve (`GET /readyz`), in the words the console's
//! header shows.

use super::AdminClient;
use serde::Deserialize;

/// What the last readiness check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerHealth {
    Ready,
    /// The server answered but is not ready; the reason it gave (e.g. `database
    /// unreachable`).
    NotReady(String),
    /// No answer at all.
    Unreachable,
}

#[derive(Deserialize)]
struct ReadinessBody {
    #[serde(default)]
    reason: Option<String>,
}

impl AdminClient {
    /// Asks `/readyz`. Any 2xx is ready; a 503 carries the server's reason.
    pub async fn readiness(&self) -> ServerHealth {
        let Ok(url) = self.base_url().join("readyz") else {
            return ServerHealth::Unreachable;
        };
        let response = match self.http().get(url).send().await {
            Ok(response) => response,
            Err(_) => return ServerHealth::Unreachable,
        };
        if response.status().is_success() {
            return ServerHealth::Ready;
        }
        let status = response.status();
        let reason = response
            .json::<ReadinessBody>()
            .await
            .ok()
            .and_then(|body| body.reason)
            .unwrap_or_else(|| format!("HTTP {}", status.as_u16()));
        ServerHealth::NotReady(reason)
    }
}
