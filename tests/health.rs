//! `/healthz` and `/readyz`, as a load balancer polls them: on the embedded SQLite
//! server, and on a PostgreSQL replica whose database stops matching its schema.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pg_support;
mod replica_support;
mod serve_support;
mod support;

use replica_support::Replica;
use reqwest::StatusCode;
use serde_json::Value;
use support::TestServer;

async fn get(http: &reqwest::Client, url: url::Url) -> (StatusCode, Value) {
    let response = http.get(url).send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn a_sqlite_server_is_alive_and_ready_without_authentication() {
    let t = TestServer::start().await;
    let (status, body) = get(&t.http, t.url("healthz")).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::OK, Some("ok"))
    );
    let (status, body) = get(&t.http, t.url("readyz")).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::OK, Some("ready"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_whose_database_moved_to_a_newer_schema_is_alive_but_not_ready() {
    let Some(database) = pg_support::TestDatabase::create("health::schema_moved").await else {
        return;
    };
    let replica = Replica::start(&database).await;
    let (status, _) = get(&replica.http, replica.url("readyz")).await;
    assert_eq!(status, StatusCode::OK);

    // A newer build migrated the database: this replica must leave the pool.
    let (client, connection) = tokio_postgres::connect(&database.url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
        .batch_execute("INSERT INTO schema_migrations (version) VALUES (999)")
        .await
        .unwrap();
    let (status, body) = get(&replica.http, replica.url("readyz")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["reason"], "migrations not current");
    let (status, _) = get(&replica.http, replica.url("healthz")).await;
    assert_eq!(status, StatusCode::OK, "the process itself is fine");
}
