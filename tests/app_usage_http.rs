//! App usage over the wire: tokens issued through the real OAuth endpoints of a real
//! server, then `GET /admin/v1/apps` and `GET /admin/v1/apps/{id}` and the real CLI's
//! `apps list` / `apps show` report what was issued, what is still active and when the
//! app was last used. (After kill -9: `sqlite_durability.rs`, `replicas.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pg_support;
mod serve_support;
mod support;

use oauth_console::domain::USAGE_HOURS;
use reqwest::StatusCode;
use serde_json::Value;
use serve_support::{API_SERVICES_APP, Served, json, ok, post_form};
use support::{PASSWORD, TestServer, USERNAME, WEB_REDIRECT, api_app, web_app};
use tempfile::TempDir;

const START: i64 = 1_800_000_000 + 1_234;

async fn admin_get(t: &TestServer, path: &str) -> Value {
    let response = t
        .http
        .get(t.url(path))
        .bearer_auth(&t.admin_key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn listed<'a>(list: &'a Value, client_id: &str) -> &'a Value {
    list["apps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["client_id"] == client_id)
        .unwrap_or_else(|| panic!("{client_id} not listed: {list}"))
}

#[tokio::test]
async fn the_admin_api_reports_issued_active_and_last_used_per_app() {
    let (t, clock) = TestServer::start_with_clock(START).await;
    t.admin.create_user(USERNAME, PASSWORD).await.unwrap();
    let api = t.create_app(api_app()).await;
    let (api_id, api_secret) = (api.app.client_id.clone(), api.client_secret.unwrap());
    let web = t.create_app(web_app()).await;
    let (web_id, web_secret) = (web.app.client_id.clone(), web.client_secret.unwrap());
    let idle = t.create_app(api_app()).await.app.client_id;

    // Three client-credentials tokens; one is revoked.
    let mut api_tokens = Vec::new();
    for _ in 0..3 {
        let (status, _, body) = t
            .token(
                &[("grant_type", "client_credentials")],
                Some((&api_id, &api_secret)),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        api_tokens.push(body["access_token"].as_str().unwrap().to_string());
    }
    let (status, _, _) = t
        .post_form(
            "oauth/revoke",
            &[("token", &api_tokens[0])],
            Some((&api_id, &api_secret)),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // A code exchange with a refresh token, then one rotation, ten minutes later.
    let code = t
        .approve_code(&t.authorize_url(&[
            ("response_type", "code"),
            ("client_id", &web_id),
            ("redirect_uri", WEB_REDIRECT),
            ("scope", "monitoring offline_access"),
        ]))
        .await;
    let (status, _, body) = t
        .token(
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", WEB_REDIRECT),
            ],
            Some((&web_id, &web_secret)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    clock.advance(600);
    let refresh = body["refresh_token"].as_str().unwrap().to_string();
    let (status, _, body) = t
        .token(
            &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
            Some((&web_id, &web_secret)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let list = admin_get(&t, "admin/v1/apps").await;
    let api_row = listed(&list, &api_id);
    assert_eq!(api_row["issued_24h"], 3, "{api_row}");
    assert_eq!(api_row["active_tokens"], 2, "{api_row}");
    assert_eq!(api_row["last_issued_at"], START, "{api_row}");
    let web_row = listed(&list, &web_id);
    assert_eq!(web_row["issued_24h"], 2, "{web_row}");
    // Both access tokens and the new refresh token; the rotated one is revoked.
    assert_eq!(web_row["active_tokens"], 3, "{web_row}");
    assert_eq!(web_row["last_issued_at"], START + 600, "{web_row}");
    let idle_row = listed(&list, &idle);
    assert_eq!(idle_row["issued_24h"], 0, "{idle_row}");
    assert_eq!(idle_row["active_tokens"], 0, "{idle_row}");
    assert!(idle_row["last_issued_at"].is_null(), "{idle_row}");

    let details = admin_get(&t, &format!("admin/v1/apps/{web_id}")).await;
    assert_eq!(details["issued_24h"], 2, "{details}");
    assert_eq!(details["active_tokens"], 3, "{details}");
    let hourly = details["hourly_issued"].as_array().unwrap();
    assert_eq!(hourly.len(), USAGE_HOURS);
    assert_eq!(hourly[USAGE_HOURS - 1], 2, "{details}");

    // The typed client reads the same figures.
    let typed = t.admin.list_apps_with_usage().await.unwrap();
    let api_typed = typed.iter().find(|a| a.app.client_id == api_id).unwrap();
    assert_eq!(
        (api_typed.usage.issued_24h, api_typed.active_tokens),
        (3, 2)
    );

    // A day later: nothing in the window and the access tokens expired; "last used"
    // still says when.
    clock.advance(24 * 3600);
    let list = admin_get(&t, "admin/v1/apps").await;
    let api_row = listed(&list, &api_id);
    assert_eq!(api_row["issued_24h"], 0, "{api_row}");
    assert_eq!(api_row["active_tokens"], 0, "{api_row}");
    assert_eq!(api_row["last_issued_at"], START, "{api_row}");
    let details = admin_get(&t, &format!("admin/v1/apps/{api_id}")).await;
    assert_eq!(
        details["hourly_issued"],
        serde_json::json!(vec![0; USAGE_HOURS])
    );
}

/// What the real CLI shows for `client_id` after three client-credentials tokens, one
/// revoked, on the server `served`.
fn cli_reports_usage(served: &Served) {
    let created = json(&served.cli(API_SERVICES_APP));
    let id = created["client_id"].as_str().unwrap().to_string();
    let secret = created["client_secret"].as_str().unwrap().to_string();
    let token_url = served.url("oauth/token").to_string();
    let mut tokens = Vec::new();
    for _ in 0..3 {
        let (status, body) = post_form(
            &token_url,
            (&id, &secret),
            &[("grant_type", "client_credentials")],
        );
        assert_eq!(status, 200, "{body}");
        tokens.push(body["access_token"].as_str().unwrap().to_string());
    }
    let (status, _) = post_form(
        served.url("oauth/revoke").as_str(),
        (&id, &secret),
        &[("token", &tokens[1])],
    );
    assert_eq!(status, 200);

    let list = json(&served.cli(&["apps", "list", "--json"]));
    let row = listed(&list, &id);
    assert_eq!(row["issued_24h"], 3, "{row}");
    assert_eq!(row["active_tokens"], 2, "{row}");
    let last = row["last_issued_at"].as_i64().unwrap();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    assert!((now - 120..=now).contains(&last), "{last} vs {now}");

    let shown = json(&served.cli(&["apps", "show", &id, "--json"]));
    assert_eq!(shown["issued_24h"], 3, "{shown}");
    assert_eq!(shown["active_tokens"], 2, "{shown}");
    assert_eq!(shown["last_issued_at"], last, "{shown}");
    let hourly = shown["hourly_issued"].as_array().unwrap();
    assert_eq!(hourly.len(), USAGE_HOURS);
    assert_eq!(hourly.iter().map(|h| h.as_u64().unwrap()).sum::<u64>(), 3);

    // On a pipe: one tab-separated row per app, the usage columns last.
    let text = ok(&served.cli(&["apps", "list"]));
    let line = text.lines().find(|l| l.contains(&id)).unwrap();
    let cells: Vec<&str> = line.split('\t').collect();
    let n = cells.len();
    assert!(cells[n - 3].ends_with(" UTC"), "{line}");
    assert_eq!(&cells[n - 2..], ["3", "2"], "{line}");
    let text = ok(&served.cli(&["apps", "show", &id]));
    assert!(text.contains("Issued (24 h)"), "{text}");
    assert!(text.contains("Last used"), "{text}");
}

#[test]
fn the_cli_lists_and_shows_usage_on_sqlite() {
    let data = TempDir::new().unwrap();
    let served = Served::start(data.path(), &[]);
    cli_reports_usage(&served);
    // An app never used says so.
    json(&served.cli(&[
        "apps",
        "create",
        "--json",
        "--name",
        "Dormant",
        "--platform",
        "api-services",
        "--scope",
        "monitoring",
    ]));
    let text = ok(&served.cli(&["apps", "list"]));
    let line = text.lines().find(|l| l.starts_with("Dormant")).unwrap();
    assert!(line.ends_with("never\t0\t0"), "{line:?}");
}

#[test]
fn the_cli_lists_and_shows_usage_on_postgres() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let Some(database) = runtime.block_on(pg_support::TestDatabase::create(
        "app_usage_http::cli_postgres",
    )) else {
        return;
    };
    let data = TempDir::new().unwrap();
    let served = Served::start_on_database(&data.path().join("data"), &database.url);
    cli_reports_usage(&served);
    drop(served);
    drop(database);
}
