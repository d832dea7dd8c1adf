//! The SQLite store against real files: round trips, the atomic OAuth operations,
//! pagination, group commit and durability.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use oauth_console::domain::{
    AdminKey, AuditRecord, AuthCode, ClientApp, GrantType, Platform, Scope, TokenKind, TokenRecord,
    User,
};
use oauth_console::store::sqlite::SqliteStore;
use oauth_console::store::{CodeRedemption, RefreshRotation, Store, StoreError, TokenQuery};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use tempfile::TempDir;

const NOW: i64 = 1_800_000_000;

fn open(dir: &TempDir) -> SqliteStore {
    SqliteStore::open(&dir.path().join("oauth.db")).unwrap()
}

fn app(client_id: &str) -> ClientApp {
    ClientApp {
        client_id: client_id.to_string(),
        name: format!("App {client_id}"),
        platform: Platform::Web,
        redirect_urls: vec![
            "https://example.com/callback".to_string(),
            "https://example.com/other?x=1 y".to_string(),
        ],
        scopes: vec![Scope::Monitoring, Scope::OfflineAccess],
        grant_types: vec![GrantType::AuthorizationCode, GrantType::RefreshToken],
        secret_hash: Some("ab".repeat(32)),
        previous_secret_hash: None,
        previous_secret_expires_at: None,
        created_at: NOW,
        updated_at: NOW,
        access_token_ttl: Some(600),
        refresh_token_ttl: None,
    }
}

fn token(id: &str, client_id: &str, kind: TokenKind, issued_at: i64, family: &str) -> TokenRecord {
    TokenRecord {
        id: id.to_string(),
        hash: format!("hash-{id}"),
        kind,
        client_id: client_id.to_string(),
        subject: "alice".to_string(),
        scopes: vec![Scope::Monitoring, Scope::Control],
        grant: GrantType::AuthorizationCode,
        issued_at,
        expires_at: issued_at + 3600,
        family_id: family.to_string(),
        revoked_at: None,
    }
}

fn code(hash: &str, client_id: &str) -> AuthCode {
    AuthCode {
        hash: hash.to_string(),
        client_id: client_id.to_string(),
        subject: "alice".to_string(),
        redirect_uri: "https://example.com/callback".to_string(),
        scopes: vec![Scope::Monitoring],
        code_challenge: Some("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".to_string()),
        code_challenge_method: Some("S256".to_string()),
        issued_at: NOW,
        expires_at: NOW + 60,
        used_at: None,
        family_id: "fam-code".to_string(),
    }
}

#[tokio::test]
async fn apps_round_trip_every_field_and_list_oldest_first() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir);
    let mut native = app("oc_native");
    native.platform = Platform::Native;
    native.redirect_urls = vec![];
    native.grant_types = vec![GrantType::DeviceCode, GrantType::RefreshToken];
    native.secret_hash = None;
    native.previous_secret_hash = Some("cd".repeat(32));
    native.previous_secret_expires_at = Some(NOW + 5);
    native.created_at = NOW + 10;
    native.refresh_token_ttl = Some(86_400);
    store.insert_app(native.clone()).await.unwrap();
    store.insert_app(app("oc_web")).await.unwrap();

    assert_eq!(
        store.get_app("oc_native").await.unwrap(),
        Some(native.clone())
    );
    assert_eq!(store.get_app("oc_web").await.unwrap(), Some(app("oc_web")));
    assert_eq!(store.get_app("oc_missing").await.unwrap(), None);
    let listed: Vec<String> = store
        .list_apps()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.client_id)
        .collect();
    assert_eq!(listed, ["oc_web", "oc_native"]);

    let mut renamed = app("oc_web");
    renamed.name = "Renamed".to_string();
    renamed.scopes = vec![Scope::Management];
    renamed.updated_at = NOW + 99;
    store.update_app(renamed.clone()).await.unwrap();
    assert_eq!(store.get_app("oc_web").await.unwrap(), Some(renamed));
}

#[tokio::test]
async fn duplicate_names_conflict_and_missing_targets_are_not_found() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir);
    store.insert_app(app("oc_a")).await.unwrap();
    assert!(matches!(
        store.insert_app(app("oc_a")).await,
        Err(StoreError::Conflict)
    ));
    assert!(matches!(
        store.update_app(app("oc_b")).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.delete_app("oc_b").await,
        Err(StoreError::NotFound)
    ));

    let user = User {
        username: "alice".to_string(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_string(),
        created_at: NOW,
    };
    store.insert_user(user.clone()).await.unwrap();
    assert!(matches!(
        store.insert_user(user).await,
        Err(StoreError::Conflict)
    ));

    let key = AdminKey {
        name: "ops".to_string(),
        hash: "k1".to_string(),
        read_only: false,
        created_at: NOW,
        revoked_at: None,
    };
    store.insert_admin_key(key.clone()).await.unwrap();
    let same_name = AdminKey {
        hash: "k2".to_string(),
        ..key
    };
    assert!(matches!(
        store.insert_admin_key(same_name).await,
        Err(StoreError::Conflict)
    ));

    // Tokens for an app that does not exist are refused, not orphaned.
    let orphan = token("tok_orphan", "oc_nobody", TokenKind::Access, NOW, "f");
    assert!(matches!(
        store.insert_tokens(vec![orphan]).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(store.get_token("tok_orphan").await.unwrap(), None);
}

#[tokio::test]
async fn users_and_admin_keys_round_trip_and_keys_revoke_once() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir);
    let user = User {
        username: "bob".to_string(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_string(),
        created_at: NOW,
    };
    store.insert_user(user.clone()).await.unwrap();
    assert_eq!(store.get_user("bob").await.unwrap(), Some(user));
    assert_eq!(store.get_user("carol").await.unwrap(), None);

    for (name, created_at, read_only) in [("second", NOW + 1, true), ("first", NOW, false)] {
        let key = AdminKey {
            name: name.to_string(),
            hash: format!("hash-{name}"),
            read_only,
            created_at,
            revoked_at: None,
        };
        store.insert_admin_key(key).await.unwrap();
    }
    let found = store
        .get_admin_key_by_hash("hash-second")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((found.name.as_str(), found.read_only), ("second", true));
    assert_eq!(store.get_admin_key_by_hash("nope").await.unwrap(), None);
    let names: Vec<String> = store
        .list_admin_keys()
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.name)
        .collect();
    assert_eq!(names, ["first", "second"]);

    assert!(store.revoke_admin_key("first", NOW + 5).await.unwrap());
    assert!(!store.revoke_admin_key("first", NOW + 6).await.unwrap());
    assert!(!store.revoke_admin_key("ghost", NOW + 6).await.unwrap());
    let revoked = store
        .get_admin_key_by_hash("hash-first")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(revoked.revoked_at, Some(NOW + 5));
}

#[tokio::test]
async fn audit_records_get_increasing_ids_and_page_backwards() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir);
    for i in 0..5 {
        store
            .insert_audit(AuditRecord {
                id: 0,
                at: NOW + i,
                actor: "ops".to_string(),
                action: "app.update".to_string(),
                target: format!("oc_{i}"),
                before: Some(serde_json::json!({"name": "old", "n": i})),
                after: if i == 0 {
                    None
                } else {
                    Some(serde_json::json!(["x", i]))
                },
            })
            .await
            .unwrap();
    }
    let newest = store.list_audit(2, None).await.unwrap();
    assert_eq!(newest.len(), 2);
    assert_eq!(newest[0].target, "oc_4");
    assert_eq!(
        newest[0].before,
        Some(serde_json::json!({"name": "old", "n": 4}))
    );
    assert_eq!(newest[0].after, Some(serde_json::json!(["x", 4])));
    assert!(newest[0].id > newest[1].id);

    let older = store.list_audit(10, Some(newest[1].id)).await.unwrap();
    let targets: Vec<&str> = older.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(targets, ["oc_2", "oc_1", "oc_0"]);
    assert_eq!(older[2].after, None);
    assert_eq!(store.list_audit(0, None).await.unwrap().len(), 5);
}

#[tokio::test]
async fn tokens_are_found_by_hash_and_id_and_inserted_all_or_nothing() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir);
    store.insert_app(app("oc_a")).await.unwrap();
    let access = token("tok_1", "oc_a", TokenKind::Access, NOW, "fam");
    let mut refresh = token("tok_2", "oc_a", TokenKind::Refresh, NOW, "fam");
    refresh.grant = GrantType::DeviceCode;
    refresh.revoked_at = Some(NOW + 1);
    store
        .insert_tokens(vec![access.clone(), refresh.clone()])
        .await
        .unwrap();
    assert_eq!(
        store.get_token_by_hash("hash-tok_1").await.unwrap(),
        Some(access.clone())
    );
    assert_eq!(store.get_token("tok_2").await.unwrap(), Some(refresh));
    assert_eq!(store.get_token_by_hash("hash-unknown").await.unwrap(), None);

    // The second token reuses a stored hash: neither of the two may be stored.
    let fresh = token("tok_3", "oc_a", TokenKind::Access, NOW, "fam2");
    let mut clash = token("tok_4", "oc_a", TokenKind::Refresh, NOW, "fam2");
    clash.hash = access.hash.clone();
    let result = store.insert_tokens(vec![fresh, clash]).await;
    assert!(matches!(result, Err(StoreError::Conflict)), "{result:?}");
    assert_eq!(store.get_token("tok_3").await.unwrap(), None);
}

#[tokio::test]
async fn token_pages_cover_every_token_once_newest_first() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir);
    store.insert_app(app("oc_a")).await.unwrap();
    store.insert_app(app("oc_b")).await.unwrap();
    // Many tokens share an issue time, so the id must break ties across pages.
    let mut all = Vec::new();
    for i in 0..237 {
        let client = if i % 3 == 0 { "oc_b" } else { "oc_a" };
        all.push(token(
            &format!("tok_{i:04}"),
            client,
            TokenKind::Access,
            NOW + i / 10,
            "f",
        ));
    }
    for chunk in all.chunks(50) {
        store.insert_tokens(chunk.to_vec()).await.unwrap();
    }

    let mut seen = Vec::new();
    let mut cursor = None;
    let mut pages = 0;
    loop {
        let query = TokenQuery {
            limit: 40,
            cursor: cursor.clone(),
            now: NOW,
            ..Default::default()
        };
        let (page, next) = store.list_tokens(query).await.unwrap();
        assert!(page.len() <= 40);
        pages += 1;
        seen.extend(page.into_iter().map(|t| (t.issued_at, t.id)));
        match next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(pages, 6);
    let mut expected: Vec<(i64, String)> =
        all.iter().map(|t| (t.issued_at, t.id.clone())).collect();
    expected.sort();
    expected.reverse();
    assert_eq!(seen, expected, "every token exactly once, newest first");

    // One client's tokens only.
    let query = TokenQuery {
        client_id: Some("oc_b".to_string()),
        limit: 500,
        ..Default::default()
    };
    let (page, next) = store.list_tokens(query).await.unwrap();
    assert_eq!(page.len(), 79);
    assert!(page.iter().all(|t| t.client_id == "oc_b"));
    assert_eq!(next, None);

    // 0 means the default page; more than the cap is capped.
    let (page, next) = store.list_tokens(TokenQuery::default()).await.unwrap();
    assert_eq!(page.len(), 100);
    assert!(next.is_some());
}

#[tokio::test]
async fn active_filter_leaves_out_revoked_and_expired_tokens() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir);
    store.insert_app(app("oc_a")).await.unwrap();
    let live = token("tok_live", "oc_a", TokenKind::Access, NOW, "f1");
    let mut expired = token("tok_expired", "oc_a", TokenKind::Access, NOW - 7200, "f2");
    expired.expires_at = NOW;
    let revoked = token("tok_revoked", "oc_a", TokenKind::Refresh, NOW, "f3");
    store
        .insert_tokens(vec![live, expired, revoked])
        .await
        .unwrap();
    assert!(store.revoke_token("tok_revoked", NOW + 1).await.unwrap());
    assert!(!store.revoke_token("tok_revoked", NOW + 2).await.unwrap());
    assert!(!store.revoke_token("tok_unknown", NOW + 2).await.unwrap());

    let query = TokenQuery {
        active_only: true,
        now: NOW + 1,
        ..Default::default()
    };
    let (page, _) = store.list_tokens(query).await.unwrap();
    let ids: Vec<&str> = page.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["tok_live"]);
    assert_eq!(store.count_active_tokens("oc_a", NOW + 1).await.unwrap(), 1);

    let (page, _) = store.list_tokens(TokenQuery::default()).await.unwrap();
    assert_eq!(page.len(), 3);
    assert_eq!(
        store
            .get_token("tok_revoked")
            .await
            .unwrap()
            .unwrap()
            .revoked_at,
        Some(NOW + 1)
    );

    // Revoking the client's tokens counts only those that were still usable.
    store
        .insert_tokens(vec![token(
            "tok_live2",
            "oc_a",
            TokenKind::Refresh,
            NOW,
            "f4",
        )])
        .await
        .unwrap();
    assert_eq!(
        store.revoke_client_tokens("oc_a", NOW + 1).await.unwrap(),
        2
    );
    assert_eq!(store.count_active_tokens("oc_a", NOW + 1).await.unwrap(), 0);
}

#[tokio::test]
async fn a_tampered_cursor_is_refused_with_a_clear_error() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir);
    let query = TokenQuery {
        cursor: Some("not a cursor!".to_string()),
        ..Default::default()
    };
    let error = store.list_tokens(query).await.unwrap_err();
    assert!(error.to_string().contains("invalid page cursor"), "{error}");
}

#[tokio::test]
async fn deleting_an_app_deletes_its_tokens_and_codes_but_no_one_elses() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir);
    store.insert_app(app("oc_a")).await.unwrap();
    store.insert_app(app("oc_b")).await.unwrap();
    store
        .insert_tokens(vec![
            token("tok_a", "oc_a", TokenKind::Access, NOW, "f"),
            token("tok_b", "oc_b", TokenKind::Access, NOW, "g"),
        ])
        .await
        .unwrap();
    store.insert_code(code("code-a", "oc_a")).await.unwrap();
    store.insert_code(code("code-b", "oc_b")).await.unwrap();

    store.delete_app("oc_a").await.unwrap();
    assert_eq!(store.get_app("oc_a").await.unwrap(), None);
    assert_eq!(store.get_token("tok_a").await.unwrap(), None);
    assert_eq!(
        store.redeem_code("code-a", NOW).await.unwrap(),
        CodeRedemption::NotFound
    );
    assert!(store.get_token("tok_b").await.unwrap().is_some());
    assert!(matches!(
        store.redeem_code("code-b", NOW).await.unwrap(),
        CodeRedemption::Fresh(_)
    ));
}

#[tokio::test]
async fn a_code_redeemed_twice_is_reported_as_reused() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir);
    store.insert_app(app("oc_a")).await.unwrap();
    let stored = code("code-1", "oc_a");
    store.insert_code(stored.clone()).await.unwrap();
    assert!(matches!(
        store.insert_code(stored.clone()).await,
        Err(StoreError::Conflict)
    ));

    let used = AuthCode {
        used_at: Some(NOW + 3),
        ..stored
    };
    assert_eq!(
        store.redeem_code("code-1", NOW + 3).await.unwrap(),
        CodeRedemption::Fresh(used.clone())
    );
    // The second presentation sees the first use, unchanged.
    assert_eq!(
        store.redeem_code("code-1", NOW + 9).await.unwrap(),
        CodeRedemption::Reused(used)
    );
    assert_eq!(
        store.redeem_code("code-2", NOW).await.unwrap(),
        CodeRedemption::NotFound
    );
}

#[tokio::test]
async fn concurrent_redemptions_of_one_code_succeed_exactly_once() {
    let dir = TempDir::new().unwrap();
    let store = Arc::new(open(&dir));
    store.insert_app(app("oc_a")).await.unwrap();
    store.insert_code(code("code-race", "oc_a")).await.unwrap();
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let store = Arc::clone(&store);
            tokio::spawn(async move { store.redeem_code("code-race", NOW).await.unwrap() })
        })
        .collect();
    let mut fresh = 0;
    for task in tasks {
        if matches!(task.await.unwrap(), CodeRedemption::Fresh(_)) {
            fresh += 1;
        }
    }
    assert_eq!(fresh, 1);
}

#[tokio::test]
async fn refresh_rotation_then_reuse_revokes_the_whole_family() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir);
    store.insert_app(app("oc_a")).await.unwrap();
    let first_access = token("tok_a1", "oc_a", TokenKind::Access, NOW, "fam");
    let first_refresh = token("tok_r1", "oc_a", TokenKind::Refresh, NOW, "fam");
    let other_family = token("tok_x", "oc_a", TokenKind::Refresh, NOW, "other");
    store
        .insert_tokens(vec![first_access, first_refresh.clone(), other_family])
        .await
        .unwrap();

    let second = vec![
        token("tok_a2", "oc_a", TokenKind::Access, NOW + 10, "fam"),
        token("tok_r2", "oc_a", TokenKind::Refresh, NOW + 10, "fam"),
    ];
    let rotated = store
        .rotate_refresh_token("hash-tok_r1", second, NOW + 10)
        .await
        .unwrap();
    let expected_old = TokenRecord {
        revoked_at: Some(NOW + 10),
        ..first_refresh
    };
    assert_eq!(rotated, RefreshRotation::Rotated(expected_old));
    assert!(
        store
            .get_token("tok_r2")
            .await
            .unwrap()
            .unwrap()
            .is_active(NOW + 11)
    );

    // The spent refresh token comes back: an attacker or a confused client.
    let third = vec![token("tok_r3", "oc_a", TokenKind::Refresh, NOW + 20, "fam")];
    let reused = store
        .rotate_refresh_token("hash-tok_r1", third, NOW + 20)
        .await
        .unwrap();
    // tok_a1, tok_a2 and tok_r2 were still unrevoked.
    assert_eq!(
        reused,
        RefreshRotation::Reused {
            family_id: "fam".to_string(),
            revoked: 3
        }
    );
    for id in ["tok_a1", "tok_r1", "tok_a2", "tok_r2"] {
        let record = store.get_token(id).await.unwrap().unwrap();
        assert!(record.revoked_at.is_some(), "{id} still active");
    }
    assert_eq!(store.get_token("tok_r3").await.unwrap(), None);
    assert!(
        store
            .get_token("tok_x")
            .await
            .unwrap()
            .unwrap()
            .revoked_at
            .is_none()
    );
}

#[tokio::test]
async fn rotation_refuses_unknown_expired_and_access_tokens_without_storing_anything() {
    let dir = TempDir::new().unwrap();
    let store = open(&dir);
    store.insert_app(app("oc_a")).await.unwrap();
    let access = token("tok_a", "oc_a", TokenKind::Access, NOW, "f1");
    let mut expired = token("tok_old", "oc_a", TokenKind::Refresh, NOW - 10_000, "f2");
    expired.expires_at = NOW;
    store.insert_tokens(vec![access, expired]).await.unwrap();

    for hash in ["hash-nothing", "hash-tok_a", "hash-tok_old"] {
        let new = vec![token("tok_new", "oc_a", TokenKind::Refresh, NOW, "f2")];
        let outcome = store.rotate_refresh_token(hash, new, NOW).await.unwrap();
        assert_eq!(outcome, RefreshRotation::NotFound, "{hash}");
    }
    assert_eq!(store.get_token("tok_new").await.unwrap(), None);
    assert_eq!(
        store
            .get_token("tok_old")
            .await
            .unwrap()
            .unwrap()
            .revoked_at,
        None
    );
}

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
                .get_token_by_hash(&format!("hash-tok_r{i}"))
                .await
                .unwrap()
                .is_some()
        );
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
    let first = {
        let store = Arc::clone(&store);
        tokio::spawn(async move { store.insert_app(app("oc_first")).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let commits_before = store.commit_count();
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
    tokio::time::sleep(Duration::from_millis(200)).await;
    lock.execute_batch("ROLLBACK").unwrap();
    drop(lock);

    first.await.unwrap().unwrap();
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
async fn the_store_is_usable_as_a_shared_trait_object() {
    let dir = TempDir::new().unwrap();
    let store: Arc<dyn Store> = Arc::new(open(&dir));
    store.insert_app(app("oc_dyn")).await.unwrap();
    let ids: HashSet<String> = store
        .list_apps()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.client_id)
        .collect();
    assert!(ids.contains("oc_dyn"));
}
