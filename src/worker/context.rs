//! What every request's runner shares: the admin client, the HTTP client for OAuth
//! endpoints, the server's metadata once discovered, and the waiting flows.

use super::flow_registry::FlowRegistry;
use crate::api::AdminClient;
use crate::api::flows::{FlowError, ServerMetadata, flow_http_client};
use tokio::sync::OnceCell;

pub(super) struct Context {
    pub admin: AdminClient,
    http: Result<reqwest::Client, FlowError>,
    metadata: OnceCell<ServerMetadata>,
    pub flows: FlowRegistry,
}

impl Context {
    pub fn new(admin: AdminClient) -> Context {
        let http = flow_http_client(admin.trust());
        Context {
            admin,
            http,
            metadata: OnceCell::new(),
            flows: FlowRegistry::default(),
        }
    }

    pub fn http(&self) -> Result<&reqwest::Client, FlowError> {
        self.http.as_ref().map_err(Clone::clone)
    }

    /// The connected server's RFC 8414 metadata, fetched once; a failed fetch is
    /// tried again by the next flow.
    pub async fn metadata(&self) -> Result<&ServerMetadata, FlowError> {
        let http = self.http()?;
        self.metadata
            .get_or_try_init(|| ServerMetadata::discover(http, self.admin.base_url()))
            .await
    }
}
