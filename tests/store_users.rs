//! Every store (SQLite, PostgreSQL): users as administrators see them — active tokens
//! and authorised apps, grants, disabling, deleting, revoking — and never an app's own
//! client-credentials tokens, even when a username equals a client ID.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod store_fixtures;
mod pg_support;

use oauth_console::domain::{GrantType, Scope, TokenKind, TokenRecord, User, UserSummary};
use oauth_console::store::copy::copy_store;
use oauth_console::store::{AdminChange, AuditQuery, Store, StoreError, TokenQuery};
use std::sync::Arc;
use store_fixtures::{NOW, TestStore, app, audit_record, token};

fn user(name: &str, created_at: i64) -> User {
    User {
        username: name.to_string(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_string(),
        created_at,
        disabled: false,
        last_sign_in: None,
    }
}

/// A token of `subject` at `client_id`, issued at NOW + `at`.
fn user_token(id: &str, client_id: &str, subject: &str, family: &str, at: i64) -> TokenRecord {
    TokenRecord {
        subject: subject.to_string(),
        ..token(id, client_id, TokenKind::Access, NOW + at, family)
    }
}

/// An app's own token: client credentials, its client ID as subject.
fn client_token(id: &str, client_id: &str) -> TokenRecord {
    TokenRecord {
        subject: client_id.to_string(),
        grant: GrantType::ClientCredentials,
        ..token(id, client_id, TokenKind::Access, NOW, &format!("fam-{id}"))
    }
}

async fn summary(store: &Arc<dyn Store>, name: &str) -> UserSummary {
    store
        .get_user_summary(name, NOW + 10)
        .await
        .unwrap()
        .unwrap()
}

async fn is_revoked(store: &Arc<dyn Store>, id: &str) -> bool {
    store
        .get_token(id)
        .await
        .unwrap()
        .unwrap()
        .revoked_at
        .is_some()
}

/// alice: two families at oc_a (one of them refreshed), one at oc_b, one expired,
/// one revoked. bob: one at oc_a. The app oc_svc has its own tokens.
async fn seed(store: &Arc<dyn Store>) {
    for id in ["oc_a", "oc_b", "oc_svc"] {
        store.insert_app(app(id)).await.unwrap();
    }
    store.insert_user(user("alice", NOW)).await.unwrap();
    store.insert_user(user("bob", NOW + 1)).await.unwrap();
    let mut refresh = user_token("t_a1r", "oc_a", "alice", "fam_a1", 2);
    refresh.kind = TokenKind::Refresh;
    refresh.scopes = vec![Scope::Monitoring, Scope::OfflineAccess];
    let mut expired = user_token("t_old", "oc_b", "alice", "fam_old", -7200);
    expired.expires_at = NOW - 1;
    let mut revoked = user_token("t_rev", "oc_b", "alice", "fam_rev", 0);
    revoked.revoked_at = Some(NOW);
    let tokens = vec![
        user_token("t_a1", "oc_a", "alice", "fam_a1", 0),
        user_token("t_a1b", "oc_a", "alice", "fam_a1", 2),
        refresh,
        user_token("t_a2", "oc_a", "alice", "fam_a2", 3),
        user_token("t_b1", "oc_b", "alice", "fam_b1", 4),
        expired,
        revoked,
        user_token("t_bob", "oc_a", "bob", "fam_bob", 1),
        client_token("t_svc", "oc_svc"),
    ];
    store.insert_tokens(tokens).await.unwrap();
}

async fn summaries_count_active_tokens_and_distinct_apps(store: Arc<dyn Store>) {
    seed(&store).await;
    store.insert_user(user("carol", NOW + 2)).await.unwrap();
    let users = store.list_user_summaries(NOW + 10).await.unwrap();
    let rows: Vec<(&str, u64, u64)> = users
        .iter()
        .map(|u| (u.username.as_str(), u.active_tokens, u.authorised_apps))
        .collect();
    assert_eq!(rows, [("alice", 5, 2), ("bob", 1, 1), ("carol", 0, 0)]);
    assert!(
        users
            .iter()
            .all(|u| !u.disabled && u.last_sign_in.is_none())
    );
    assert_eq!(store.get_user_summary("nobody", NOW).await.unwrap(), None);
}
on_both_stores!(summaries_count_active_tokens_and_distinct_apps);

async fn grants_are_the_families_with_active_tokens_newest_first(store: Arc<dyn Store>) {
    seed(&store).await;
    let grants = store.list_user_grants("alice", NOW + 10).await.unwrap();
    let families: Vec<&str> = grants.iter().map(|g| g.family_id.as_str()).collect();
    assert_eq!(families, ["fam_b1", "fam_a2", "fam_a1"]);
    let a1 = &grants[2];
    assert_eq!(a1.client_id, "oc_a");
    assert_eq!(a1.app_name, "App oc_a");
    assert_eq!(a1.active_tokens, 3);
    assert_eq!((a1.granted_at, a1.last_issued_at), (NOW, NOW + 2));
    // The newest token's scopes, the refresh token's when issued with an access token.
    assert_eq!(a1.scopes, [Scope::Monitoring, Scope::OfflineAccess]);
    assert!(
        store
            .list_user_grants("carol", NOW)
            .await
            .unwrap()
            .is_empty()
    );
}
on_both_stores!(grants_are_the_families_with_active_tokens_newest_first);

async fn disabling_revokes_the_users_tokens_and_enabling_revokes_nothing(store: Arc<dyn Store>) {
    seed(&store).await;
    let disable = AdminChange::SetUserDisabled {
        username: "alice".into(),
        disabled: true,
        now: NOW + 10,
    };
    let revoked = store
        .write_admin_change(disable, audit_record("user.disable", "alice"))
        .await
        .unwrap();
    assert_eq!(revoked, 5);
    let alice = summary(&store, "alice").await;
    assert!(alice.disabled);
    assert_eq!((alice.active_tokens, alice.authorised_apps), (0, 0));
    assert!(store.get_user("alice").await.unwrap().unwrap().disabled);
    // Bob's and the app's own tokens are untouched; the expired one stays as it was.
    assert_eq!(summary(&store, "bob").await.active_tokens, 1);
    assert!(!is_revoked(&store, "t_svc").await);
    assert!(!is_revoked(&store, "t_old").await);

    let enable = AdminChange::SetUserDisabled {
        username: "alice".into(),
        disabled: false,
        now: NOW + 11,
    };
    let touched = store
        .write_admin_change(enable, audit_record("user.enable", "alice"))
        .await
        .unwrap();
    assert_eq!(touched, 0);
    assert!(!summary(&store, "alice").await.disabled);

    let unknown = AdminChange::SetUserDisabled {
        username: "nobody".into(),
        disabled: true,
        now: NOW,
    };
    let error = store
        .write_admin_change(unknown, audit_record("user.disable", "nobody"))
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::NotFound), "{error:?}");
    // The failed change left no audit record behind.
    let records = store
        .list_audit_filtered(AuditQuery {
            target: Some("nobody".into()),
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert!(records.is_empty());
    let records = store
        .list_audit_filtered(AuditQuery {
            target: Some("alice".into()),
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    let actions: Vec<&str> = records.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["user.enable", "user.disable"]);
}
on_both_stores!(disabling_revokes_the_users_tokens_and_enabling_revokes_nothing);

async fn a_username_equal_to_a_client_id_never_reaches_the_apps_own_tokens(store: Arc<dyn Store>) {
    seed(&store).await;
    // A person whose username is the client ID of an app, with a token of their own.
    store.insert_user(user("oc_svc", NOW + 3)).await.unwrap();
    store
        .insert_tokens(vec![user_token("t_person", "oc_a", "oc_svc", "fam_p", 5)])
        .await
        .unwrap();
    let person = summary(&store, "oc_svc").await;
    assert_eq!((person.active_tokens, person.authorised_apps), (1, 1));
    let grants = store.list_user_grants("oc_svc", NOW + 10).await.unwrap();
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].family_id, "fam_p");

    let revoke = AdminChange::RevokeUserTokens {
        username: "oc_svc".into(),
        now: NOW + 10,
    };
    let revoked = store
        .write_admin_change(revoke, audit_record("user.revoke_tokens", "oc_svc"))
        .await
        .unwrap();
    assert_eq!(revoked, 1);
    assert!(is_revoked(&store, "t_person").await);
    assert!(!is_revoked(&store, "t_svc").await, "the app's own token");

    let delete = AdminChange::DeleteUser {
        username: "oc_svc".into(),
        now: NOW + 10,
    };
    store
        .write_admin_change(delete, audit_record("user.delete", "oc_svc"))
        .await
        .unwrap();
    assert!(!is_revoked(&store, "t_svc").await, "the app's own token");
    let family = AdminChange::RevokeUserFamily {
        username: "oc_svc".into(),
        family_id: "fam-t_svc".into(),
        now: NOW + 10,
    };
    let error = store
        .write_admin_change(family, audit_record("user.revoke_grant", "oc_svc"))
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::NotFound), "{error:?}");
    assert!(!is_revoked(&store, "t_svc").await, "the app's own token");
}
on_both_stores!(a_username_equal_to_a_client_id_never_reaches_the_apps_own_tokens);

async fn deleting_a_user_revokes_their_tokens_and_unknown_users_are_not_found(
    store: Arc<dyn Store>,
) {
    seed(&store).await;
    let delete = AdminChange::DeleteUser {
        username: "alice".into(),
        now: NOW + 10,
    };
    let revoked = store
        .write_admin_change(delete.clone(), audit_record("user.delete", "alice"))
        .await
        .unwrap();
    assert_eq!(revoked, 5);
    assert_eq!(store.get_user("alice").await.unwrap(), None);
    assert!(is_revoked(&store, "t_b1").await);
    assert_eq!(summary(&store, "bob").await.active_tokens, 1);
    let again = store
        .write_admin_change(delete, audit_record("user.delete", "alice"))
        .await
        .unwrap_err();
    assert!(matches!(again, StoreError::NotFound), "{again:?}");
    let password = AdminChange::SetUserPassword {
        username: "alice".into(),
        password_hash: "x".into(),
    };
    let missing = store
        .write_admin_change(password, audit_record("user.password", "alice"))
        .await
        .unwrap_err();
    assert!(matches!(missing, StoreError::NotFound), "{missing:?}");
}
on_both_stores!(deleting_a_user_revokes_their_tokens_and_unknown_users_are_not_found);

async fn a_family_is_revoked_only_for_its_own_user(store: Arc<dyn Store>) {
    seed(&store).await;
    // Bob's family, asked for as alice's: nothing happens.
    let theirs = AdminChange::RevokeUserFamily {
        username: "alice".into(),
        family_id: "fam_bob".into(),
        now: NOW + 10,
    };
    let error = store
        .write_admin_change(theirs, audit_record("user.revoke_grant", "alice"))
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::NotFound), "{error:?}");
    assert!(!is_revoked(&store, "t_bob").await);

    let own = AdminChange::RevokeUserFamily {
        username: "alice".into(),
        family_id: "fam_a1".into(),
        now: NOW + 10,
    };
    let revoked = store
        .write_admin_change(own, audit_record("user.revoke_grant", "alice"))
        .await
        .unwrap();
    assert_eq!(revoked, 3);
    for id in ["t_a1", "t_a1b", "t_a1r"] {
        assert!(is_revoked(&store, id).await, "{id}");
    }
    assert!(!is_revoked(&store, "t_a2").await);
    let alice = summary(&store, "alice").await;
    assert_eq!((alice.active_tokens, alice.authorised_apps), (2, 2));
}
on_both_stores!(a_family_is_revoked_only_for_its_own_user);

async fn passwords_and_sign_ins_are_recorded(store: Arc<dyn Store>) {
    store.insert_user(user("alice", NOW)).await.unwrap();
    assert!(store.record_sign_in("alice", NOW + 5).await.unwrap());
    assert!(!store.record_sign_in("nobody", NOW + 5).await.unwrap());
    let change = AdminChange::SetUserPassword {
        username: "alice".into(),
        password_hash: "new-hash".into(),
    };
    store
        .write_admin_change(change, audit_record("user.password", "alice"))
        .await
        .unwrap();
    let alice = store.get_user("alice").await.unwrap().unwrap();
    assert_eq!(alice.password_hash, "new-hash");
    assert_eq!(alice.last_sign_in, Some(NOW + 5));
    assert_eq!(summary(&store, "alice").await.last_sign_in, Some(NOW + 5));
}
on_both_stores!(passwords_and_sign_ins_are_recorded);

async fn tokens_list_by_subject_a_users_or_an_apps_own(store: Arc<dyn Store>) {
    seed(&store).await;
    let listed = |subject: &str| {
        let store = Arc::clone(&store);
        let query = TokenQuery {
            subject: Some(subject.to_string()),
            active_only: true,
            now: NOW + 10,
            ..TokenQuery::default()
        };
        async move {
            let (page, _) = store.list_tokens(query).await.unwrap();
            page.into_iter().map(|t| t.id).collect::<Vec<_>>()
        }
    };
    assert_eq!(
        listed("alice").await,
        ["t_b1", "t_a2", "t_a1r", "t_a1b", "t_a1"]
    );
    assert_eq!(listed("bob").await, ["t_bob"]);
    assert_eq!(listed("oc_svc").await, ["t_svc"]);
    assert!(listed("nobody").await.is_empty());
}
on_both_stores!(tokens_list_by_subject_a_users_or_an_apps_own);

async fn store_copy_keeps_disabled_users_and_their_last_sign_in(store: Arc<dyn Store>) {
    let mut disabled = user("dora", NOW);
    disabled.disabled = true;
    disabled.last_sign_in = Some(NOW + 7);
    store.insert_user(disabled.clone()).await.unwrap();
    store.insert_user(user("eve", NOW + 1)).await.unwrap();
    let target = TestStore::sqlite();
    copy_store(store.as_ref(), target.store.as_ref(), false)
        .await
        .unwrap();
    assert_eq!(target.store.get_user("dora").await.unwrap(), Some(disabled));
    assert_eq!(
        target.store.get_user("eve").await.unwrap(),
        Some(user("eve", NOW + 1))
    );
}
on_both_stores!(store_copy_keeps_disabled_users_and_their_last_sign_in);
