//! Every store (SQLite, PostgreSQL): the per-app, per-hour usage counters written with
//! the tokens, read back per app and for every app, rolled by the hour, purged, deleted
//! with their app, and exact under concurrent inserts (group commit).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod store_fixtures;
mod pg_support;

use oauth_console::domain::{
    AppUsage, DeviceCode, DeviceStatus, TokenKind, TokenRecord, USAGE_HOURS,
};
use oauth_console::store::{
    CodeRedemption, DeviceConsumption, DeviceDecision, PurgePolicy, RefreshRotation, Store,
    UsageHour,
};
use std::sync::Arc;
use store_fixtures::{NOW, app, code, presented, token};

const HOUR: i64 = 3600;

/// An access and a refresh token issued together at `at`.
fn pair(name: &str, client_id: &str, at: i64) -> Vec<TokenRecord> {
    vec![
        token(&format!("{name}_a"), client_id, TokenKind::Access, at, name),
        token(
            &format!("{name}_r"),
            client_id,
            TokenKind::Refresh,
            at,
            name,
        ),
    ]
}

async fn issued_24h(store: &Arc<dyn Store>, client_id: &str, now: i64) -> u64 {
    store.app_usage(client_id, now).await.unwrap().0.issued_24h
}

async fn active(store: &Arc<dyn Store>, client_id: &str, now: i64) -> u64 {
    store
        .count_active_tokens_by_app(now)
        .await
        .unwrap()
        .get(client_id)
        .copied()
        .unwrap_or(0)
}

fn device_code(hash: &str, client_id: &str) -> DeviceCode {
    DeviceCode {
        hash: hash.into(),
        user_code: "BCDFGHJK".into(),
        client_id: client_id.into(),
        scopes: vec![],
        issued_at: NOW,
        expires_at: NOW + 600,
        interval: 5,
        last_polled_at: None,
        status: DeviceStatus::Pending,
        subject: None,
        family_id: "fam-device".into(),
    }
}

async fn every_path_that_stores_tokens_counts_its_access_tokens(store: Arc<dyn Store>) {
    store.insert_app(app("oc_a")).await.unwrap();
    assert_eq!(
        store.app_usage("oc_a", NOW).await.unwrap(),
        (AppUsage::default(), vec![0; USAGE_HOURS])
    );

    // Plain issuance (client credentials): an access and a refresh token count once.
    store
        .insert_tokens(pair("first", "oc_a", NOW + 10))
        .await
        .unwrap();
    assert_eq!(issued_24h(&store, "oc_a", NOW + 20).await, 1);

    // Refresh rotation issues a new access token: it counts.
    let rotated = store
        .rotate_refresh_token(
            &presented("first_r"),
            pair("second", "oc_a", NOW + 30),
            NOW + 30,
        )
        .await
        .unwrap();
    assert!(
        matches!(rotated, RefreshRotation::Rotated(_)),
        "{rotated:?}"
    );
    assert_eq!(issued_24h(&store, "oc_a", NOW + 40).await, 2);

    // A reused refresh token stores nothing: nothing is counted.
    let reused = store
        .rotate_refresh_token(
            &presented("first_r"),
            pair("stolen", "oc_a", NOW + 35),
            NOW + 35,
        )
        .await
        .unwrap();
    assert!(
        matches!(reused, RefreshRotation::Reused { .. }),
        "{reused:?}"
    );
    assert_eq!(issued_24h(&store, "oc_a", NOW + 40).await, 2);

    // Device code exchange.
    store
        .insert_device_code(device_code("dev1", "oc_a"))
        .await
        .unwrap();
    let decision = DeviceDecision::Approve {
        subject: "alice".into(),
    };
    store
        .decide_device_code("BCDFGHJK", decision, NOW + 50)
        .await
        .unwrap();
    let consumed = store
        .consume_device_code("dev1", pair("device", "oc_a", NOW + 60), NOW + 60)
        .await
        .unwrap();
    assert_eq!(consumed, DeviceConsumption::Consumed);
    assert_eq!(issued_24h(&store, "oc_a", NOW + 70).await, 3);

    // Authorization code exchange: the code is redeemed, then its tokens stored.
    store.insert_code(code("code1", "oc_a")).await.unwrap();
    let redeemed = store.redeem_code("code1", NOW + 80).await.unwrap();
    assert!(matches!(redeemed, CodeRedemption::Fresh(_)), "{redeemed:?}");
    store
        .insert_tokens(pair("exchanged", "oc_a", NOW + 80))
        .await
        .unwrap();

    let (usage, hourly) = store.app_usage("oc_a", NOW + 90).await.unwrap();
    assert_eq!(
        usage,
        AppUsage {
            last_issued_at: Some(NOW + 80),
            issued_24h: 4
        }
    );
    assert_eq!(hourly.len(), USAGE_HOURS);
    assert_eq!(hourly[USAGE_HOURS - 1], 4);
    assert_eq!(hourly.iter().sum::<u64>(), 4);
    let listed = store.list_app_usage(NOW + 90).await.unwrap();
    assert_eq!(listed.get("oc_a"), Some(&usage));

    // Revocation leaves what was issued, and lowers the active count. The reuse above
    // revoked the first pair's family; three pairs are live.
    let before = active(&store, "oc_a", NOW + 90).await;
    assert_eq!(before, 6);
    assert!(store.revoke_token("second_a", NOW + 95).await.unwrap());
    assert_eq!(active(&store, "oc_a", NOW + 96).await, before - 1);
    assert_eq!(issued_24h(&store, "oc_a", NOW + 96).await, 4);
    assert_eq!(
        active(&store, "oc_a", NOW + 96).await,
        store.count_active_tokens("oc_a", NOW + 96).await.unwrap()
    );
}
on_both_stores!(every_path_that_stores_tokens_counts_its_access_tokens);

async fn hours_roll_out_of_the_window_but_the_last_use_stays(store: Arc<dyn Store>) {
    store.insert_app(app("oc_a")).await.unwrap();
    store.insert_app(app("oc_idle")).await.unwrap();
    store
        .insert_tokens(pair("old", "oc_a", NOW - 3 * HOUR + 5))
        .await
        .unwrap();
    let mut batch = pair("now1", "oc_a", NOW + 1);
    batch.extend(pair("now2", "oc_a", NOW + 2));
    store.insert_tokens(batch).await.unwrap();

    let (usage, hourly) = store.app_usage("oc_a", NOW + 100).await.unwrap();
    assert_eq!(usage.issued_24h, 3);
    assert_eq!(usage.last_issued_at, Some(NOW + 2));
    assert_eq!(hourly[USAGE_HOURS - 1], 2);
    assert_eq!(hourly[USAGE_HOURS - 4], 1);

    // 22 hours later the older hour has left the window; the newer is the oldest slot.
    let later = NOW + 23 * HOUR;
    let (usage, hourly) = store.app_usage("oc_a", later).await.unwrap();
    assert_eq!(usage.issued_24h, 2);
    assert_eq!(hourly[0], 2);
    // A day later nothing is in the window; "last used" still says when.
    let (usage, hourly) = store.app_usage("oc_a", NOW + 24 * HOUR).await.unwrap();
    assert_eq!(
        usage,
        AppUsage {
            last_issued_at: Some(NOW + 2),
            issued_24h: 0
        }
    );
    assert_eq!(hourly, vec![0; USAGE_HOURS]);
    let listed = store.list_app_usage(NOW + 24 * HOUR).await.unwrap();
    assert_eq!(listed.get("oc_a"), Some(&usage));
    assert_eq!(
        store.list_app_usage(NOW + 100).await.unwrap().get("oc_a"),
        Some(&AppUsage {
            last_issued_at: Some(NOW + 2),
            issued_24h: 3
        })
    );
    // An app never used has no counters at all.
    assert_eq!(listed.get("oc_idle"), None);
}
on_both_stores!(hours_roll_out_of_the_window_but_the_last_use_stays);

fn policy(usage_before: i64, limit: u32) -> PurgePolicy {
    PurgePolicy {
        tokens_expired_before: 0,
        access_revoked_before: 0,
        codes_expired_before: 0,
        audit_before: None,
        usage_before,
        limit,
    }
}

async fn hours(store: &Arc<dyn Store>, client_id: &str) -> Vec<i64> {
    store
        .list_usage_hours(client_id)
        .await
        .unwrap()
        .iter()
        .map(|h| h.hour)
        .collect()
}

async fn purge_deletes_old_hours_but_keeps_each_apps_newest(store: Arc<dyn Store>) {
    store.insert_app(app("oc_busy")).await.unwrap();
    store.insert_app(app("oc_dead")).await.unwrap();
    let h = NOW / HOUR;
    for (i, ago) in [100, 60, 0].into_iter().enumerate() {
        store
            .insert_tokens(pair(&format!("busy{i}"), "oc_busy", NOW - ago * HOUR))
            .await
            .unwrap();
    }
    for (i, ago) in [100, 90].into_iter().enumerate() {
        store
            .insert_tokens(pair(&format!("dead{i}"), "oc_dead", NOW - ago * HOUR))
            .await
            .unwrap();
    }
    assert_eq!(hours(&store, "oc_busy").await, [h - 100, h - 60, h]);

    // Bounded like every other table: one row per call here.
    let cutoff = NOW - 48 * HOUR;
    let first = store.purge_expired(policy(cutoff, 1)).await.unwrap();
    assert_eq!(first.usage_hours, 1);
    let rest = store.purge_expired(policy(cutoff, 100)).await.unwrap();
    assert_eq!(rest.usage_hours, 2);
    assert_eq!(hours(&store, "oc_busy").await, [h]);
    // The dead app keeps its newest hour, though it is past the cutoff: "last used".
    assert_eq!(hours(&store, "oc_dead").await, [h - 90]);
    let dead = store.app_usage("oc_dead", NOW).await.unwrap().0;
    assert_eq!(dead.last_issued_at, Some(NOW - 90 * HOUR));
    assert_eq!(dead.issued_24h, 0);
    let again = store.purge_expired(policy(cutoff, 100)).await.unwrap();
    assert_eq!(again.usage_hours, 0);
}
on_both_stores!(purge_deletes_old_hours_but_keeps_each_apps_newest);

async fn deleting_an_app_deletes_its_usage(store: Arc<dyn Store>) {
    store.insert_app(app("oc_a")).await.unwrap();
    store.insert_app(app("oc_b")).await.unwrap();
    store.insert_tokens(pair("a", "oc_a", NOW)).await.unwrap();
    store.insert_tokens(pair("b", "oc_b", NOW)).await.unwrap();
    store.delete_app("oc_a").await.unwrap();
    assert!(hours(&store, "oc_a").await.is_empty());
    let listed = store.list_app_usage(NOW).await.unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed["oc_b"].issued_24h, 1);
    // An app registered again under the same ID starts from nothing.
    store.insert_app(app("oc_a")).await.unwrap();
    assert_eq!(
        store.app_usage("oc_a", NOW).await.unwrap().0,
        AppUsage::default()
    );
}
on_both_stores!(deleting_an_app_deletes_its_usage);

async fn concurrent_inserts_give_exact_totals(store: Arc<dyn Store>) {
    store.insert_app(app("oc_a")).await.unwrap();
    store.insert_app(app("oc_b")).await.unwrap();
    const TASKS: usize = 300;
    let start = Arc::new(tokio::sync::Barrier::new(TASKS));
    let tasks: Vec<_> = (0..TASKS)
        .map(|i| {
            let (store, start) = (Arc::clone(&store), Arc::clone(&start));
            tokio::spawn(async move {
                let client = if i % 3 == 0 { "oc_b" } else { "oc_a" };
                // Two hours in play, so one group holds several (app, hour) pairs.
                let at = if i % 2 == 0 { NOW - HOUR } else { NOW + 7 };
                start.wait().await;
                store
                    .insert_tokens(pair(&format!("t{i}"), client, at))
                    .await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let listed = store.list_app_usage(NOW + 10).await.unwrap();
    assert_eq!(listed["oc_b"].issued_24h, 100);
    assert_eq!(listed["oc_a"].issued_24h, 200);
    let (_, hourly) = store.app_usage("oc_a", NOW + 10).await.unwrap();
    assert_eq!(hourly[USAGE_HOURS - 1] + hourly[USAGE_HOURS - 2], 200);
    assert_eq!(hourly[USAGE_HOURS - 1], 100);
    let hours = store.list_usage_hours("oc_a").await.unwrap();
    assert_eq!(hours.len(), 2);
    assert_eq!(hours[1].last_issued_at, NOW + 7);
}
on_both_stores!(
    concurrent_inserts_give_exact_totals,
    flavor = "multi_thread",
    worker_threads = 4
);

async fn a_failed_insert_is_not_counted(store: Arc<dyn Store>) {
    store.insert_app(app("oc_a")).await.unwrap();
    store.insert_tokens(pair("x", "oc_a", NOW)).await.unwrap();
    // The same token again clashes: nothing of it is stored, or counted.
    assert!(store.insert_tokens(pair("x", "oc_a", NOW)).await.is_err());
    // Tokens of an unknown app are refused and counted nowhere.
    assert!(
        store
            .insert_tokens(pair("y", "oc_gone", NOW))
            .await
            .is_err()
    );
    assert_eq!(issued_24h(&store, "oc_a", NOW).await, 1);
    assert!(store.list_usage_hours("oc_gone").await.unwrap().is_empty());
}
on_both_stores!(a_failed_insert_is_not_counted);

async fn replaced_hours_are_read_back_as_given(store: Arc<dyn Store>) {
    store.insert_app(app("oc_a")).await.unwrap();
    store.insert_tokens(pair("x", "oc_a", NOW)).await.unwrap();
    let given = vec![
        UsageHour {
            hour: NOW / HOUR - 30,
            issued: 12,
            last_issued_at: NOW - 30 * HOUR + 9,
        },
        UsageHour {
            hour: NOW / HOUR,
            issued: 5,
            last_issued_at: NOW + 3,
        },
    ];
    store
        .replace_usage_hours("oc_a", given.clone())
        .await
        .unwrap();
    assert_eq!(store.list_usage_hours("oc_a").await.unwrap(), given);
}
on_both_stores!(replaced_hours_are_read_back_as_given);
