//! Every store (SQLite, PostgreSQL): the cleanup's purge of expired data, and an
//! administrator's change written together with its audit record, or not at all.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod store_fixtures;
mod pg_support;

use oauth_console::domain::{AuditRecord, DeviceCode, DeviceStatus, TokenKind};
use oauth_console::store::{AdminChange, PurgePolicy, Store, StoreError, TokenQuery};
use std::sync::Arc;
use store_fixtures::{NOW, app, code, token};

fn record(action: &str, at: i64) -> AuditRecord {
    AuditRecord {
        id: 0,
        at,
        actor: "default".into(),
        action: action.into(),
        target: "oc_web".into(),
        before: None,
        after: None,
    }
}

fn device_code(hash: &str, expires_at: i64) -> DeviceCode {
    DeviceCode {
        hash: hash.into(),
        user_code: format!("UC{hash}"),
        client_id: "oc_web".into(),
        scopes: vec![],
        issued_at: expires_at - 600,
        expires_at,
        interval: 5,
        last_polled_at: None,
        status: DeviceStatus::Pending,
        subject: None,
        family_id: format!("fam-{hash}"),
    }
}

async fn token_ids(store: &Arc<dyn Store>) -> Vec<String> {
    let (tokens, _) = store
        .list_tokens(TokenQuery {
            client_id: None,
            subject: None,
            active_only: false,
            now: NOW,
            limit: 1000,
            cursor: None,
        })
        .await
        .unwrap();
    let mut ids: Vec<String> = tokens.into_iter().map(|t| t.id).collect();
    ids.sort();
    ids
}

async fn purge_deletes_what_is_past_its_time_and_keeps_revoked_refresh_tokens_until_they_expire(
    store: Arc<dyn Store>,
) {
    store.insert_app(app("oc_web")).await.unwrap();
    // Issued an hour or more apart; each lives an hour.
    let expired = token("t-expired", "oc_web", TokenKind::Access, NOW - 7200, "f1");
    let live = token("t-live", "oc_web", TokenKind::Access, NOW, "f2");
    let revoked_access = token("t-revoked-access", "oc_web", TokenKind::Access, NOW, "f3");
    let revoked_refresh = token("t-revoked-refresh", "oc_web", TokenKind::Refresh, NOW, "f4");
    store
        .insert_tokens(vec![expired, live, revoked_access, revoked_refresh])
        .await
        .unwrap();
    store
        .revoke_token("t-revoked-access", NOW + 10)
        .await
        .unwrap();
    store
        .revoke_token("t-revoked-refresh", NOW + 10)
        .await
        .unwrap();
    let mut old_code = code("old-code", "oc_web");
    old_code.expires_at = NOW - 1;
    store.insert_code(old_code).await.unwrap();
    store.insert_code(code("new-code", "oc_web")).await.unwrap();
    // The newer first: inserting a device code clears the ones expired when it was
    // issued, which would take the old one before the purge could.
    store
        .insert_device_code(device_code("new-device", NOW + 600))
        .await
        .unwrap();
    store
        .insert_device_code(device_code("old-device", NOW - 1))
        .await
        .unwrap();
    store
        .insert_audit(record("app.create", NOW - 100))
        .await
        .unwrap();
    store
        .insert_audit(record("app.update", NOW + 100))
        .await
        .unwrap();

    let policy = PurgePolicy {
        tokens_expired_before: NOW - 1,
        access_revoked_before: NOW + 10,
        codes_expired_before: NOW,
        audit_before: Some(NOW),
        usage_before: NOW,
        limit: 100,
    };
    let counts = store.purge_expired(policy).await.unwrap();
    assert_eq!(
        (
            counts.tokens,
            counts.codes,
            counts.device_codes,
            counts.audit
        ),
        (2, 1, 1, 1),
        "{counts:?}"
    );
    // The revoked refresh token stays until it would have expired: its reuse must
    // still end its family.
    assert_eq!(token_ids(&store).await, ["t-live", "t-revoked-refresh"]);
    let codes: Vec<String> = store
        .list_codes()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.hash)
        .collect();
    assert_eq!(codes, ["new-code"]);
    let devices: Vec<String> = store
        .list_device_codes()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.hash)
        .collect();
    assert_eq!(devices, ["new-device"]);
    let audit: Vec<String> = store
        .list_audit(10, None)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert_eq!(audit, ["app.update"]);

    // Past its expiry the revoked refresh token goes too; with no audit retention,
    // every record stays.
    let counts = store
        .purge_expired(PurgePolicy {
            tokens_expired_before: NOW + 3600,
            audit_before: None,
            ..policy
        })
        .await
        .unwrap();
    assert_eq!((counts.tokens, counts.audit), (2, 0), "{counts:?}");
    assert!(token_ids(&store).await.is_empty());
    assert_eq!(store.list_audit(10, None).await.unwrap().len(), 1);
}
on_both_stores!(
    purge_deletes_what_is_past_its_time_and_keeps_revoked_refresh_tokens_until_they_expire
);

async fn purge_takes_at_most_its_limit_per_call(store: Arc<dyn Store>) {
    store.insert_app(app("oc_web")).await.unwrap();
    let tokens = (0..25)
        .map(|n| {
            token(
                &format!("t{n:02}"),
                "oc_web",
                TokenKind::Access,
                NOW - 7200,
                &format!("f{n}"),
            )
        })
        .collect();
    store.insert_tokens(tokens).await.unwrap();
    let policy = PurgePolicy {
        tokens_expired_before: NOW,
        access_revoked_before: NOW,
        codes_expired_before: NOW,
        audit_before: None,
        usage_before: NOW,
        limit: 10,
    };
    let mut rounds = Vec::new();
    loop {
        let counts = store.purge_expired(policy).await.unwrap();
        rounds.push(counts.tokens);
        if counts.tokens < u64::from(policy.limit) {
            break;
        }
    }
    assert_eq!(rounds, [10, 10, 5]);
    assert!(token_ids(&store).await.is_empty());
}
on_both_stores!(purge_takes_at_most_its_limit_per_call);

async fn a_change_that_fails_leaves_no_audit_record_and_one_that_succeeds_leaves_one(
    store: Arc<dyn Store>,
) {
    let failed = store
        .write_admin_change(
            AdminChange::DeleteApp {
                client_id: "oc_missing".into(),
            },
            record("app.delete", NOW),
        )
        .await
        .unwrap_err();
    assert!(matches!(failed, StoreError::NotFound), "{failed:?}");
    assert!(store.list_audit(10, None).await.unwrap().is_empty());

    store.insert_app(app("oc_web")).await.unwrap();
    store
        .insert_tokens(vec![token("t1", "oc_web", TokenKind::Access, NOW, "f1")])
        .await
        .unwrap();
    let revoked = store
        .write_admin_change(
            AdminChange::RevokeClientTokens {
                client_id: "oc_web".into(),
                now: NOW + 1,
            },
            record("app.revoke_tokens", NOW + 1),
        )
        .await
        .unwrap();
    assert_eq!(revoked, 1);
    let records = store.list_audit(10, None).await.unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].action, "app.revoke_tokens");
    assert_eq!(
        store.count_active_tokens("oc_web", NOW + 2).await.unwrap(),
        0
    );
}
on_both_stores!(a_change_that_fails_leaves_no_audit_record_and_one_that_succeeds_leaves_one);
