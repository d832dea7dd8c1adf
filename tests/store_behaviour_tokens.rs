//! Every store (SQLite, PostgreSQL): tokens, their pages, revocation and refresh
//! rotation with reuse detection.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod store_fixtures;
mod pg_support;

use oauth_console::domain::{GrantType, TokenKind, TokenRecord};
use oauth_console::store::{RefreshRotation, Store, StoreError, TokenLookup, TokenQuery};
use std::sync::Arc;
use store_fixtures::TestStore;
use store_fixtures::{NOW, app, presented, token};

async fn tokens_are_found_by_the_id_they_carry_and_inserted_all_or_nothing(store: Arc<dyn Store>) {
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
        store.find_token(&presented("tok_1")).await.unwrap(),
        Some(access.clone())
    );
    assert_eq!(store.get_token("tok_2").await.unwrap(), Some(refresh));
    // The ID is public: with any other hash it finds nothing, nor does an unknown ID,
    // nor the right hash presented without its ID.
    for lookup in [
        TokenLookup::by_id("tok_1", "hash-tok_2"),
        TokenLookup::by_id("tok_1", "hash-tok_"),
        TokenLookup::by_id("tok_9", "hash-tok_9"),
        TokenLookup::by_hash("hash-tok_1"),
    ] {
        assert_eq!(store.find_token(&lookup).await.unwrap(), None, "{lookup:?}");
    }

    // The second token reuses a stored ID: neither of the two may be stored.
    let fresh = token("tok_3", "oc_a", TokenKind::Access, NOW, "fam2");
    let mut clash = token("tok_4", "oc_a", TokenKind::Refresh, NOW, "fam2");
    clash.id = access.id.clone();
    let result = store.insert_tokens(vec![fresh, clash]).await;
    assert!(matches!(result, Err(StoreError::Conflict)), "{result:?}");
    assert_eq!(store.get_token("tok_3").await.unwrap(), None);
}
on_both_stores!(tokens_are_found_by_the_id_they_carry_and_inserted_all_or_nothing);

async fn tokens_from_before_ids_were_carried_are_found_by_hash_alone(store: Arc<dyn Store>) {
    store.insert_app(app("oc_a")).await.unwrap();
    let mut old = token("tok_old", "oc_a", TokenKind::Refresh, NOW, "fam");
    old.found_by_hash = true;
    let mut twin = token("tok_twin", "oc_a", TokenKind::Access, NOW, "fam");
    twin.found_by_hash = true;
    twin.hash = old.hash.clone();
    // Their hashes stay unique: a clash stores neither.
    let clash = store.insert_tokens(vec![old.clone(), twin]).await;
    assert!(matches!(clash, Err(StoreError::Conflict)), "{clash:?}");
    store.insert_tokens(vec![old.clone()]).await.unwrap();

    let by_hash = TokenLookup::by_hash("hash-tok_old");
    assert_eq!(store.find_token(&by_hash).await.unwrap(), Some(old.clone()));
    // Such a token carries no ID: one that names it is not this token.
    assert_eq!(store.find_token(&presented("tok_old")).await.unwrap(), None);
    // Refresh rotation finds it the same way, and copies carry the flag.
    let new = vec![token("tok_new", "oc_a", TokenKind::Refresh, NOW + 1, "fam")];
    let rotated = store
        .rotate_refresh_token(&by_hash, new, NOW + 1)
        .await
        .unwrap();
    assert!(
        matches!(rotated, RefreshRotation::Rotated(ref r) if r.found_by_hash),
        "{rotated:?}"
    );
    assert!(
        store
            .find_token(&presented("tok_new"))
            .await
            .unwrap()
            .is_some()
    );
}
on_both_stores!(tokens_from_before_ids_were_carried_are_found_by_hash_alone);

async fn token_pages_cover_every_token_once_newest_first(store: Arc<dyn Store>) {
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
on_both_stores!(token_pages_cover_every_token_once_newest_first);

async fn active_filter_leaves_out_revoked_and_expired_tokens(store: Arc<dyn Store>) {
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
on_both_stores!(active_filter_leaves_out_revoked_and_expired_tokens);

async fn a_tampered_cursor_is_refused_with_a_clear_error(store: Arc<dyn Store>) {
    let query = TokenQuery {
        cursor: Some("not a cursor!".to_string()),
        ..Default::default()
    };
    let error = store.list_tokens(query).await.unwrap_err();
    assert!(error.to_string().contains("invalid page cursor"), "{error}");
}
on_both_stores!(a_tampered_cursor_is_refused_with_a_clear_error);

async fn a_page_never_holds_more_than_500_tokens(store: Arc<dyn Store>) {
    store.insert_app(app("oc_a")).await.unwrap();
    let many: Vec<TokenRecord> = (0..520)
        .map(|i| {
            token(
                &format!("tok_{i:04}"),
                "oc_a",
                TokenKind::Access,
                NOW + i,
                "f",
            )
        })
        .collect();
    store.insert_tokens(many).await.unwrap();
    let query = TokenQuery {
        limit: 10_000,
        ..Default::default()
    };
    let (page, next) = store.list_tokens(query).await.unwrap();
    assert_eq!(page.len(), 500);
    assert_eq!(page[0].id, "tok_0519");
    let query = TokenQuery {
        limit: 10_000,
        cursor: next,
        ..Default::default()
    };
    let (rest, next) = store.list_tokens(query).await.unwrap();
    assert_eq!(rest.len(), 20);
    assert_eq!(next, None);
}
on_both_stores!(a_page_never_holds_more_than_500_tokens);

async fn refresh_rotation_then_reuse_revokes_the_whole_family(store: Arc<dyn Store>) {
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
        .rotate_refresh_token(&presented("tok_r1"), second, NOW + 10)
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
        .rotate_refresh_token(&presented("tok_r1"), third, NOW + 20)
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
on_both_stores!(refresh_rotation_then_reuse_revokes_the_whole_family);

async fn rotation_refuses_unknown_expired_and_access_tokens_without_storing_anything(
    store: Arc<dyn Store>,
) {
    store.insert_app(app("oc_a")).await.unwrap();
    let access = token("tok_a", "oc_a", TokenKind::Access, NOW, "f1");
    let mut expired = token("tok_old", "oc_a", TokenKind::Refresh, NOW - 10_000, "f2");
    expired.expires_at = NOW;
    store.insert_tokens(vec![access, expired]).await.unwrap();

    for id in ["tok_nothing", "tok_a", "tok_old"] {
        let new = vec![token("tok_new", "oc_a", TokenKind::Refresh, NOW, "f2")];
        let outcome = store
            .rotate_refresh_token(&presented(id), new, NOW)
            .await
            .unwrap();
        assert_eq!(outcome, RefreshRotation::NotFound, "{id}");
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
on_both_stores!(rotation_refuses_unknown_expired_and_access_tokens_without_storing_anything);

async fn concurrent_rotations_of_one_refresh_token_succeed_exactly_once(store: Arc<dyn Store>) {
    store.insert_app(app("oc_a")).await.unwrap();
    store
        .insert_tokens(vec![token(
            "tok_r0",
            "oc_a",
            TokenKind::Refresh,
            NOW,
            "fam",
        )])
        .await
        .unwrap();
    let start = Arc::new(tokio::sync::Barrier::new(16));
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let (store, start) = (Arc::clone(&store), Arc::clone(&start));
            tokio::spawn(async move {
                let new = vec![token(
                    &format!("tok_n{i}"),
                    "oc_a",
                    TokenKind::Refresh,
                    NOW + 1,
                    "fam",
                )];
                start.wait().await;
                store
                    .rotate_refresh_token(&presented("tok_r0"), new, NOW + 1)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut rotated = 0;
    for task in tasks {
        match task.await.unwrap() {
            RefreshRotation::Rotated(_) => rotated += 1,
            RefreshRotation::Reused { family_id, .. } => assert_eq!(family_id, "fam"),
            RefreshRotation::NotFound => panic!("the token exists"),
        }
    }
    assert_eq!(rotated, 1, "exactly one rotation wins");
    // The losers saw reuse, so the winner's new token is revoked with its family.
    let (page, _) = store
        .list_tokens(TokenQuery {
            active_only: true,
            now: NOW + 2,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(page.is_empty(), "{page:?}");
}
on_both_stores!(
    concurrent_rotations_of_one_refresh_token_succeed_exactly_once,
    flavor = "multi_thread",
    worker_threads = 4
);

async fn a_clashing_insert_among_concurrent_ones_fails_alone(store: Arc<dyn Store>) {
    store.insert_app(app("oc_a")).await.unwrap();
    store
        .insert_tokens(vec![token(
            "tok_taken",
            "oc_a",
            TokenKind::Access,
            NOW,
            "f",
        )])
        .await
        .unwrap();
    let start = Arc::new(tokio::sync::Barrier::new(40));
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let (store, start) = (Arc::clone(&store), Arc::clone(&start));
            tokio::spawn(async move {
                let mut pair = vec![
                    token(&format!("tok_a{i}"), "oc_a", TokenKind::Access, NOW, "g"),
                    token(&format!("tok_r{i}"), "oc_a", TokenKind::Refresh, NOW, "g"),
                ];
                if i == 17 {
                    pair[1].id = "tok_taken".to_string();
                }
                start.wait().await;
                store.insert_tokens(pair).await
            })
        })
        .collect();
    for (i, task) in tasks.into_iter().enumerate() {
        let outcome = task.await.unwrap();
        if i == 17 {
            assert!(matches!(outcome, Err(StoreError::Conflict)), "{outcome:?}");
        } else {
            outcome.unwrap();
        }
    }
    // 39 pairs and the first token; nothing of the clashing pair.
    assert_eq!(store.count_active_tokens("oc_a", NOW).await.unwrap(), 79);
    assert_eq!(store.get_token("tok_a17").await.unwrap(), None);
}
on_both_stores!(
    a_clashing_insert_among_concurrent_ones_fails_alone,
    flavor = "multi_thread",
    worker_threads = 4
);

/// The store a proptest case runs on: SQLite, or PostgreSQL when it is configured.
async fn open_store(postgres: bool) -> Option<TestStore> {
    if postgres {
        TestStore::postgres("walking_pages_yields_each_matching_token_once_in_order").await
    } else {
        Some(TestStore::sqlite())
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]

    /// Whatever the issue times (ties included), filters and page size, walking the
    /// pages yields exactly the matching tokens, newest first.
    #[test]
    fn walking_pages_yields_each_matching_token_once_in_order(
        postgres in proptest::bool::weighted(0.25),
        issue_offsets in proptest::collection::vec(0_i64..20, 0..120),
        page_size in 1_u32..30,
        one_client in proptest::bool::ANY,
        active_only in proptest::bool::ANY,
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let Some(held) = open_store(postgres).await else { return };
            let store = held.store;
            store.insert_app(app("oc_a")).await.unwrap();
            store.insert_app(app("oc_b")).await.unwrap();
            let all: Vec<TokenRecord> = issue_offsets
                .iter()
                .enumerate()
                .map(|(i, offset)| {
                    let client = if i % 2 == 0 { "oc_a" } else { "oc_b" };
                    let mut t = token(&format!("tok_{i:03}"), client, TokenKind::Access, NOW + offset, "f");
                    if i % 5 == 0 {
                        t.revoked_at = Some(NOW);
                    }
                    if i % 7 == 0 {
                        t.expires_at = NOW + 10;
                    }
                    t
                })
                .collect();
            store.insert_tokens(all.clone()).await.unwrap();

            let now = NOW + 10;
            let mut expected: Vec<(i64, String)> = all
                .iter()
                .filter(|t| !one_client || t.client_id == "oc_a")
                .filter(|t| !active_only || t.is_active(now))
                .map(|t| (t.issued_at, t.id.clone()))
                .collect();
            expected.sort();
            expected.reverse();

            let mut seen = Vec::new();
            let mut cursor = None;
            loop {
                let query = TokenQuery {
                    client_id: one_client.then(|| "oc_a".to_string()),
                    subject: None,
                    active_only,
                    now,
                    limit: page_size,
                    cursor,
                };
                let (page, next) = store.list_tokens(query).await.unwrap();
                assert!(page.len() <= page_size as usize);
                seen.extend(page.into_iter().map(|t| (t.issued_at, t.id)));
                match next {
                    Some(next) => cursor = Some(next),
                    None => break,
                }
            }
            assert_eq!(seen, expected);
        });
    }
}
