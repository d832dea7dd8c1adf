//! Writes per second through the SQLite store with 1 and with 64 concurrent writers
//! (group commit lets the latter share fsyncs), and lookups by hash per second.
//! Run: `cargo bench --bench store_group_commit`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use oauth_console::domain::{ClientApp, GrantType, Platform, Scope, TokenKind, TokenRecord};
use oauth_console::store::sqlite::SqliteStore;
use oauth_console::store::{Store, TokenLookup};
use std::sync::Arc;
use std::time::{Duration, Instant};

const NOW: i64 = 1_800_000_000;

fn app() -> ClientApp {
    ClientApp {
        client_id: "oc_bench".to_string(),
        name: "Bench".to_string(),
        platform: Platform::ApiServices,
        redirect_urls: vec![],
        scopes: vec![Scope::Monitoring],
        grant_types: vec![GrantType::ClientCredentials],
        secret_hash: None,
        previous_secret_hash: None,
        previous_secret_expires_at: None,
        created_at: NOW,
        updated_at: NOW,
        access_token_ttl: None,
        refresh_token_ttl: None,
    }
}

fn token(n: u64) -> TokenRecord {
    TokenRecord {
        id: format!("tok_{n}"),
        hash: format!("{n:064x}"),
        kind: TokenKind::Access,
        client_id: "oc_bench".to_string(),
        subject: "oc_bench".to_string(),
        scopes: vec![Scope::Monitoring],
        grant: GrantType::ClientCredentials,
        issued_at: NOW,
        expires_at: NOW + 3600,
        family_id: format!("fam_{n}"),
        revoked_at: None,
        family_expires_at: None,
        found_by_hash: false,
    }
}

/// Each of `writers` tasks inserts tokens one write at a time for `period`.
async fn measure_writes(
    store: &Arc<SqliteStore>,
    writers: u64,
    first: u64,
    period: Duration,
) -> u64 {
    let commits_before = store.commit_count();
    let started = Instant::now();
    let tasks: Vec<_> = (0..writers)
        .map(|w| {
            let store = Arc::clone(store);
            tokio::spawn(async move {
                let mut n = 0;
                while started.elapsed() < period {
                    store
                        .insert_tokens(vec![token(first + w * 1_000_000 + n)])
                        .await
                        .unwrap();
                    n += 1;
                }
                n
            })
        })
        .collect();
    let mut writes = 0;
    for task in tasks {
        writes += task.await.unwrap();
    }
    let seconds = started.elapsed().as_secs_f64();
    let commits = store.commit_count() - commits_before;
    println!(
        "{writers:>3} writer(s): {writes:>7} writes in {seconds:.2} s = {:>8.0} writes/s, {commits} commits ({:.1} writes/commit)",
        writes as f64 / seconds,
        writes as f64 / commits.max(1) as f64
    );
    writes
}

async fn measure_lookups(store: &Arc<SqliteStore>, readers: u64, known: u64, period: Duration) {
    let started = Instant::now();
    let tasks: Vec<_> = (0..readers)
        .map(|r| {
            let store = Arc::clone(store);
            tokio::spawn(async move {
                let mut n = 0;
                while started.elapsed() < period {
                    let k = (r * 7919 + n) % known;
                    let lookup = TokenLookup::by_id(format!("tok_{k}"), format!("{k:064x}"));
                    store.find_token(&lookup).await.unwrap();
                    n += 1;
                }
                n
            })
        })
        .collect();
    let mut lookups = 0;
    for task in tasks {
        lookups += task.await.unwrap();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{readers:>3} reader(s): {lookups:>7} lookups by hash in {seconds:.2} s = {:>8.0} lookups/s",
        lookups as f64 / seconds
    );
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let dir = tempfile::TempDir::new().unwrap();
        let store = Arc::new(SqliteStore::open(&dir.path().join("bench.db")).unwrap());
        store.insert_app(app()).await.unwrap();
        let period = Duration::from_secs(3);
        measure_writes(&store, 1, 0, period).await;
        measure_writes(&store, 64, 100_000_000, period).await;
        // Lookups of hashes that exist (the first writer's tokens).
        let known = store
            .count_active_tokens("oc_bench", NOW)
            .await
            .unwrap()
            .min(1_000);
        measure_lookups(&store, 1, known.max(1), period).await;
        measure_lookups(&store, 64, known.max(1), period).await;
    });
}
