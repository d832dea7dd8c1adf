//! The steady state: a table already holding many tokens, written through the store
//! API (`Store::insert_tokens`, the same path the server uses, in chunks of
//! `CHUNK` records per write and a few writes in flight), before the server measures.

use oauth_console::domain::{GrantType, Scope, TOKEN_ID_PREFIX, TokenKind, TokenRecord};
use oauth_console::service::crypto::time_ordered_id_at;
use oauth_console::store::Store;
use std::sync::Arc;
use std::time::{Duration, Instant};

const CHUNK: usize = 5_000;
const IN_FLIGHT: usize = 4;

/// How the prefilled tokens are spread in time: issued over the last hour with a
/// one-hour lifetime, from `EXPIRED_SHARE` already expired; the rest expire a few
/// hundred per second while the bench runs, for the cleanup to delete.
const LIFETIME: i64 = 3600;
const EXPIRED_SHARE: f64 = 0.02;

fn random_hex(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes * 2);
    for _ in 0..bytes / 8 {
        out.push_str(&format!("{:016x}", rand::random::<u64>()));
    }
    out
}

/// A time-ordered ID as the server makes them, at the token's issue time (plus
/// `index` microseconds, so that IDs of one second differ in their time part too).
fn id_at(prefix: &str, issued_at: i64, index: usize) -> String {
    let micros = (issued_at as u64) * 1_000_000 + (index % 1_000_000) as u64;
    time_ordered_id_at(prefix, micros, 10).expect("OS random number generator")
}

fn record(client_id: &str, now: i64, index: usize, total: usize) -> TokenRecord {
    let age = ((index as f64 / total as f64) * (LIFETIME as f64 * (1.0 + EXPIRED_SHARE))) as i64;
    let issued_at = now - age;
    TokenRecord {
        id: id_at(TOKEN_ID_PREFIX, issued_at, index),
        hash: random_hex(32),
        kind: TokenKind::Access,
        client_id: client_id.to_string(),
        subject: client_id.to_string(),
        scopes: vec![Scope::Monitoring],
        grant: GrantType::ClientCredentials,
        issued_at,
        expires_at: issued_at + LIFETIME,
        family_id: id_at("fam_", issued_at, index),
        revoked_at: None,
        family_expires_at: None,
        found_by_hash: false,
    }
}

/// Stores `total` tokens of `client_id`; answers how long it took.
pub async fn prefill(store: &Arc<dyn Store>, client_id: &str, total: usize, now: i64) -> Duration {
    let began = Instant::now();
    let mut next = 0usize;
    let mut writes = tokio::task::JoinSet::new();
    while next < total || !writes.is_empty() {
        while next < total && writes.len() < IN_FLIGHT {
            let end = (next + CHUNK).min(total);
            let chunk: Vec<TokenRecord> = (next..end)
                .map(|i| record(client_id, now, i, total))
                .collect();
            let store = Arc::clone(store);
            writes.spawn(async move { store.insert_tokens(chunk).await });
            next = end;
        }
        if let Some(done) = writes.join_next().await {
            done.expect("prefill task").expect("prefill write");
        }
    }
    began.elapsed()
}
