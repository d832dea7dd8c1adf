//! Real `oauth-console serve` processes (`serve_support::Served`) on one PostgreSQL
//! database, each with its own data dir as if on its own machine, and the HTTP calls
//! the replica tests make to them.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use crate::pg_support::TestDatabase;
use crate::serve_support::Served;
use oauth_console::api::AdminClient;
use reqwest::StatusCode;
use serde_json::Value;
use tempfile::TempDir;
use url::Url;

/// One `serve` process. Killed (SIGKILL) when dropped, if it is still running.
pub struct Replica {
    // Declared before `dir`: the process ends before its data dir is removed.
    served: Served,
    pub base: Url,
    pub dir: TempDir,
    pub http: reqwest::Client,
}

impl Replica {
    /// Starts `serve` on the database at 127.0.0.1:0 and waits for its banner.
    pub async fn start(database: &TestDatabase) -> Replica {
        let dir = TempDir::new().unwrap();
        let data = dir.path().join("data");
        let url = database.url.clone();
        // Reading the banner blocks: off the runtime's threads.
        let served = tokio::task::spawn_blocking(move || Served::start_on_database(&data, &url))
            .await
            .unwrap();
        Replica {
            base: served.base(),
            served,
            dir,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        }
    }

    /// The admin key the first replica on an empty database wrote to its data dir.
    pub fn admin_key(&self) -> String {
        oauth_console::server::read_admin_key(&self.dir.path().join("data").join("admin.key"))
            .expect("this replica made the first admin key")
    }

    pub fn admin(&self, key: &str) -> AdminClient {
        AdminClient::new(self.base.clone(), key.to_string()).unwrap()
    }

    pub fn url(&self, path: &str) -> Url {
        self.base.join(path).unwrap()
    }

    /// SIGKILL: no shutdown, no flush, as when a machine dies.
    pub async fn kill_9(&mut self) {
        self.served.kill_9();
    }

    /// POSTs a form; returns the status and the JSON body (Null when empty).
    pub async fn post_form(
        &self,
        path: &str,
        form: &[(&str, &str)],
        basic: Option<(&str, &str)>,
    ) -> (StatusCode, Value) {
        let mut request = self.http.post(self.url(path)).form(form);
        if let Some((id, secret)) = basic {
            request = request.basic_auth(id, Some(secret));
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, json)
    }

    /// A client_credentials token, or the error body.
    pub async fn client_credentials(
        &self,
        client_id: &str,
        secret: &str,
        scope: &str,
    ) -> (StatusCode, Value) {
        self.post_form(
            "oauth/token",
            &[("grant_type", "client_credentials"), ("scope", scope)],
            Some((client_id, secret)),
        )
        .await
    }

    /// Introspects with an admin key, which may look at any token.
    pub async fn is_active(&self, admin_key: &str, token: &str) -> bool {
        let response = self
            .http
            .post(self.url("oauth/introspect"))
            .bearer_auth(admin_key)
            .form(&[("token", token)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        body["active"] == Value::Bool(true)
    }
}

/// A fresh database and `count` replicas on it (the first makes the admin key);
/// `None` when the PostgreSQL tests are skipped.
impl Replica {
    /// Posts a page's form as a browser would: every hidden field of `page`, then
    /// `fields`, with the form cookie `cookie`; no redirect followed.
    pub async fn submit_page(
        &self,
        path: &str,
        cookie: Option<&str>,
        page: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, Option<String>, String) {
        let mut form = crate::support::hidden_fields(page);
        form.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let mut request = self.http.post(self.url(path)).form(&form);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        (status, location, response.text().await.unwrap())
    }
}

pub async fn replicas(test: &str, count: usize) -> Option<(TestDatabase, Vec<Replica>, String)> {
    let database = TestDatabase::create(test).await?;
    let mut started = vec![Replica::start(&database).await];
    let key = started[0].admin_key();
    for _ in 1..count {
        started.push(Replica::start(&database).await);
    }
    Some((database, started, key))
}

/// The `error` member of an OAuth error answer.
pub fn error_of(body: &Value) -> &str {
    body["error"].as_str().unwrap_or_default()
}
