//! A fresh PostgreSQL database per test, on the server named by
//! `OAUTH_CONSOLE_TEST_DATABASE_URL` (e.g. `postgres://postgres@127.0.0.1:5432/postgres`).
//! Without it the PostgreSQL tests say loudly that they were skipped; under CI (`CI`
//! set) they fail instead, so a CI run cannot pass without them.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use rand::Rng;
use std::io::Write;
use tokio_postgres::NoTls;

pub const TEST_DATABASE_ENV: &str = "OAUTH_CONSOLE_TEST_DATABASE_URL";

/// A database created for one test and dropped (with its connections) when this is.
pub struct TestDatabase {
    /// Connection URL of the new database.
    pub url: String,
    server_url: String,
    name: String,
}

/// The server URL, or `None` after saying the test is skipped (a panic under CI).
pub fn server_url(test: &str) -> Option<String> {
    match std::env::var(TEST_DATABASE_ENV) {
        Ok(url) if !url.trim().is_empty() => Some(url.trim().to_string()),
        _ => {
            if std::env::var_os("CI").is_some() {
                panic!(
                    "{test}: {TEST_DATABASE_ENV} is not set, and CI is: the PostgreSQL tests \
                     must run in CI"
                );
            }
            // Straight to stderr: the test harness captures `eprintln!` of passing tests.
            let _ = writeln!(
                std::io::stderr(),
                "*** SKIPPED (PostgreSQL): {test} — set {TEST_DATABASE_ENV}=postgres://… to run it ***"
            );
            None
        }
    }
}

impl TestDatabase {
    /// Creates `oc_test_<random>` on the test server; `None` when skipped.
    pub async fn create(test: &str) -> Option<TestDatabase> {
        let server_url = server_url(test)?;
        let name = format!("oc_test_{:016x}", rand::rng().random::<u64>());
        execute(&server_url, &format!("CREATE DATABASE {name}")).await;
        let mut url = url::Url::parse(&server_url).expect("test database URL");
        url.set_path(&format!("/{name}"));
        Some(TestDatabase {
            url: url.to_string(),
            server_url,
            name,
        })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // Drop runs outside async code (and during a panic too): use a thread with its
        // own runtime, so the drop works whatever runtime the test had.
        let (server_url, name) = (self.server_url.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(execute(
                &server_url,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            ));
        })
        .join();
        if dropped.is_err() {
            eprintln!("could not drop test database {}", self.name);
        }
    }
}

async fn execute(server_url: &str, sql: &str) {
    let (client, connection) = tokio_postgres::connect(server_url, NoTls)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {TEST_DATABASE_ENV}: {e}"));
    let task = tokio::spawn(connection);
    client
        .batch_execute(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    drop(client);
    let _ = task.await;
}
