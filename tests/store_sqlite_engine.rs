//! The SQLite store's engine against real files: group commit, durability, other
//! connections on the same file, and files it must refuse.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod store_fixtures;
mod pg_support;

use oauth_console::domain::{TokenKind, User};
use oauth_console::store::sqlite::SqliteStore;
use oauth_console::store::{CodeRedemption, Store, StoreError};
use std::sync::Arc;
use std::time::Duration;
use store_fixtures::{NOW, app, code, open, presented, token};
use tempfile::TempDir;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_token_writes_all_land_and_share_commits() {
    let dir = TempDir::new().unwrap();
    let store = Arc::new(open(&dir));
    store.insert_app(app("oc_a")).await.unwrap();
    let commits_before = store.commit_count();
    let start = Arc::new(tokio::sync::Barrier::new(200));
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let store = Arc::clone(&store);
            let start = Arc::clone(&start);
            tokio::spawn(async move {
                let pair = vec![
                    token(
                        &format!("tok_a{i}"),
                        "oc_a",
                        TokenKind::Access,
                        NOW,
                        &format!("f{i}"),
                    ),
                    token(
                        &format!("tok_r{i}"),
                        "oc_a",
                        TokenKind::Refresh,
                        NOW,
                        &format!("f{i}"),
                    ),
                ];
                start.wait().await;
                store.insert_tokens(pair).await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let commits = store.commit_count() - commits_before;
    assert!(
        commits < 200,
        "200 writes took {commits} commits: no grouping"
    );
    assert_eq!(store.count_active_tokens("oc_a", NOW).await.unwrap(), 400);
    for i in [0, 99, 199] {
        assert!(
            store
                .find_token(&presented(&format!("tok_r{i}")))
                .await
                .unwrap()
                .is_some()
        );
    }
}

/// Polls `done` until it holds; fails after 10 s naming `what`.
async fn wait_until(what: &str, done: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "gave up waiting until {what}"
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

/// Holds the database's write lock from outside the store, as another process would.
fn hold_write_lock(path: &std::path::Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    conn
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_write_fails_alone_within_its_group() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("oauth.db");
    let store = Arc::new(SqliteStore::open(&path).unwrap());
    store.insert_app(app("oc_taken")).await.unwrap();

    // While another connection holds the lock, the writer waits with its first write
    // and everything else queues up behind it: the next group holds all of those.
    let lock = hold_write_lock(&path);
    let commits_before = store.commit_count();
    // One poll sends the first write to the writer (the send happens before any await).
    let mut first = Box::pin(store.insert_app(app("oc_first")));
    assert!(futures::poll!(&mut first).is_pending());
    // Nothing queued any more: the writer closed a group of that one write, and waits
    // for the lock with it.
    wait_until("the writer takes the first write", || {
        store.queued_writes() == 0
    })
    .await;
    assert_eq!(store.commit_count(), commits_before, "the lock holds it up");
    let mut tasks = Vec::new();
    for i in 0..10 {
        let store = Arc::clone(&store);
        let id = if i == 5 {
            "oc_taken".to_string()
        } else {
            format!("oc_new{i}")
        };
        tasks.push(tokio::spawn(
            async move { store.insert_app(app(&id)).await },
        ));
    }
    wait_until("ten writes queue behind the lock", || {
        store.queued_writes() == 10
    })
    .await;
    lock.execute_batch("ROLLBACK").unwrap();
    drop(lock);

    first.await.unwrap();
    for (i, task) in tasks.into_iter().enumerate() {
        let outcome = task.await.unwrap();
        if i == 5 {
            assert!(matches!(outcome, Err(StoreError::Conflict)), "{outcome:?}");
        } else {
            outcome.unwrap();
        }
    }
    assert_eq!(
        store.commit_count() - commits_before,
        2,
        "first write, then one group"
    );
    assert_eq!(store.list_apps().await.unwrap().len(), 11);
}

#[tokio::test]
async fn everything_written_is_there_after_reopening_the_file() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("oauth.db");
    {
        let store = SqliteStore::open(&path).unwrap();
        store.insert_app(app("oc_a")).await.unwrap();
        store
            .insert_tokens(vec![token("tok_1", "oc_a", TokenKind::Access, NOW, "f")])
            .await
            .unwrap();
        store.insert_code(code("code-1", "oc_a")).await.unwrap();
        store
            .insert_user(User {
                username: "u".to_string(),
                password_hash: "p".to_string(),
                created_at: NOW,
                disabled: false,
                last_sign_in: None,
            })
            .await
            .unwrap();
        store.revoke_token("tok_1", NOW + 1).await.unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.get_app("oc_a").await.unwrap(), Some(app("oc_a")));
    let token = store.get_token("tok_1").await.unwrap().unwrap();
    assert_eq!(token.revoked_at, Some(NOW + 1));
    assert!(store.get_user("u").await.unwrap().is_some());
    assert!(matches!(
        store.redeem_code("code-1", NOW).await.unwrap(),
        CodeRedemption::Fresh(_)
    ));
    assert_eq!(
        store.schema_version().await.unwrap(),
        oauth_console::store::sqlite::SCHEMA_VERSION
    );
}

#[tokio::test]
async fn a_second_store_on_the_same_file_sees_committed_writes() {
    let dir = TempDir::new().unwrap();
    let first = open(&dir);
    let second = open(&dir);
    first.insert_app(app("oc_a")).await.unwrap();
    assert!(second.get_app("oc_a").await.unwrap().is_some());
    second.insert_app(app("oc_b")).await.unwrap();
    assert_eq!(first.list_apps().await.unwrap().len(), 2);
}

#[test]
fn a_file_that_is_not_a_database_is_a_clear_error_naming_it() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("garbage.db");
    std::fs::write(&path, vec![0x5a_u8; 8192]).unwrap();
    let error = SqliteStore::open(&path).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, StoreError::Backend(_)));
    assert!(message.contains("garbage.db"), "{message}");
    assert!(message.contains("not a database"), "{message}");
}

#[test]
fn a_database_from_a_newer_build_is_refused() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("future.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    let message = SqliteStore::open(&path).unwrap_err().to_string();
    assert!(
        message.contains("999") && message.contains("future.db"),
        "{message}"
    );
}

#[test]
fn a_missing_directory_is_a_clear_error_naming_the_path() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("no-such-dir").join("oauth.db");
    let message = SqliteStore::open(&path).unwrap_err().to_string();
    assert!(message.contains("no-such-dir"), "{message}");
}

#[tokio::test]
async fn an_acknowledged_write_is_committed_for_every_other_connection() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("oauth.db");
    let store = SqliteStore::open(&path).unwrap();
    store.insert_app(app("oc_a")).await.unwrap();
    store
        .insert_tokens(vec![token("tok_1", "oc_a", TokenKind::Access, NOW, "f")])
        .await
        .unwrap();
    // An independent connection, as another process (e.g. the CLI) would open.
    let outside = rusqlite::Connection::open(&path).unwrap();
    let count: i64 = outside
        .query_row(
            "SELECT COUNT(*) FROM tokens WHERE id = 'tok_1'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(count, 1);
    let mode: String = outside
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[cfg(unix)]
#[tokio::test]
async fn a_new_database_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new().unwrap();
    let store = open(&dir);
    store.insert_app(app("oc_a")).await.unwrap();
    for name in ["oauth.db", "oauth.db-wal"] {
        let mode = std::fs::metadata(dir.path().join(name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{name} has mode {:o}", mode & 0o777);
    }
}
