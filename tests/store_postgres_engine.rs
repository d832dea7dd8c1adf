//! The PostgreSQL store's engine against a real server: replicas migrating the same
//! fresh database at the same moment, and a database a newer build migrated.
//! Skipped (loudly) without `OAUTH_CONSOLE_TEST_DATABASE_URL`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pg_support;

use oauth_console::store::postgres::{PostgresStore, SCHEMA_VERSION};
use oauth_console::store::{Store, StoreReadiness};
use pg_support::TestDatabase;

async fn count_migrations(url: &str) -> i64 {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
        .query_one("SELECT COUNT(*) FROM schema_migrations", &[])
        .await
        .unwrap()
        .get(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn four_replicas_starting_at_once_migrate_a_fresh_database_exactly_once() {
    let Some(database) = TestDatabase::create("store_postgres_engine::migrate_at_once").await
    else {
        return;
    };
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(4));
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let (url, start) = (database.url.clone(), std::sync::Arc::clone(&start));
            tokio::spawn(async move {
                start.wait().await;
                PostgresStore::connect(&url).await
            })
        })
        .collect();
    let mut stores = Vec::new();
    for task in tasks {
        stores.push(task.await.unwrap().expect("every replica starts"));
    }
    for store in &stores {
        assert_eq!(store.schema_version().await.unwrap(), SCHEMA_VERSION);
        assert_eq!(store.check_ready().await.unwrap(), StoreReadiness::Ready);
    }
    assert_eq!(
        count_migrations(&database.url).await,
        i64::from(SCHEMA_VERSION)
    );
}

#[tokio::test]
async fn a_database_a_newer_build_migrated_is_refused_and_not_ready() {
    let Some(database) = TestDatabase::create("store_postgres_engine::newer_schema").await else {
        return;
    };
    let store = PostgresStore::connect(&database.url).await.unwrap();
    let (client, connection) = tokio_postgres::connect(&database.url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
        .batch_execute("INSERT INTO schema_migrations (version) VALUES (999)")
        .await
        .unwrap();
    assert_eq!(
        store.check_ready().await.unwrap(),
        StoreReadiness::SchemaMismatch {
            database: 999,
            expected: SCHEMA_VERSION
        }
    );
    let error = PostgresStore::connect(&database.url)
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("newer than this build"), "{error}");
    assert!(
        !error.contains("postgres@"),
        "no credentials in messages: {error}"
    );
}

#[tokio::test]
async fn an_unreachable_server_is_a_clear_error_without_the_password() {
    // Port 1 on loopback: nothing listens there.
    let error = PostgresStore::connect("postgres://app:s3cret@127.0.0.1:1/auth")
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("127.0.0.1:1/auth"), "{error}");
    assert!(!error.contains("s3cret"), "{error}");
}
