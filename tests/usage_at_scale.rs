//! How long the app list's usage reads take on a table of 1,000,000 tokens: the one
//! grouped count of active tokens per app, and the one read of the usage counters.
//! Ignored by default (it writes a million rows); run it with
//! `cargo test --test usage_at_scale -- --ignored --nocapture`
//! (PostgreSQL too when `OAUTH_CONSOLE_TEST_DATABASE_URL` is set).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod store_fixtures;
mod pg_support;

use oauth_console::domain::{GrantType, Scope, TokenKind, TokenRecord};
use oauth_console::store::Store;
use std::sync::Arc;
use std::time::{Duration, Instant};
use store_fixtures::{NOW, app};

const TOTAL: usize = 1_000_000;
const CHUNK: usize = 5_000;
const APPS: usize = 5;
const LIFETIME: i64 = 3600;

/// Tokens issued over the last hour (2% already expired), one in 20 revoked, spread
/// over `APPS` apps.
fn record(index: usize) -> TokenRecord {
    let age = (index as i64 * LIFETIME * 102 / 100) / TOTAL as i64;
    let issued_at = NOW - age;
    TokenRecord {
        id: format!("tok_{index:09}"),
        hash: format!("{:064x}", index as u128 * 0x9e37_79b9_7f4a_7c15),
        kind: TokenKind::Access,
        client_id: format!("oc_app{}", index % APPS),
        subject: "svc".into(),
        scopes: vec![Scope::Monitoring],
        grant: GrantType::ClientCredentials,
        issued_at,
        expires_at: issued_at + LIFETIME,
        family_id: format!("fam_{index}"),
        revoked_at: index.is_multiple_of(20).then_some(issued_at + 1),
        family_expires_at: None,
        found_by_hash: false,
    }
}

fn expected_active() -> u64 {
    (0..TOTAL)
        .map(record)
        .filter(|t| t.revoked_at.is_none() && t.expires_at > NOW)
        .count() as u64
}

async fn fill(store: &Arc<dyn Store>) -> Duration {
    let began = Instant::now();
    for a in 0..APPS {
        store.insert_app(app(&format!("oc_app{a}"))).await.unwrap();
    }
    let mut writes = tokio::task::JoinSet::new();
    let mut next = 0;
    while next < TOTAL || !writes.is_empty() {
        while next < TOTAL && writes.len() < 4 {
            let end = (next + CHUNK).min(TOTAL);
            let chunk: Vec<TokenRecord> = (next..end).map(record).collect();
            let store = Arc::clone(store);
            writes.spawn(async move { store.insert_tokens(chunk).await });
            next = end;
        }
        if let Some(done) = writes.join_next().await {
            done.unwrap().unwrap();
        }
    }
    began.elapsed()
}

/// The fastest of five runs, and every run.
async fn time<F, Fut>(mut run: F) -> (Duration, Vec<Duration>)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut runs = Vec::new();
    for _ in 0..5 {
        let began = Instant::now();
        run().await;
        runs.push(began.elapsed());
    }
    (*runs.iter().min().unwrap(), runs)
}

async fn usage_reads_at_a_million_tokens(store: Arc<dyn Store>) {
    let filled = fill(&store).await;
    let expected = expected_active();
    let (active, active_runs) = time(|| async {
        let counts = store.count_active_tokens_by_app(NOW).await.unwrap();
        assert_eq!(counts.len(), APPS);
        assert_eq!(counts.values().sum::<u64>(), expected);
    })
    .await;
    let (usage, usage_runs) = time(|| async {
        let usage = store.list_app_usage(NOW).await.unwrap();
        assert_eq!(usage.len(), APPS);
        assert_eq!(
            usage.values().map(|u| u.issued_24h).sum::<u64>(),
            TOTAL as u64
        );
    })
    .await;
    eprintln!(
        "{TOTAL} tokens ({expected} active, {APPS} apps), filled in {filled:?}: \
         active tokens per app {active:?} (runs {active_runs:?}); \
         usage counters {usage:?} (runs {usage_runs:?})"
    );
}

mod usage_reads_at_a_million_tokens {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "writes a million tokens; run with --ignored to measure"]
    async fn sqlite() {
        let held = crate::store_fixtures::TestStore::sqlite();
        super::usage_reads_at_a_million_tokens(std::sync::Arc::clone(&held.store)).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "writes a million tokens; run with --ignored to measure"]
    async fn postgres() {
        let Some(held) = crate::store_fixtures::TestStore::postgres(module_path!()).await else {
            return;
        };
        super::usage_reads_at_a_million_tokens(std::sync::Arc::clone(&held.store)).await;
    }
}
