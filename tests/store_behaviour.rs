//! Every store (SQLite, PostgreSQL): apps, users, admin keys, audit and codes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod store_fixtures;
mod pg_support;

use oauth_console::domain::{
    AdminKey, AuditRecord, AuthCode, GrantType, Platform, Scope, TokenKind, User,
};
use oauth_console::store::{CodeRedemption, Store, StoreError};
use std::collections::HashSet;
use std::sync::Arc;
use store_fixtures::{NOW, app, code, token};

async fn apps_round_trip_every_field_and_list_oldest_first(store: Arc<dyn Store>) {
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
on_both_stores!(apps_round_trip_every_field_and_list_oldest_first);

async fn duplicate_names_conflict_and_missing_targets_are_not_found(store: Arc<dyn Store>) {
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
        disabled: false,
        last_sign_in: None,
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
on_both_stores!(duplicate_names_conflict_and_missing_targets_are_not_found);

async fn users_and_admin_keys_round_trip_and_keys_revoke_once(store: Arc<dyn Store>) {
    let user = User {
        username: "bob".to_string(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_string(),
        created_at: NOW,
        disabled: false,
        last_sign_in: None,
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
on_both_stores!(users_and_admin_keys_round_trip_and_keys_revoke_once);

async fn audit_records_get_increasing_ids_and_page_backwards(store: Arc<dyn Store>) {
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
on_both_stores!(audit_records_get_increasing_ids_and_page_backwards);

async fn deleting_an_app_deletes_its_tokens_and_codes_but_no_one_elses(store: Arc<dyn Store>) {
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
on_both_stores!(deleting_an_app_deletes_its_tokens_and_codes_but_no_one_elses);

async fn a_code_redeemed_twice_is_reported_as_reused(store: Arc<dyn Store>) {
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
on_both_stores!(a_code_redeemed_twice_is_reported_as_reused);

async fn concurrent_redemptions_of_one_code_succeed_exactly_once(store: Arc<dyn Store>) {
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
on_both_stores!(
    concurrent_redemptions_of_one_code_succeed_exactly_once,
    flavor = "multi_thread",
    worker_threads = 4
);

async fn the_store_is_usable_as_a_shared_trait_object(store: Arc<dyn Store>) {
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
on_both_stores!(the_store_is_usable_as_a_shared_trait_object);

async fn whole_store_listings_return_every_user_and_code_oldest_first(store: Arc<dyn Store>) {
    store.insert_app(app("oc_a")).await.unwrap();
    for (name, at) in [("zed", NOW), ("amy", NOW + 1)] {
        let user = User {
            username: name.to_string(),
            password_hash: "p".to_string(),
            created_at: at,
            disabled: false,
            last_sign_in: None,
        };
        store.insert_user(user).await.unwrap();
    }
    let users: Vec<String> = store
        .list_users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.username)
        .collect();
    assert_eq!(users, ["zed", "amy"]);

    let mut later = code("code-later", "oc_a");
    later.issued_at = NOW + 5;
    store.insert_code(later).await.unwrap();
    store.insert_code(code("code-first", "oc_a")).await.unwrap();
    store.redeem_code("code-first", NOW + 1).await.unwrap();
    let codes = store.list_codes().await.unwrap();
    let hashes: Vec<&str> = codes.iter().map(|c| c.hash.as_str()).collect();
    assert_eq!(hashes, ["code-first", "code-later"]);
    assert_eq!(
        codes[0].used_at,
        Some(NOW + 1),
        "used codes are listed as used"
    );
    assert!(store.list_device_codes().await.unwrap().is_empty());
}
on_both_stores!(whole_store_listings_return_every_user_and_code_oldest_first);
