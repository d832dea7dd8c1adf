//! SQLite keeps token rows in memory for introspection; a revocation is never
//! outlived, whether this store makes it or another one on the same file does (a
//! second `SqliteStore` here; another process in `token_cache_processes.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod store_fixtures;
mod pg_support;

use oauth_console::domain::TokenKind;
use oauth_console::store::sqlite::SqliteStore;
use oauth_console::store::{AdminChange, Store, TokenLookup};
use std::sync::Arc;
use store_fixtures::{NOW, app, audit_record, presented, token};
use tempfile::TempDir;

fn two_stores_on_one_file() -> (TempDir, Arc<SqliteStore>, Arc<SqliteStore>) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("oauth.db");
    let this = Arc::new(SqliteStore::open(&path).unwrap());
    let other = Arc::new(SqliteStore::open(&path).unwrap());
    (dir, this, other)
}

/// Stores `id` and reads it twice: the second read comes from memory.
async fn stored_and_kept(store: &SqliteStore, id: &str, family: &str) -> TokenLookup {
    store
        .insert_tokens(vec![token(id, "oc_a", TokenKind::Refresh, NOW, family)])
        .await
        .unwrap();
    let lookup = presented(id);
    let hits = store.token_cache_hits();
    for _ in 0..2 {
        let found = store.find_token(&lookup).await.unwrap().expect("stored");
        assert_eq!(found.revoked_at, None);
    }
    assert_eq!(
        store.token_cache_hits(),
        hits + 1,
        "{id}: the second read is a hit"
    );
    lookup
}

async fn is_revoked(store: &SqliteStore, lookup: &TokenLookup) -> bool {
    let found = store.find_token(lookup).await.unwrap();
    found.is_none_or(|record| record.revoked_at.is_some())
}

#[tokio::test]
async fn every_kind_of_revocation_through_the_store_is_seen_at_once() {
    let (_dir, store, _) = two_stores_on_one_file();
    store.insert_app(app("oc_a")).await.unwrap();

    let one = stored_and_kept(&store, "tok_one", "fam_one").await;
    assert!(store.revoke_token("tok_one", NOW).await.unwrap());
    assert!(is_revoked(&store, &one).await, "revoke_token");

    let family = stored_and_kept(&store, "tok_family", "fam_two").await;
    store.revoke_family("fam_two", NOW).await.unwrap();
    assert!(is_revoked(&store, &family).await, "revoke_family");

    let users = stored_and_kept(&store, "tok_user", "fam_three").await;
    let change = AdminChange::RevokeUserTokens {
        username: "alice".to_string(),
        now: NOW,
    };
    store
        .write_admin_change(change, audit_record("user.revoke_tokens", "alice"))
        .await
        .unwrap();
    assert!(is_revoked(&store, &users).await, "an admin change");

    let rotated = stored_and_kept(&store, "tok_rotated", "fam_four").await;
    let next = vec![token(
        "tok_next",
        "oc_a",
        TokenKind::Refresh,
        NOW,
        "fam_four",
    )];
    store
        .rotate_refresh_token(&rotated, next, NOW + 1)
        .await
        .unwrap();
    assert!(is_revoked(&store, &rotated).await, "refresh rotation");

    let client = stored_and_kept(&store, "tok_client", "fam_five").await;
    store.revoke_client_tokens("oc_a", NOW).await.unwrap();
    assert!(is_revoked(&store, &client).await, "revoke_client_tokens");

    let deleted = stored_and_kept(&store, "tok_deleted", "fam_six").await;
    store.delete_app("oc_a").await.unwrap();
    assert!(is_revoked(&store, &deleted).await, "delete_app");
}

#[tokio::test]
async fn a_revocation_by_another_store_on_the_same_file_is_seen_at_once() {
    let (_dir, this, other) = two_stores_on_one_file();
    this.insert_app(app("oc_a")).await.unwrap();
    let lookup = stored_and_kept(&this, "tok_1", "fam_1").await;

    // This store's writer is idle: nothing here tells it of the other's commit.
    assert!(other.revoke_token("tok_1", NOW).await.unwrap());
    assert!(is_revoked(&this, &lookup).await);

    // Its next transaction sees that someone else committed: the row stays revoked,
    // and rows read after that are kept again.
    let later = stored_and_kept(&this, "tok_2", "fam_2").await;
    assert!(is_revoked(&this, &lookup).await);
    assert!(other.revoke_token("tok_2", NOW).await.unwrap());
    assert!(is_revoked(&this, &later).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn lookups_racing_revocations_never_see_a_revoked_token_active() {
    let (_dir, this, other) = two_stores_on_one_file();
    this.insert_app(app("oc_a")).await.unwrap();
    for round in 0..60 {
        let id = format!("tok_{round}");
        let lookup = stored_and_kept(&this, &id, &format!("fam_{round}")).await;
        // Readers hammer the row, and a writer keeps this store's writer busy, while
        // one of the two stores revokes it.
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut busy = Vec::new();
        for reader in 0..2 {
            let (store, lookup, stop) = (Arc::clone(&this), lookup.clone(), Arc::clone(&stop));
            busy.push(tokio::spawn(async move {
                let mut n = 0u32;
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    store.find_token(&lookup).await.unwrap();
                    n += 1;
                    if n % 16 == reader {
                        tokio::task::yield_now().await;
                    }
                }
            }));
        }
        let (store, stop_inserts) = (Arc::clone(&this), Arc::clone(&stop));
        let filler = format!("fill_{round}");
        busy.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop_inserts.load(std::sync::atomic::Ordering::SeqCst) {
                let id = format!("{filler}_{n}");
                let row = token(&id, "oc_a", TokenKind::Access, NOW, "fill");
                store.insert_tokens(vec![row]).await.unwrap();
                n += 1;
            }
        }));
        tokio::task::yield_now().await;
        let revoker = if round % 2 == 0 { &this } else { &other };
        assert!(revoker.revoke_token(&id, NOW).await.unwrap());
        // Answered: from now on no reader of this store may see it active.
        for _ in 0..20 {
            assert!(is_revoked(&this, &lookup).await, "round {round}");
        }
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        for task in busy {
            task.await.unwrap();
        }
    }
}

#[tokio::test]
async fn a_write_that_changes_nothing_keeps_the_cache_in_use() {
    let (_dir, store, _) = two_stores_on_one_file();
    store.insert_app(app("oc_a")).await.unwrap();
    let lookup = stored_and_kept(&store, "tok_1", "fam_1").await;
    // Revoking an unknown token commits a transaction that wrote nothing (as the
    // periodic cleanup does when nothing has expired).
    assert!(!store.revoke_token("tok_unknown", NOW).await.unwrap());
    store.find_token(&lookup).await.unwrap().expect("stored");
    let hits = store.token_cache_hits();
    store.find_token(&lookup).await.unwrap().expect("stored");
    assert_eq!(store.token_cache_hits(), hits + 1, "still read from memory");
}
