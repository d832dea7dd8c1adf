//! The store keeps apps in memory for client authentication; these tests show how
//! fast a change reaches a reader: at once in the same process, within a second from
//! another process (a second store on the same file stands in for the CLI).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod store_fixtures;
mod pg_support;

use oauth_console::store::Store;
use store_fixtures::{app, open};
use tempfile::TempDir;

/// The longest a change made by another process may go unseen, plus slack.
const CROSS_PROCESS_BOUND: std::time::Duration = std::time::Duration::from_millis(1_200);

#[tokio::test]
async fn a_deleted_or_rotated_app_is_seen_at_once_by_the_store_that_changed_it() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir);
    store.insert_app(app("kept")).await.unwrap();
    store.insert_app(app("gone")).await.unwrap();
    // Read both, so both are cached.
    assert!(store.get_app("kept").await.unwrap().is_some());
    assert!(store.get_app("gone").await.unwrap().is_some());

    let mut rotated = app("kept");
    rotated.secret_hash = Some("cd".repeat(32));
    store.update_app(rotated).await.unwrap();
    store.delete_app("gone").await.unwrap();

    let kept = store.get_app("kept").await.unwrap().unwrap();
    assert_eq!(kept.secret_hash, Some("cd".repeat(32)));
    assert!(store.get_app("gone").await.unwrap().is_none());
}

#[tokio::test]
async fn a_deletion_or_rotation_by_another_process_is_seen_within_a_second() {
    let dir = TempDir::new().unwrap();
    let server = open(&dir);
    let cli = open(&dir);
    server.insert_app(app("kept")).await.unwrap();
    server.insert_app(app("gone")).await.unwrap();
    assert!(server.get_app("kept").await.unwrap().is_some());
    assert!(server.get_app("gone").await.unwrap().is_some());

    let mut rotated = app("kept");
    rotated.secret_hash = Some("cd".repeat(32));
    cli.update_app(rotated).await.unwrap();
    cli.delete_app("gone").await.unwrap();

    tokio::time::sleep(CROSS_PROCESS_BOUND).await;
    let kept = server.get_app("kept").await.unwrap().unwrap();
    assert_eq!(kept.secret_hash, Some("cd".repeat(32)));
    assert!(server.get_app("gone").await.unwrap().is_none());
}
