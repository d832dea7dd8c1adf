//! `oauth-console store copy` with the real binary: a deployment moved from its SQLite
//! file to PostgreSQL and back keeps working — the same client secrets, refresh tokens,
//! admin keys and access tokens — and a non-empty target is refused unless asked.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pg_support;
mod replica_support;
mod serve_support;
mod support;

use oauth_console::server::{ServerConfig, start};
use pg_support::TestDatabase;
use replica_support::{Replica, error_of};
use reqwest::StatusCode;
use serde_json::Value;
use serve_support::BIN;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use support::{TestServer, api_app, web_app};

fn store_copy(from: &str, to: &str, extra: &[&str]) -> Output {
    Command::new(BIN)
        .args(["--json", "store", "copy", "--from", from, "--to", to])
        .args(extra)
        .env_remove("OAUTH_CONSOLE_DATABASE_URL")
        .env("OAUTH_CONSOLE_CONFIG", "/nonexistent/config.toml")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn copied(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout).unwrap()["copied"].clone()
}

/// What a deployment hands out and must keep honouring after a move.
struct Credentials {
    admin_key: String,
    api_client: (String, String),
    web_client: (String, String),
    access_token: String,
    refresh_token: String,
}

/// A SQLite deployment with apps, a user, a second admin key and tokens in it.
async fn sqlite_deployment() -> (TestServer, Credentials) {
    let t = TestServer::start_with_user().await;
    let api = t.create_app(api_app()).await;
    let api_client = (api.app.client_id.clone(), api.client_secret.unwrap());
    let web = t.create_app(web_app()).await;
    let web_client = (web.app.client_id.clone(), web.client_secret.unwrap());
    let authorize = t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", &web_client.0),
        ("redirect_uri", support::WEB_REDIRECT),
        ("scope", "monitoring offline_access"),
        ("state", "s"),
    ]);
    let code = t.approve_code(&authorize).await;
    let (status, _, body) = t
        .token(
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", support::WEB_REDIRECT),
            ],
            Some((&web_client.0, &web_client.1)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let ops = t.admin.create_admin_key("ops", false).await.unwrap();
    let credentials = Credentials {
        admin_key: ops.key,
        api_client,
        web_client,
        access_token: body["access_token"].as_str().unwrap().to_string(),
        refresh_token: body["refresh_token"].as_str().unwrap().to_string(),
    };
    (t, credentials)
}

/// Everything the old deployment handed out works on `base`: the secrets, the admin
/// key, `access_token` and `refresh_token`, which is rotated; returns the new pair.
async fn still_works(
    base: &url::Url,
    c: &Credentials,
    access_token: &str,
    refresh_token: &str,
) -> (String, String) {
    let http = reqwest::Client::new();
    let post = |path: &str, form: Vec<(&str, &str)>, (id, secret): (&str, &str)| {
        http.post(base.join(path).unwrap())
            .basic_auth(id, Some(secret))
            .form(&form)
            .send()
    };
    let api = (c.api_client.0.as_str(), c.api_client.1.as_str());
    let web = (c.web_client.0.as_str(), c.web_client.1.as_str());
    let issued = post(
        "oauth/token",
        vec![("grant_type", "client_credentials")],
        api,
    )
    .await
    .unwrap();
    assert_eq!(
        issued.status(),
        StatusCode::OK,
        "the API secret no longer works"
    );
    let introspected: Value = http
        .post(base.join("oauth/introspect").unwrap())
        .bearer_auth(&c.admin_key)
        .form(&[("token", access_token)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(introspected["active"], true, "{introspected}");
    let refreshed = post(
        "oauth/token",
        vec![
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ],
        web,
    )
    .await
    .unwrap();
    assert_eq!(refreshed.status(), StatusCode::OK);
    let refreshed: Value = refreshed.json().await.unwrap();
    let token = |kind: &str| refreshed[kind].as_str().unwrap().to_string();
    (token("access_token"), token("refresh_token"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deployment_moved_to_postgresql_and_back_keeps_its_secrets_tokens_and_keys() {
    let Some(database) = TestDatabase::create("store_copy::there_and_back").await else {
        return;
    };
    let (t, credentials) = sqlite_deployment().await;
    let web_id = credentials.web_client.0.clone();
    let source_usage = t.admin.get_app(&web_id).await.unwrap().usage;
    assert_eq!(source_usage.issued_24h, 1, "{source_usage:?}");
    let sqlite_file = support::data_dir(&t.dir).join("oauth-console.db");
    let TestServer { server, dir, .. } = t;
    server.shutdown().await;

    // SQLite → PostgreSQL.
    let from = format!("sqlite:{}", sqlite_file.display());
    let report = copied(&store_copy(&from, &database.url, &[]));
    assert_eq!(report["apps"], 2, "{report}");
    assert_eq!(report["users"], 1, "{report}");
    assert_eq!(report["admin_keys"], 2, "{report}");
    assert_eq!(report["tokens"], 2, "{report}");
    assert_eq!(report["codes"], 1, "{report}");
    assert!(report["audit"].as_u64().unwrap() >= 3, "{report}");
    assert_eq!(report["usage_hours"], 1, "{report}");

    let replica = Replica::start(&database).await;
    // The counters came as they were: not counted again as the tokens were copied.
    let moved = replica.admin(&credentials.admin_key).get_app(&web_id).await;
    assert_eq!(moved.unwrap().usage, source_usage);
    let (access, refresh) = still_works(
        &replica.base,
        &credentials,
        &credentials.access_token,
        &credentials.refresh_token,
    )
    .await;

    // A second copy onto the same database is refused: it is not empty now.
    let refused = store_copy(&from, &database.url, &[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("not empty"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    // Unless asked: what is there already is skipped, and counted.
    let again = copied(&store_copy(&from, &database.url, &["--into-non-empty"]));
    assert_eq!(again["apps"], 0, "{again}");
    assert!(again["skipped"].as_u64().unwrap() >= 7, "{again}");

    // PostgreSQL → a new SQLite file, served by an in-process server.
    let back_dir = tempfile::TempDir::new().unwrap();
    let back_file = back_dir.path().join("oauth-console.db");
    let report = copied(&store_copy(
        &database.url,
        &format!("sqlite:{}", back_file.display()),
        &[],
    ));
    assert_eq!(report["apps"], 2, "{report}");
    assert!(report["tokens"].as_u64().unwrap() >= 5, "{report}");
    assert!(report["usage_hours"].as_u64().unwrap() >= 2, "{report}");
    let back = start(ServerConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: back_dir.path().to_path_buf(),
        issuer: None,
        database: None,
        limits: Default::default(),
    })
    .await
    .unwrap();
    // The admin key file was not copied: the keys in the database were.
    assert!(!back.admin_key_file().exists());
    let back_admin =
        oauth_console::api::AdminClient::new(back.base_url(), credentials.admin_key.clone())
            .unwrap();
    // The code exchange on SQLite and the refresh on PostgreSQL, once each.
    let back_usage = back_admin.get_app(&web_id).await.unwrap().usage;
    assert_eq!(back_usage.issued_24h, 2, "{back_usage:?}");
    still_works(&back.base_url(), &credentials, &access, &refresh).await;
    back.shutdown().await;

    // The refresh token spent on PostgreSQL stays spent there: its reuse is caught.
    let (status, body) = replica
        .post_form(
            "oauth/token",
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &credentials.refresh_token),
            ],
            Some((&credentials.web_client.0, &credentials.web_client.1)),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(error_of(&body), "invalid_grant");
    drop(replica);
    drop(dir);
}

#[test]
fn a_missing_source_or_an_unknown_url_is_a_usage_error() {
    let dir = tempfile::TempDir::new().unwrap();
    let missing = format!("sqlite:{}", dir.path().join("none.db").display());
    let target = format!("sqlite:{}", dir.path().join("target.db").display());
    let out = store_copy(&missing, &target, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
    assert!(!Path::new(&dir.path().join("target.db")).exists());
    let out = store_copy("mysql://x", &target, &[]);
    assert_eq!(out.status.code(), Some(2));
}
