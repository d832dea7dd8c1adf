//! Operator features of the server over real HTTP: client secret rotation with a
//! grace period, admin keys made and revoked through the API, and the audit log's
//! filters. The server's clock is one the test moves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use oauth_console::api::AdminClient;
use oauth_console::domain::wire::AuditFilter;
use reqwest::StatusCode;
use std::sync::Arc;
use support::*;

const START: i64 = 1_800_000_000;
const DAY: i64 = 24 * 3600;

async fn start_with_clock() -> (TestServer, Arc<TestClock>) {
    TestServer::start_with_clock(START).await
}

/// The status of a client credentials request with this secret.
async fn client_credentials(t: &TestServer, client_id: &str, secret: &str) -> StatusCode {
    t.token(
        &[("grant_type", "client_credentials")],
        Some((client_id, secret)),
    )
    .await
    .0
}

fn client_for(t: &TestServer, key: &str) -> AdminClient {
    AdminClient::new(t.server.base_url(), key.to_string()).unwrap()
}

#[tokio::test]
async fn a_rotated_secret_keeps_working_for_a_day_and_not_after() {
    let (t, clock) = start_with_clock().await;
    let created = t.create_app(api_app()).await;
    let id = created.app.client_id.clone();
    let old = created.client_secret.unwrap();

    let rotated = t.admin.rotate_secret(&id).await.unwrap();
    assert_eq!(rotated.previous_secret_expires_at, Some(START + DAY));
    let details = t.admin.get_app(&id).await.unwrap();
    assert_eq!(details.app.previous_secret_expires_at, Some(START + DAY));

    clock.advance(DAY - 1);
    assert_eq!(client_credentials(&t, &id, &old).await, StatusCode::OK);
    assert_eq!(
        client_credentials(&t, &id, &rotated.client_secret).await,
        StatusCode::OK
    );
    clock.advance(1);
    assert_eq!(
        client_credentials(&t, &id, &old).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        client_credentials(&t, &id, &rotated.client_secret).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_rotation_can_choose_its_own_grace_period() {
    let (t, clock) = start_with_clock().await;
    let created = t.create_app(api_app()).await;
    let id = created.app.client_id.clone();
    let old = created.client_secret.unwrap();

    let rotated = t
        .admin
        .rotate_secret_with_grace(&id, Some(60))
        .await
        .unwrap();
    assert_eq!(rotated.previous_secret_expires_at, Some(START + 60));
    clock.advance(59);
    assert_eq!(client_credentials(&t, &id, &old).await, StatusCode::OK);
    clock.advance(1);
    assert_eq!(
        client_credentials(&t, &id, &old).await,
        StatusCode::UNAUTHORIZED
    );

    // The next rotation gives its grace period to the secret it replaces; only that
    // one, the current and nothing older works.
    let second = t
        .admin
        .rotate_secret_with_grace(&id, Some(600))
        .await
        .unwrap();
    assert_eq!(
        client_credentials(&t, &id, &rotated.client_secret).await,
        StatusCode::OK
    );
    assert_eq!(
        client_credentials(&t, &id, &old).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        client_credentials(&t, &id, &second.client_secret).await,
        StatusCode::OK
    );

    let negative = t.admin.rotate_secret_with_grace(&id, Some(-1)).await;
    assert_eq!(negative.unwrap_err().status(), Some(400));
}

#[tokio::test]
async fn ending_the_grace_period_cuts_the_old_secret_off_at_once() {
    let (t, _) = start_with_clock().await;
    let created = t.create_app(api_app()).await;
    let id = created.app.client_id.clone();
    let old = created.client_secret.unwrap();
    let rotated = t.admin.rotate_secret(&id).await.unwrap();
    assert_eq!(client_credentials(&t, &id, &old).await, StatusCode::OK);

    let app = t.admin.end_secret_grace(&id).await.unwrap();
    assert_eq!(app.previous_secret_expires_at, None);
    assert_eq!(
        t.admin
            .get_app(&id)
            .await
            .unwrap()
            .app
            .previous_secret_expires_at,
        None
    );
    assert_eq!(
        client_credentials(&t, &id, &old).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        client_credentials(&t, &id, &rotated.client_secret).await,
        StatusCode::OK
    );
    let audit = t.admin.list_audit(Some(1), None).await.unwrap();
    assert_eq!(audit.records[0].action, "app.end_secret_grace");
    assert_eq!(
        t.admin
            .end_secret_grace("oc_missing")
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
}

#[tokio::test]
async fn an_admin_key_made_through_the_api_works_and_is_shown_once() {
    let (t, _) = start_with_clock().await;
    let created = t.admin.create_admin_key("ops", false).await.unwrap();
    assert_eq!(created.name, "ops");
    assert!(!created.read_only);
    assert!(created.key.starts_with("ocak_"));
    assert!(
        !format!("{created:?}").contains(&created.key),
        "Debug hides the key"
    );

    let ops = client_for(&t, &created.key);
    let me = ops.whoami().await.unwrap();
    assert_eq!((me.name.as_str(), me.read_only), ("ops", false));
    ops.create_app(&api_app()).await.unwrap();

    let keys = t.admin.list_admin_keys().await.unwrap();
    let names: Vec<&str> = keys.keys.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(names, ["default", "ops"]);
    assert!(!serde_json::to_string(&keys).unwrap().contains(&created.key));

    let duplicate = t.admin.create_admin_key("ops", true).await;
    assert_eq!(duplicate.unwrap_err().status(), Some(409));
}

#[tokio::test]
async fn a_read_only_key_may_look_but_not_change_anything() {
    let (t, _) = start_with_clock().await;
    let app = t.create_app(api_app()).await;
    let viewer_key = t.admin.create_admin_key("viewer", true).await.unwrap();
    assert!(viewer_key.read_only);
    let viewer = client_for(&t, &viewer_key.key);

    assert_eq!(viewer.list_apps().await.unwrap().len(), 1);
    assert!(viewer.list_audit(None, None).await.is_ok());
    let forbidden = [
        viewer.create_app(&api_app()).await.map(|_| ()).unwrap_err(),
        viewer
            .create_admin_key("sneaky", false)
            .await
            .map(|_| ())
            .unwrap_err(),
        viewer.revoke_admin_key("default").await.unwrap_err(),
        viewer
            .rotate_secret_with_grace(&app.app.client_id, Some(0))
            .await
            .map(|_| ())
            .unwrap_err(),
        viewer
            .end_secret_grace(&app.app.client_id)
            .await
            .map(|_| ())
            .unwrap_err(),
    ];
    for error in forbidden {
        assert_eq!(error.status(), Some(403), "{error:?}");
    }
    assert_eq!(t.admin.list_admin_keys().await.unwrap().keys.len(), 2);
}

#[tokio::test]
async fn a_revoked_admin_key_is_refused_and_no_key_can_revoke_itself() {
    let (t, _) = start_with_clock().await;
    let temp = t.admin.create_admin_key("temp", false).await.unwrap();
    let temp_client = client_for(&t, &temp.key);
    assert!(temp_client.whoami().await.is_ok());

    let own = temp_client.revoke_admin_key("temp").await.unwrap_err();
    assert_eq!(own.status(), Some(409));
    assert!(own.to_string().contains("making this request"), "{own}");

    t.admin.revoke_admin_key("temp").await.unwrap();
    assert_eq!(temp_client.whoami().await.unwrap_err().status(), Some(401));
    assert_eq!(
        temp_client.list_apps().await.unwrap_err().status(),
        Some(401)
    );
    let keys = t.admin.list_admin_keys().await.unwrap();
    assert!(
        keys.keys
            .iter()
            .any(|k| k.name == "temp" && k.revoked_at == Some(START))
    );

    assert_eq!(
        t.admin.revoke_admin_key("temp").await.unwrap_err().status(),
        Some(404)
    );
    assert_eq!(
        t.admin
            .revoke_admin_key("nobody")
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
    // A name with a space travels as one path segment.
    t.admin.create_admin_key("night shift", true).await.unwrap();
    t.admin.revoke_admin_key("night shift").await.unwrap();
}

#[tokio::test]
async fn the_audit_log_filters_by_actor_action_and_target_and_holds_no_secrets() {
    let (t, _) = start_with_clock().await;
    let ops_key = t.admin.create_admin_key("ops", false).await.unwrap();
    let ops = client_for(&t, &ops_key.key);
    let first = t.create_app(api_app()).await;
    let second = ops.create_app(&api_app()).await.unwrap();
    let rotated = ops.rotate_secret(&first.app.client_id).await.unwrap();
    ops.end_secret_grace(&first.app.client_id).await.unwrap();
    t.admin.revoke_admin_key("ops").await.unwrap();

    let filtered = |actor: Option<&str>, action: Option<&str>, target: Option<&str>| {
        let admin = t.admin.clone();
        let filter = AuditFilter {
            actor: actor.map(str::to_string),
            action: action.map(str::to_string),
            target: target.map(str::to_string),
            ..AuditFilter::default()
        };
        async move { admin.list_audit_filtered(&filter).await.unwrap().records }
    };
    let actions = |records: &[oauth_console::domain::AuditRecord]| -> Vec<String> {
        records.iter().map(|r| r.action.clone()).collect()
    };

    let by_ops = filtered(Some("ops"), None, None).await;
    assert_eq!(
        actions(&by_ops),
        ["app.end_secret_grace", "app.rotate_secret", "app.create"]
    );
    let creations = filtered(None, Some("app.create"), None).await;
    assert_eq!(creations.len(), 2);
    let on_first = filtered(None, None, Some(&first.app.client_id)).await;
    assert_eq!(
        actions(&on_first),
        ["app.end_secret_grace", "app.rotate_secret", "app.create"]
    );
    let both = filtered(
        Some("default"),
        Some("app.create"),
        Some(&second.app.client_id),
    )
    .await;
    assert!(both.is_empty(), "ops created the second app, not default");
    let key_events = filtered(None, None, Some("ops")).await;
    assert_eq!(
        actions(&key_events),
        ["admin_key.revoke", "admin_key.create"]
    );
    assert!(key_events.iter().all(|r| r.actor == "default"));

    // Filters page like the plain listing.
    let page = t
        .admin
        .list_audit_filtered(&AuditFilter {
            actor: Some("ops".into()),
            limit: Some(2),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(page.records.len(), 2);
    let rest = t
        .admin
        .list_audit_filtered(&AuditFilter {
            actor: Some("ops".into()),
            limit: Some(2),
            cursor: page.next_cursor.clone(),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(actions(&rest.records), ["app.create"]);

    let everything =
        serde_json::to_string(&t.admin.list_audit(Some(500), None).await.unwrap()).unwrap();
    for secret in [
        ops_key.key.as_str(),
        t.admin_key.as_str(),
        first.client_secret.as_deref().unwrap(),
        second.client_secret.as_deref().unwrap(),
        rotated.client_secret.as_str(),
    ] {
        assert!(!everything.contains(secret), "a secret is in the audit log");
    }
    assert!(!everything.contains("hash"), "{everything}");
}
