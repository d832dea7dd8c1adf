//! The cleanup keeps the database from growing without bound: under a steady load of
//! token requests, authorization codes and revocations, with the clock moving a day a
//! round, the rows stay bounded by the retention period; without cleanup they pile
//! up. A revoked refresh token stays until it would have expired, so that its reuse is
//! still caught.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use oauth_console::service::ServiceConfig;
use reqwest::StatusCode;
use rusqlite::Connection;
use serde_json::json;
use support::*;

const START: i64 = 1_800_000_000;
const DAY: i64 = 24 * 3600;
const ROUNDS: usize = 12;
const TOKENS_PER_ROUND: usize = 150;

fn rows(t: &TestServer) -> i64 {
    let conn = Connection::open(t.database_path()).unwrap();
    ["tokens", "auth_codes", "audit"]
        .iter()
        .map(|table| {
            conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| {
                row.get::<_, i64>(0)
            })
            .unwrap()
        })
        .sum()
}

/// The database file's size after a checkpoint (the WAL folded in).
fn file_bytes(t: &TestServer) -> u64 {
    let path = t.database_path();
    let conn = Connection::open(&path).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
        .unwrap();
    std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0)
}

fn config() -> ServiceConfig {
    ServiceConfig {
        access_token_ttl: 3600,
        token_retention: 2 * DAY,
        audit_retention: Some(3 * DAY),
        // The test runs each pass itself, at the moments it chooses.
        cleanup_interval: None,
        ..ServiceConfig::default()
    }
}

/// One day of load: client-credentials tokens, some revoked by their client, codes
/// that are never exchanged, and an admin change (an audit record).
async fn one_round(t: &TestServer, client_id: &str, secret: &str, web_id: &str) {
    for n in 0..TOKENS_PER_ROUND {
        let (status, _, body) = t
            .token(
                &[("grant_type", "client_credentials")],
                Some((client_id, secret)),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        if n % 4 == 0 {
            let token = body["access_token"].as_str().unwrap();
            let (status, _, _) = t
                .post_form(
                    "oauth/revoke",
                    &[("token", token)],
                    Some((client_id, secret)),
                )
                .await;
            assert_eq!(status, StatusCode::OK);
        }
    }
    for _ in 0..3 {
        t.approve_code(&t.authorize_url(&[
            ("response_type", "code"),
            ("client_id", web_id),
            ("redirect_uri", WEB_REDIRECT),
            ("scope", "monitoring"),
        ]))
        .await;
    }
    t.admin
        .patch_app(web_id, &oauth_console::domain::AppPatch::default())
        .await
        .unwrap();
}

async fn run_load(cleanup: bool) -> (Vec<i64>, u64, u64) {
    let (t, clock) = TestServer::start_with_config(START, config()).await;
    t.admin.create_user(USERNAME, PASSWORD).await.unwrap();
    let api = t.create_app(api_app()).await;
    let web = t.create_app(web_app()).await;
    let secret = api.client_secret.unwrap();
    let first_bytes = file_bytes(&t);
    let mut counts = Vec::new();
    for _ in 0..ROUNDS {
        one_round(&t, &api.app.client_id, &secret, &web.app.client_id).await;
        clock.advance(DAY);
        if cleanup {
            t.server.clean_up().await.unwrap();
        }
        counts.push(rows(&t));
    }
    let last_bytes = file_bytes(&t);
    (counts, first_bytes, last_bytes)
}

#[tokio::test]
async fn under_a_steady_load_the_database_stays_bounded_with_cleanup() {
    let (with, first, last) = run_load(true).await;
    let (without, _, last_without) = run_load(false).await;
    eprintln!(
        "rows per round with cleanup {with:?} (file {first} -> {last} bytes); \
         without {without:?} (file -> {last_without} bytes)"
    );
    // Without cleanup every round adds its rows for good...
    assert!(
        without[ROUNDS - 1] > without[ROUNDS / 2] + 500,
        "{without:?}"
    );
    // ...with it, the second half of the run holds no more than its start: what is
    // deleted each day is what the day adds.
    let plateau = with[ROUNDS / 2];
    assert!(
        with[ROUNDS / 2..].iter().all(|n| *n <= plateau + 5),
        "{with:?}"
    );
    assert!(
        with[ROUNDS - 1] * 2 < without[ROUNDS - 1],
        "{with:?} vs {without:?}"
    );
}

#[tokio::test]
async fn a_revoked_refresh_token_is_kept_until_it_would_have_expired() {
    let (t, clock) = TestServer::start_with_config(START, config()).await;
    t.admin.create_user(USERNAME, PASSWORD).await.unwrap();
    let app = t.create_app(web_app()).await;
    let (client_id, secret) = (app.app.client_id.clone(), app.client_secret.unwrap());
    let (_, first) = t.code_grant_with_refresh((&client_id, &secret)).await;
    let old = first["refresh_token"].as_str().unwrap().to_string();
    let (status, _, second) = t
        .token(
            &[("grant_type", "refresh_token"), ("refresh_token", &old)],
            Some((&client_id, &secret)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{second}");
    let current = second["refresh_token"].as_str().unwrap().to_string();

    // Well past the retention, not past the rotated token's own expiry (30 days).
    clock.advance(10 * DAY);
    t.server.clean_up().await.unwrap();
    // Presenting the rotated-out token is still recognised as reuse: the family ends.
    let (status, _, _) = t
        .token(
            &[("grant_type", "refresh_token"), ("refresh_token", &old)],
            Some((&client_id, &secret)),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(t.introspect(&current).await, json!({"active": false}));
}

#[tokio::test]
async fn the_background_task_cleans_up_on_its_own() {
    let config = ServiceConfig {
        cleanup_interval: Some(1),
        ..config()
    };
    let (t, clock) = TestServer::start_with_config(START, config).await;
    let api = t.create_app(api_app()).await;
    let secret = api.client_secret.unwrap();
    for _ in 0..5 {
        t.token(
            &[("grant_type", "client_credentials")],
            Some((&api.app.client_id, &secret)),
        )
        .await;
    }
    let count = |t: &TestServer| {
        Connection::open(t.database_path())
            .unwrap()
            .query_row("SELECT COUNT(*) FROM tokens", [], |row| {
                row.get::<_, i64>(0)
            })
            .unwrap()
    };
    assert_eq!(count(&t), 5);
    clock.advance(10 * DAY);
    // The task runs every second; give it a bounded while.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while count(&t) > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the cleanup never ran"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}
