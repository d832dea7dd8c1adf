//! Conformance fixes, each over real HTTP (or the real store): the issuer exactly as
//! given and metadata where RFC 8414 §3.1 puts it; Native redirects per RFC 8252;
//! the stored username as subject; introspection only for authenticated callers; an
//! admin change and its audit record in one transaction, refused calls recorded but
//! rate-limited; the admin key never sent over plain http to another machine.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use oauth_console::api::flows::ServerMetadata;
use oauth_console::api::{AdminClient, ApiError};
use oauth_console::domain::AuditRecord;
use oauth_console::domain::wire::AuditFilter;
use oauth_console::service::REFUSED_ACTION;
use reqwest::StatusCode;
use serde_json::Value;
use support::*;
use url::Url;

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

async fn get_json(t: &TestServer, url: &str) -> (StatusCode, Value) {
    let response = t.http.get(url).send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_issuer_in_metadata_and_in_iss_is_exactly_the_one_given() {
    let port = free_port();
    let issuer = format!("http://127.0.0.1:{port}");
    let t = TestServer::start_with_issuer(port, &issuer).await;
    let (status, meta) = get_json(
        &t,
        &format!("{issuer}/.well-known/oauth-authorization-server"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(meta["issuer"], issuer.as_str(), "no slash may be added");
    assert_eq!(meta["token_endpoint"], format!("{issuer}/oauth/token"));

    t.admin.create_user(USERNAME, PASSWORD).await.unwrap();
    let app = t.create_app(web_app()).await;
    let url = t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", &app.app.client_id),
        ("redirect_uri", WEB_REDIRECT),
        ("scope", "monitoring"),
    ]);
    let (_, location, _) = t.consent(&url, USERNAME, PASSWORD, "approve").await;
    assert_eq!(
        query_param(&location.unwrap(), "iss").as_deref(),
        Some(issuer.as_str())
    );
}

#[tokio::test]
async fn an_issuer_with_a_path_has_its_metadata_where_rfc_8414_puts_it() {
    let port = free_port();
    let issuer = format!("http://127.0.0.1:{port}/tenant1");
    let t = TestServer::start_with_issuer(port, &issuer).await;
    let (status, meta) = get_json(
        &t,
        &format!("http://127.0.0.1:{port}/.well-known/oauth-authorization-server/tenant1"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{meta}");
    assert_eq!(meta["issuer"], issuer.as_str());

    // The console's discovery finds it, and the endpoints it names answer.
    let metadata = ServerMetadata::discover(&t.http, &Url::parse(&issuer).unwrap())
        .await
        .unwrap();
    let token_endpoint = metadata.token_endpoint().unwrap().clone();
    assert_eq!(token_endpoint.as_str(), format!("{issuer}/oauth/token"));
    let app = t.create_app(api_app()).await;
    let response = t
        .http
        .post(token_endpoint)
        .basic_auth(&app.app.client_id, app.client_secret.as_deref())
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn native_redirects_are_the_two_loopback_literals_without_userinfo() {
    let t = TestServer::start().await;
    let app = t.create_app(native_app()).await;
    let (_, challenge) = pkce_pair();
    let ask = |redirect: &str| {
        t.authorize_url(&[
            ("response_type", "code"),
            ("client_id", &app.app.client_id),
            ("redirect_uri", redirect),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ])
    };
    for refused in [
        "http://127.0.0.2:5555/cb",
        "http://user@127.0.0.1:5555/cb",
        "http://localhost:5555/cb",
    ] {
        let (status, location, _) = t.get_authorize(&ask(refused)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
        assert!(location.is_none(), "{refused} must not be redirected to");
    }
    for allowed in ["http://127.0.0.1:5555/cb", "http://[::1]:6000/cb"] {
        let (status, _, _) = t.get_authorize(&ask(allowed)).await;
        assert_eq!(status, StatusCode::OK, "{allowed}");
    }
}

#[tokio::test]
async fn the_subject_is_the_stored_username_not_what_was_typed() {
    let t = TestServer::start_with_user().await;
    let app = t.create_app(web_app()).await;
    let url = t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", &app.app.client_id),
        ("redirect_uri", WEB_REDIRECT),
        ("scope", "monitoring"),
    ]);
    let (_, location, page) = t.consent(&url, " alice ", PASSWORD, "approve").await;
    let code = query_param(&location.unwrap_or_else(|| panic!("{page}")), "code").unwrap();
    let (status, _, body) = t
        .token(
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", WEB_REDIRECT),
            ],
            Some((&app.app.client_id, app.client_secret.as_deref().unwrap())),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let seen = t.introspect(body["access_token"].as_str().unwrap()).await;
    assert_eq!(seen["sub"], "alice");
    assert_eq!(seen["username"], "alice");
}

#[tokio::test]
async fn a_public_client_may_not_introspect_and_the_metadata_says_so() {
    let t = TestServer::start().await;
    let app = t.create_app(native_app()).await;
    let (status, headers, body) = t
        .post_form(
            "oauth/introspect",
            &[("token", "oca_whatever"), ("client_id", &app.app.client_id)],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(headers.get("www-authenticate").is_some());
    assert_eq!(body["error"], "invalid_client");

    let (_, meta) = get_json(&t, t.url(".well-known/oauth-authorization-server").as_str()).await;
    let methods = meta["introspection_endpoint_auth_methods_supported"]
        .as_array()
        .unwrap();
    assert!(!methods.contains(&Value::from("none")), "{methods:?}");
}

async fn refusals(t: &TestServer) -> Vec<AuditRecord> {
    t.admin
        .list_audit_filtered(&AuditFilter {
            action: Some(REFUSED_ACTION.into()),
            limit: Some(500),
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .records
}

#[tokio::test]
async fn refused_admin_calls_are_audited_but_cannot_flood_the_log() {
    let t = TestServer::start().await;
    let reader_key = t.server.create_admin_key("auditor", true).await.unwrap();
    let reader = AdminClient::new(t.server.base_url(), reader_key).unwrap();
    let refused = reader.create_app(&web_app()).await.unwrap_err();
    assert_eq!(refused.status(), Some(403));
    let records = refusals(&t).await;
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].actor, "auditor");
    assert_eq!(records[0].target, "/admin/v1/apps");
    assert_eq!(records[0].after.as_ref().unwrap()["status"], 403);

    let stranger = AdminClient::new(t.server.base_url(), "ocak_wrong".into()).unwrap();
    for _ in 0..40 {
        let refused = stranger.list_apps().await.unwrap_err();
        assert_eq!(refused.status(), Some(401));
    }
    let records = refusals(&t).await;
    let unauthenticated = records
        .iter()
        .filter(|r| r.actor == "unauthenticated")
        .count();
    assert!(unauthenticated >= 1, "{records:?}");
    assert!(
        records.len() <= 10,
        "40 refusals in a few seconds wrote {} records",
        records.len()
    );
}

#[test]
fn the_admin_key_never_goes_over_plain_http_to_another_machine() {
    let key = || "ocak_key".to_string();
    let remote = Url::parse("http://admin.example.com:8414/").unwrap();
    let refused = AdminClient::new(remote.clone(), key()).unwrap_err();
    assert!(
        matches!(refused, ApiError::InsecureTransport { .. }),
        "{refused:?}"
    );
    assert!(refused.to_string().contains("--insecure-http"));
    assert!(AdminClient::with_insecure_http(remote, key(), true).is_ok());
    for fine in [
        "https://admin.example.com/",
        "http://127.0.0.1:8414/",
        "http://[::1]:8414/",
        "http://localhost:8414/",
    ] {
        assert!(
            AdminClient::new(Url::parse(fine).unwrap(), key()).is_ok(),
            "{fine}"
        );
    }
}

#[test]
fn the_cli_refuses_plain_http_to_another_machine_unless_told() {
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_oauth-console"))
            .args(["apps", "list", "--server", "http://192.0.2.1:8414/"])
            .args(extra)
            .env("OAUTH_CONSOLE_ADMIN_KEY", "ocak_key")
            .env(
                "OAUTH_CONSOLE_DATA_DIR",
                std::env::temp_dir().join("oc-conformance"),
            )
            .output()
            .unwrap()
    };
    let refused = run(&[]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("--insecure-http"), "{stderr}");
    // Told: it tries (and fails to reach the documentation address), not refuses.
    let told = run(&["--insecure-http"]);
    let stderr = String::from_utf8_lossy(&told.stderr);
    assert!(!stderr.contains("refusing"), "{stderr}");
}
