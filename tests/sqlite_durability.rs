//! The embedded store's promise under a crash: a token the server answered with is on
//! disk. `serve` on SQLite is killed with SIGKILL in the middle of sustained issuance
//! (group commits and WAL checkpoints in flight), started again on the same data dir,
//! and every acknowledged token must still introspect as active.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod serve_support;

use oauth_console::api::AdminClient;
use oauth_console::domain::{AppDraft, GrantType, Platform, Scope};
use serve_support::Served;
use std::time::{Duration, Instant};

fn api_app() -> AppDraft {
    AppDraft {
        name: "Billing sync".into(),
        platform: Platform::ApiServices,
        redirect_urls: vec![],
        scopes: vec![Scope::Monitoring],
        grant_types: vec![GrantType::ClientCredentials],
        access_token_ttl: None,
        refresh_token_ttl: None,
    }
}

/// Issues tokens from `workers` tasks until `deadline` or until the server stops
/// answering; returns every access token a client was given.
async fn issue_until_it_dies(
    base: url::Url,
    client: (String, String),
    workers: usize,
    deadline: Instant,
) -> Vec<String> {
    let http = reqwest::Client::new();
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let (http, base, (id, secret)) = (http.clone(), base.clone(), client.clone());
        tasks.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            let mut failures = 0;
            while Instant::now() < deadline && failures < 20 {
                let answer = http
                    .post(base.join("oauth/token").unwrap())
                    .basic_auth(&id, Some(&secret))
                    .form(&[("grant_type", "client_credentials")])
                    .send()
                    .await;
                let Ok(response) = answer else {
                    failures += 1;
                    continue;
                };
                if !response.status().is_success() {
                    failures += 1;
                    continue;
                }
                // A body cut off by the kill was never acknowledged.
                match response.json::<serde_json::Value>().await {
                    Ok(body) => acknowledged.push(body["access_token"].as_str().unwrap().into()),
                    Err(_) => failures += 1,
                }
            }
            acknowledged
        }));
    }
    let mut acknowledged = Vec::new();
    for task in tasks {
        acknowledged.extend(task.await.unwrap());
    }
    acknowledged
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killing_the_server_during_sustained_issuance_loses_no_acknowledged_token() {
    let data = tempfile::tempdir().unwrap();
    let mut server = Served::start(data.path(), &[]);
    let admin = AdminClient::new(server.base(), server.admin_key()).unwrap();
    let created = admin.create_app(&api_app()).await.unwrap();
    let client = (
        created.app.client_id.clone(),
        created.client_secret.clone().unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    let load = tokio::spawn(issue_until_it_dies(
        server.base(),
        client.clone(),
        16,
        deadline,
    ));
    // Long enough for many group commits and several checkpoints of the WAL.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    server.kill_9();
    let acknowledged = load.await.unwrap();
    assert!(
        acknowledged.len() > 200,
        "too little issued before the kill: {}",
        acknowledged.len()
    );

    let restarted = Served::start(data.path(), &[]);
    let http = reqwest::Client::new();
    let mut lost = 0;
    for token in &acknowledged {
        let answer: serde_json::Value = http
            .post(restarted.url("oauth/introspect"))
            .basic_auth(&client.0, Some(&client.1))
            .form(&[("token", token.as_str())])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if answer["active"] != serde_json::Value::Bool(true) {
            lost += 1;
        }
    }
    assert_eq!(
        lost,
        0,
        "{lost} of {} acknowledged tokens lost",
        acknowledged.len()
    );
}
