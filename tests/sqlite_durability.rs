//! The embedded store's promise under a crash: a token the server answered with is on
//! disk. `serve` on SQLite is killed with SIGKILL in the middle of sustained issuance
//! (group commits and WAL checkpoints in flight), started again on the same data dir,
//! and every acknowledged token must still introspect as active, and be counted in
//! its app's usage.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod serve_support;

use oauth_console::api::AdminClient;
use serve_support::Served;
use serve_support::sustained_issuance::{Stop, api_services_app, issue};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killing_the_server_during_sustained_issuance_loses_no_acknowledged_token() {
    let data = tempfile::tempdir().unwrap();
    let mut server = Served::start(data.path(), &[]);
    let admin = AdminClient::new(server.base(), server.admin_key()).unwrap();
    let created = admin.create_app(&api_services_app()).await.unwrap();
    let client = (
        created.app.client_id.clone(),
        created.client_secret.clone().unwrap(),
    );
    let stop = Stop {
        deadline: Instant::now() + Duration::from_secs(10),
        failures: 20,
        tokens: None,
    };
    let http = reqwest::Client::new();
    let workers: Vec<_> = (0..16)
        .map(|_| tokio::spawn(issue(http.clone(), server.base(), client.clone(), stop)))
        .collect();
    // Long enough for many group commits and several checkpoints of the WAL.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    server.kill_9();
    let mut acknowledged = Vec::new();
    for worker in workers {
        acknowledged.extend(worker.await.unwrap());
    }
    assert!(
        acknowledged.len() > 200,
        "too little issued before the kill: {}",
        acknowledged.len()
    );

    let restarted = Served::start(data.path(), &[]);
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
    // Each token was counted in the app's usage in the commit that stored it: the
    // counter equals the tokens stored (none is revoked or expired yet), which hold
    // every acknowledged one (and maybe some committed but not answered before the kill).
    let admin = AdminClient::new(restarted.base(), restarted.admin_key()).unwrap();
    let details = admin.get_app(&client.0).await.unwrap();
    assert_eq!(
        details.usage.issued_24h, details.active_tokens,
        "{details:?}"
    );
    assert!(
        details.usage.issued_24h >= acknowledged.len() as u64,
        "{} counted, {} acknowledged",
        details.usage.issued_24h,
        acknowledged.len()
    );
}
