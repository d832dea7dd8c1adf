//! Helpers shared by the integration tests: a real server on 127.0.0.1:0 over a
//! TempDir, apps and users created through the real admin API, and the consent form
//! posted as a browser would.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod tools;

use oauth_console::api::AdminClient;
use oauth_console::domain::wire::CreatedApp;
use oauth_console::domain::{AppDraft, GrantType, Platform, Scope};
use oauth_console::server::{
    RunningServer, ServerConfig, ServerLimits, read_admin_key, start, start_with_service,
};
use oauth_console::service::crypto::{pkce_s256, random_token};
use oauth_console::service::{Clock, Service, ServiceConfig};
use oauth_console::store::sqlite::SqliteStore;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use tempfile::TempDir;
use url::Url;

pub const USERNAME: &str = "alice";
pub const PASSWORD: &str = "correct horse battery";

/// A running server, its data dir, an HTTP client that does not follow redirects,
/// and an admin client holding the first admin key.
pub struct TestServer {
    pub server: RunningServer,
    pub dir: TempDir,
    pub admin_key: String,
    pub admin: AdminClient,
    pub http: reqwest::Client,
}

pub fn data_dir(dir: &TempDir) -> std::path::PathBuf {
    dir.path().join("data")
}

/// A clock the test moves, for lifetimes, expiries and grace periods.
pub struct TestClock(AtomicI64);

impl Clock for TestClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

impl TestClock {
    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

/// A server stopped by `TestServer::stop`: its data dir and its address.
pub struct Stopped {
    pub dir: TempDir,
    pub listen: std::net::SocketAddr,
}

impl Stopped {
    /// Starts a server again on the same address and data dir, with `clock`.
    pub async fn resume(self, config: ServiceConfig, clock: Arc<TestClock>) -> TestServer {
        let server = serve_with_clock(&self.dir, self.listen, config, clock).await;
        around(server, self.dir)
    }
}

async fn serve_with_clock(
    dir: &TempDir,
    listen: std::net::SocketAddr,
    config: ServiceConfig,
    clock: Arc<TestClock>,
) -> RunningServer {
    let data = data_dir(dir);
    std::fs::create_dir_all(&data).unwrap();
    let store = SqliteStore::open(&data.join("oauth-console.db")).unwrap();
    let service = Service::new(Arc::new(store), config, clock);
    let config = ServerConfig {
        listen,
        data_dir: data,
        issuer: None,
        database: None,
        limits: Default::default(),
    };
    start_with_service(config, service).await.unwrap()
}

async fn start_in(dir: TempDir) -> TestServer {
    start_in_with(dir, ServerLimits::default()).await
}

async fn start_in_with(dir: TempDir, limits: ServerLimits) -> TestServer {
    let server = start(ServerConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir(&dir),
        issuer: None,
        database: None,
        limits,
    })
    .await
    .expect("server starts");
    around(server, dir)
}

/// The clients a test needs around a running server.
fn around(server: RunningServer, dir: TempDir) -> TestServer {
    let admin_key = read_admin_key(server.admin_key_file()).expect("admin key file");
    let admin = AdminClient::new(server.base_url(), admin_key.clone()).unwrap();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestServer {
        server,
        dir,
        admin_key,
        admin,
        http,
    }
}

impl TestServer {
    /// A real server over a real SQLite file whose clock the test moves, from `now`.
    pub async fn start_with_clock(now: i64) -> (TestServer, Arc<TestClock>) {
        TestServer::start_with_clock_and(now, ServiceConfig::default()).await
    }

    /// As `start_with_clock`, with lifetimes and intervals of the test's choosing.
    pub async fn start_with_clock_and(
        now: i64,
        config: ServiceConfig,
    ) -> (TestServer, Arc<TestClock>) {
        let dir = TempDir::new().unwrap();
        let clock = Arc::new(TestClock(AtomicI64::new(now)));
        let listen = "127.0.0.1:0".parse().unwrap();
        let server = serve_with_clock(&dir, listen, config, clock.clone()).await;
        (around(server, dir), clock)
    }

    /// Stops the server; returns what `resume` needs to bring it back where it was.
    pub async fn stop(self) -> Stopped {
        let listen = self.server.local_addr();
        self.server.shutdown().await;
        Stopped {
            dir: self.dir,
            listen,
        }
    }

    /// A fresh server with these listener limits.
    pub async fn start_with_limits(limits: ServerLimits) -> TestServer {
        start_in_with(TempDir::new().unwrap(), limits).await
    }

    /// A real server over a real SQLite file with these lifetimes and this retention,
    /// whose clock the test moves, from `now`.
    pub async fn start_with_config(
        now: i64,
        config: ServiceConfig,
    ) -> (TestServer, Arc<TestClock>) {
        TestServer::start_with_clock_and(now, config).await
    }

    /// A fresh server announcing `issuer` exactly as written, listening on `port`.
    pub async fn start_with_issuer(port: u16, issuer: &str) -> TestServer {
        let dir = TempDir::new().unwrap();
        let server = start(ServerConfig {
            listen: std::net::SocketAddr::from(([127, 0, 0, 1], port)),
            data_dir: data_dir(&dir),
            issuer: Some(issuer.parse().unwrap()),
            database: None,
            limits: Default::default(),
        })
        .await
        .expect("server starts");
        around(server, dir)
    }

    /// The database file of this server, for counting rows and measuring its size.
    pub fn database_path(&self) -> std::path::PathBuf {
        data_dir(&self.dir).join("oauth-console.db")
    }

    /// A fresh server in a new temporary data dir.
    pub async fn start() -> TestServer {
        start_in(TempDir::new().unwrap()).await
    }

    /// A fresh server with the resource owner `alice` already created.
    pub async fn start_with_user() -> TestServer {
        let server = TestServer::start().await;
        server.admin.create_user(USERNAME, PASSWORD).await.unwrap();
        server
    }

    /// Stops the server gracefully and starts a new one on the same data dir.
    pub async fn restart(self) -> TestServer {
        let TestServer { server, dir, .. } = self;
        server.shutdown().await;
        start_in(dir).await
    }

    pub fn url(&self, path: &str) -> Url {
        self.server.base_url().join(path).unwrap()
    }

    pub async fn create_app(&self, draft: AppDraft) -> CreatedApp {
        self.admin.create_app(&draft).await.expect("app is created")
    }

    /// POSTs a form to `path`, optionally with Basic client credentials.
    pub async fn post_form(
        &self,
        path: &str,
        form: &[(&str, &str)],
        basic: Option<(&str, &str)>,
    ) -> (StatusCode, HeaderMap, Value) {
        let body = serde_urlencoded::to_string(form).unwrap();
        let mut request = self
            .http
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        if let Some((id, secret)) = basic {
            request = request.basic_auth(id, Some(secret));
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let json = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, headers, json)
    }

    pub async fn token(
        &self,
        form: &[(&str, &str)],
        basic: Option<(&str, &str)>,
    ) -> (StatusCode, HeaderMap, Value) {
        self.post_form("oauth/token", form, basic).await
    }

    /// Introspects with the admin key, which may look at any token.
    pub async fn introspect(&self, token: &str) -> Value {
        let response = self
            .http
            .post(self.url("oauth/introspect"))
            .bearer_auth(&self.admin_key)
            .form(&[("token", token)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }

    pub async fn is_active(&self, token: &str) -> bool {
        self.introspect(token).await["active"] == Value::Bool(true)
    }

    /// GETs an authorization URL; returns the status, the Location (if any) and the page.
    pub async fn get_authorize(&self, url: &Url) -> (StatusCode, Option<Url>, String) {
        let response = self.http.get(url.clone()).send().await.unwrap();
        let status = response.status();
        let location = location_of(response.headers());
        (status, location, response.text().await.unwrap())
    }

    /// Opens the consent page for `authorize_url` and submits it as a browser would.
    /// Returns the status, the Location header and the body of the answer.
    pub async fn consent(
        &self,
        authorize_url: &Url,
        username: &str,
        password: &str,
        decision: &str,
    ) -> (StatusCode, Option<Url>, String) {
        let response = self.http.get(authorize_url.clone()).send().await.unwrap();
        let status = response.status();
        let location = location_of(response.headers());
        let cookie = form_cookie(response.headers());
        let page = response.text().await.unwrap();
        assert_eq!(
            status,
            StatusCode::OK,
            "consent page expected, got {location:?}: {page}"
        );
        self.submit_page(
            authorize_url,
            cookie.as_deref(),
            &page,
            &[
                ("username", username),
                ("password", password),
                ("decision", decision),
            ],
        )
        .await
    }

    /// Submits the form of `page` to `url` as a browser would: its hidden fields, the
    /// form cookie, and `fields`. Returns the status, the Location and the body.
    pub async fn submit_page(
        &self,
        url: &Url,
        cookie: Option<&str>,
        page: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, Option<Url>, String) {
        let mut form: Vec<(String, String)> = hidden_fields(page);
        form.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let mut request = self.http.post(url.clone()).form(&form);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let location = location_of(response.headers());
        (status, location, response.text().await.unwrap())
    }

    /// Walks the device pages as a person would: opens `page_url`, enters `user_code`
    /// (Continue), signs in as alice with `password` (Continue), and answers
    /// `decision` on the confirmation page. Stops at the first step that does not
    /// lead on, and returns its status and page.
    pub async fn answer_device(
        &self,
        page_url: &str,
        user_code: &str,
        password: &str,
        decision: &str,
    ) -> (StatusCode, String) {
        let response = self.http.get(page_url).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let cookie = form_cookie(response.headers());
        let cookie = cookie.as_deref();
        let page = response.text().await.unwrap();
        let device = self.url("device");
        let (status, _, page) = self
            .submit_page(
                &device,
                cookie,
                &page,
                &[("user_code", user_code), ("decision", "continue")],
            )
            .await;
        if !page.contains("name=\"password\"") {
            return (status, page);
        }
        let (status, _, page) = self
            .submit_page(
                &device,
                cookie,
                &page,
                &[
                    ("username", USERNAME),
                    ("password", password),
                    ("decision", "continue"),
                ],
            )
            .await;
        if !page.contains("value=\"approve\"") {
            return (status, page);
        }
        let (status, _, page) = self
            .submit_page(&device, cookie, &page, &[("decision", decision)])
            .await;
        (status, page)
    }

    /// The whole browser part of the code flow, approved by alice: returns the code.
    pub async fn approve_code(&self, authorize_url: &Url) -> String {
        let (_, location, page) = self
            .consent(authorize_url, USERNAME, PASSWORD, "approve")
            .await;
        let location = location.unwrap_or_else(|| panic!("no redirect after approval: {page}"));
        query_param(&location, "code").expect("the redirect carries a code")
    }

    /// Alice authorises the web app `client` (redirecting to `WEB_REDIRECT`) for
    /// Monitoring with a refresh token, and the code is exchanged: the token response.
    pub async fn code_grant_with_refresh(&self, client: (&str, &str)) -> (StatusCode, Value) {
        let code = self
            .approve_code(&self.authorize_url(&[
                ("response_type", "code"),
                ("client_id", client.0),
                ("redirect_uri", WEB_REDIRECT),
                ("scope", "monitoring offline_access"),
            ]))
            .await;
        let exchange = [
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", WEB_REDIRECT),
        ];
        let (status, _, body) = self.token(&exchange, Some(client)).await;
        (status, body)
    }

    pub fn authorize_url(&self, params: &[(&str, &str)]) -> Url {
        let mut url = self.url("oauth/authorize");
        url.query_pairs_mut().extend_pairs(params);
        url
    }
}

pub fn location_of(headers: &HeaderMap) -> Option<Url> {
    headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| Url::parse(v).ok())
}

pub fn query_param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

pub fn fragment_param(url: &Url, name: &str) -> Option<String> {
    url::form_urlencoded::parse(url.fragment().unwrap_or_default().as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The `name=value` of the form cookie a page set, to send back as a browser would.
pub fn form_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|pair| pair.contains("oc_form="))
        .map(str::to_string)
}

/// Every hidden input of a page, as (name, value).
pub fn hidden_fields(html: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<input type=\"hidden\"") {
        let tag_end = rest[start..].find('>').map_or(rest.len(), |i| start + i);
        let tag = &rest[start..tag_end];
        let attr = |name: &str| {
            let marker = format!(" {name}=\"");
            let from = tag.find(&marker)? + marker.len();
            let to = tag[from..].find('"')? + from;
            Some(tag[from..to].replace("&quot;", "\"").replace("&amp;", "&"))
        };
        if let (Some(name), Some(value)) = (attr("name"), attr("value")) {
            fields.push((name, value));
        }
        rest = &rest[tag_end..];
    }
    fields
}

/// The value of the hidden `csrf` input on a consent page.
pub fn scrape_csrf(html: &str) -> Option<String> {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}

/// A PKCE verifier and its S256 challenge.
pub fn pkce_pair() -> (String, String) {
    let verifier = random_token("", 32).unwrap();
    let challenge = pkce_s256(&verifier);
    (verifier, challenge)
}

pub fn draft(
    platform: Platform,
    redirect_urls: &[&str],
    scopes: &[Scope],
    grants: &[GrantType],
) -> AppDraft {
    AppDraft {
        name: format!("Test {}", platform.label()),
        platform,
        redirect_urls: redirect_urls.iter().map(|s| s.to_string()).collect(),
        scopes: scopes.to_vec(),
        grant_types: grants.to_vec(),
        access_token_ttl: None,
        refresh_token_ttl: None,
    }
}

pub const WEB_REDIRECT: &str = "https://app.example.com/callback";
pub const SPA_REDIRECT: &str = "https://spa.example.com/cb";

/// A Web app with code + refresh, every scope.
pub fn web_app() -> AppDraft {
    draft(
        Platform::Web,
        &[WEB_REDIRECT],
        &[Scope::Monitoring, Scope::Management, Scope::OfflineAccess],
        &[GrantType::AuthorizationCode, GrantType::RefreshToken],
    )
}

/// A Native app with code + refresh.
pub fn native_app() -> AppDraft {
    draft(
        Platform::Native,
        &[],
        &[Scope::Monitoring, Scope::OfflineAccess],
        &[GrantType::AuthorizationCode, GrantType::RefreshToken],
    )
}

/// A Single-page app, optionally with the legacy implicit grant.
pub fn spa_app(implicit: bool) -> AppDraft {
    let mut grants = vec![GrantType::AuthorizationCode];
    if implicit {
        grants.push(GrantType::Implicit);
    }
    draft(
        Platform::SinglePage,
        &[SPA_REDIRECT],
        &[Scope::Monitoring],
        &grants,
    )
}

/// An API services app (client credentials).
pub fn api_app() -> AppDraft {
    draft(
        Platform::ApiServices,
        &[],
        &[Scope::Monitoring, Scope::Control],
        &[GrantType::ClientCredentials],
    )
}
