//! A real server in a temporary directory, an admin client, a user who can sign in,
//! and the worker, for the flow tests.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::browser::Browser;
use oauth_console::api::AdminClient;
use oauth_console::api::flows::{FlowError, IssuedTokens, SecretString};
use oauth_console::domain::{AppDraft, ClientApp, GrantType, Platform, Scope};
use oauth_console::server::{RunningServer, ServerConfig};
use oauth_console::worker::{RedirectCapture, RequestId, WorkerHandle, WorkerReply, WorkerRequest};
use std::time::Duration;
use tempfile::TempDir;
use tokio::sync::mpsc::UnboundedReceiver;

pub const USER: &str = "alice";
pub const PASSWORD: &str = "correct horse battery staple";

pub struct Harness {
    _dir: TempDir,
    server: RunningServer,
    admin: AdminClient,
    /// `None` once the console has "quit".
    pub worker: Option<WorkerHandle>,
    replies: UnboundedReceiver<(RequestId, WorkerReply)>,
    next_id: RequestId,
}

impl Harness {
    pub async fn start() -> Harness {
        let dir = TempDir::new().unwrap();
        let server = oauth_console::server::start(ServerConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            data_dir: dir.path().to_path_buf(),
            issuer: None,
            database: None,
            limits: Default::default(),
        })
        .await
        .unwrap();
        let key = oauth_console::server::read_admin_key(server.admin_key_file()).unwrap();
        let admin = AdminClient::new(server.base_url(), key).unwrap();
        admin.create_user(USER, PASSWORD).await.unwrap();
        let (worker, replies) = oauth_console::worker::spawn(admin.clone());
        Harness {
            _dir: dir,
            server,
            admin,
            worker: Some(worker),
            replies,
            next_id: 1,
        }
    }

    pub async fn create_app(
        &self,
        platform: Platform,
        redirect_urls: &[&str],
        grants: &[GrantType],
        scopes: &[Scope],
    ) -> (ClientApp, Option<SecretString>) {
        let created = self
            .admin
            .create_app(&AppDraft {
                name: format!("{} test app", platform.label()),
                platform,
                redirect_urls: redirect_urls.iter().map(|s| s.to_string()).collect(),
                scopes: scopes.to_vec(),
                grant_types: grants.to_vec(),
                access_token_ttl: None,
                refresh_token_ttl: None,
            })
            .await
            .unwrap();
        (created.app, created.client_secret.map(SecretString::new))
    }

    pub fn send(&mut self, request: WorkerRequest) -> RequestId {
        let id = self.next_id;
        self.next_id += 1;
        assert!(self.worker.as_ref().unwrap().send(id, request));
        id
    }

    pub async fn next(&mut self) -> WorkerReply {
        let (_, reply) = tokio::time::timeout(Duration::from_secs(20), self.replies.recv())
            .await
            .expect("the worker answered in time")
            .expect("the worker is running");
        reply
    }

    pub async fn finished(&mut self, flow: RequestId) -> Result<IssuedTokens, FlowError> {
        match self.next().await {
            WorkerReply::FlowFinished { flow_id, result } if flow_id == flow => result,
            other => panic!("expected FlowFinished for {flow}, got {other:?}"),
        }
    }

    /// Starts an authorization code flow; returns its id, the URL and the capture.
    pub async fn start_code_flow(
        &mut self,
        app: &ClientApp,
        secret: Option<SecretString>,
        scopes: &[Scope],
    ) -> (RequestId, String, RedirectCapture) {
        let flow = self.send(WorkerRequest::StartAuthorizationCode {
            app: app.clone(),
            secret,
            scopes: scopes.to_vec(),
        });
        match self.next().await {
            WorkerReply::AuthorizationUrl {
                flow_id,
                url,
                capture,
                legacy,
                ..
            } => {
                assert_eq!(flow_id, flow);
                assert!(!legacy);
                (flow, url, capture)
            }
            other => panic!("expected AuthorizationUrl, got {other:?}"),
        }
    }

    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }
}

pub fn native_grants() -> Vec<GrantType> {
    vec![GrantType::AuthorizationCode, GrantType::RefreshToken]
}

pub fn monitoring_and_refresh() -> Vec<Scope> {
    vec![Scope::Monitoring, Scope::OfflineAccess]
}

impl Harness {
    /// A full sign-in of a Native app, returning the access token.
    pub async fn issue_fresh_native_token(&mut self, app: &ClientApp) -> String {
        let (flow, url, _) = self.start_code_flow(app, None, &[Scope::Monitoring]).await;
        let browser = Browser::new();
        let location = browser.consent(&url, USER, PASSWORD, "approve").await;
        browser.get(&location).await;
        let tokens = self.finished(flow).await.unwrap();
        tokens.access_token.expose().to_string()
    }
}
