//! The admin API, driven by the typed `AdminClient` the console and CLI use, and by
//! raw HTTP where the wire matters.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use oauth_console::api::{AdminClient, TokenFilter};
use oauth_console::domain::{AppPatch, Field, Platform, Scope};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::*;

#[tokio::test]
async fn no_key_or_a_wrong_key_is_401() {
    let t = TestServer::start().await;
    let response = t.http.get(t.url("admin/v1/apps")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "unauthorized");

    let wrong = AdminClient::new(t.server.base_url(), "ocak_not-a-key".into()).unwrap();
    let err = wrong.list_apps().await.unwrap_err();
    assert_eq!(err.status(), Some(401));
}

#[tokio::test]
async fn a_read_only_key_can_read_but_not_write() {
    let t = TestServer::start().await;
    t.create_app(api_app()).await;
    let key = t.server.create_admin_key("viewer", true).await.unwrap();
    let viewer = AdminClient::new(t.server.base_url(), key).unwrap();
    let me = viewer.whoami().await.unwrap();
    assert_eq!(me.name, "viewer");
    assert!(me.read_only);
    assert_eq!(viewer.list_apps().await.unwrap().len(), 1);

    let err = viewer.create_app(&api_app()).await.unwrap_err();
    assert_eq!(err.status(), Some(403));
    let err = viewer
        .create_user("bob", "long enough password")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403));
    assert_eq!(
        t.admin.list_apps().await.unwrap().len(),
        1,
        "nothing was created"
    );
}

#[tokio::test]
async fn whoami_and_admin_keys_describe_the_default_key_without_its_hash() {
    let t = TestServer::start().await;
    let me = t.admin.whoami().await.unwrap();
    assert_eq!(me.name, "default");
    assert!(!me.read_only);
    let raw: Value = t
        .http
        .get(t.url("admin/v1/admin-keys"))
        .bearer_auth(&t.admin_key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(raw["keys"][0]["name"], "default");
    assert!(raw["keys"][0].get("hash").is_none());
    assert!(!raw.to_string().contains(&t.admin_key));
}

#[cfg(unix)]
#[tokio::test]
async fn the_admin_key_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let t = TestServer::start().await;
    let mode = std::fs::metadata(t.server.admin_key_file())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[tokio::test]
async fn apps_can_be_created_read_updated_patched_and_deleted() {
    let t = TestServer::start().await;
    let created = t.create_app(web_app()).await;
    assert!(created.app.client_id.starts_with("oc_"));
    assert!(
        created
            .client_secret
            .as_deref()
            .unwrap()
            .starts_with("ocs_")
    );

    let details = t.admin.get_app(&created.app.client_id).await.unwrap();
    assert_eq!(details.app.name, "Test Web");
    assert_eq!(details.active_tokens, 0);

    let mut draft = web_app();
    draft.name = "Renamed".into();
    draft
        .redirect_urls
        .push("https://app.example.com/other".into());
    let updated = t
        .admin
        .update_app(&created.app.client_id, &draft)
        .await
        .unwrap();
    assert_eq!(updated.name, "Renamed");
    assert_eq!(updated.redirect_urls.len(), 2);

    let patched = t
        .admin
        .patch_app(
            &created.app.client_id,
            &AppPatch {
                scopes: Some(vec![Scope::Monitoring]),
                ..AppPatch::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(patched.scopes, vec![Scope::Monitoring]);
    assert_eq!(patched.name, "Renamed");

    t.admin.delete_app(&created.app.client_id).await.unwrap();
    let err = t.admin.get_app(&created.app.client_id).await.unwrap_err();
    assert!(err.is_not_found());
}

#[tokio::test]
async fn a_draft_that_breaks_platform_rules_is_422_with_violations() {
    let t = TestServer::start().await;
    let mut bad = api_app();
    bad.redirect_urls = vec!["https://x.example.com/cb".into()];
    bad.name = "  ".into();
    let err = t.admin.create_app(&bad).await.unwrap_err();
    assert_eq!(err.status(), Some(422));
    let oauth_console::api::ApiError::Server {
        error, violations, ..
    } = err
    else {
        panic!("server error expected");
    };
    assert_eq!(error, "invalid_app");
    assert!(violations.iter().any(|v| v.field == Field::Name));
    assert!(violations.iter().any(|v| v.field == Field::RedirectUrls));
}

#[tokio::test]
async fn the_platform_of_an_app_cannot_change() {
    let t = TestServer::start().await;
    let created = t.create_app(web_app()).await;
    let mut draft = web_app();
    draft.platform = Platform::SinglePage;
    let err = t
        .admin
        .update_app(&created.app.client_id, &draft)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(422));
}

#[tokio::test]
async fn malformed_json_is_400_and_unknown_apps_are_404() {
    let t = TestServer::start().await;
    let response = t
        .http
        .post(t.url("admin/v1/apps"))
        .bearer_auth(&t.admin_key)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request");
    assert_eq!(
        t.admin.get_app("oc_missing").await.unwrap_err().status(),
        Some(404)
    );
    assert_eq!(
        t.admin.delete_app("oc_missing").await.unwrap_err().status(),
        Some(404)
    );
}

async fn client_credentials(t: &TestServer, client_id: &str, secret: &str) -> (StatusCode, Value) {
    let (status, _, body) = t
        .token(
            &[("grant_type", "client_credentials")],
            Some((client_id, secret)),
        )
        .await;
    (status, body)
}

#[tokio::test]
async fn after_rotation_without_grace_the_old_secret_fails_and_the_new_one_works() {
    let t = TestServer::start().await;
    let created = t.create_app(api_app()).await;
    let id = created.app.client_id.clone();
    let old = created.client_secret.unwrap();
    assert_eq!(client_credentials(&t, &id, &old).await.0, StatusCode::OK);

    // A bare rotation keeps the old secret for a grace period (tests/operator_server.rs);
    // 0 cuts it off at once.
    let rotated = t
        .admin
        .rotate_secret_with_grace(&id, Some(0))
        .await
        .unwrap();
    assert_ne!(rotated.client_secret, old);
    assert_eq!(
        client_credentials(&t, &id, &old).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        client_credentials(&t, &id, &rotated.client_secret).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn public_apps_have_no_secret_to_rotate() {
    let t = TestServer::start().await;
    let created = t.create_app(native_app()).await;
    assert!(created.client_secret.is_none());
    assert_eq!(
        t.admin
            .rotate_secret(&created.app.client_id)
            .await
            .unwrap_err()
            .status(),
        Some(400)
    );
}

#[tokio::test]
async fn every_change_leaves_an_audit_record_without_secrets() {
    let t = TestServer::start().await;
    let created = t.create_app(web_app()).await;
    let id = created.app.client_id.clone();
    let mut draft = web_app();
    draft.name = "Audited".into();
    t.admin.update_app(&id, &draft).await.unwrap();
    let rotated = t.admin.rotate_secret(&id).await.unwrap();
    t.admin.delete_app(&id).await.unwrap();

    let page = t.admin.list_audit(None, None).await.unwrap();
    let actions: Vec<&str> = page.records.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "app.delete",
            "app.rotate_secret",
            "app.update",
            "app.create"
        ]
    );
    assert!(
        page.records
            .iter()
            .all(|r| r.actor == "default" && r.target == id)
    );
    let update = &page.records[2];
    assert_eq!(update.before.as_ref().unwrap()["name"], "Test Web");
    assert_eq!(update.after.as_ref().unwrap()["name"], "Audited");

    let everything = serde_json::to_string(&page).unwrap();
    assert!(!everything.contains(created.client_secret.as_deref().unwrap()));
    assert!(!everything.contains(&rotated.client_secret));
    assert!(!everything.contains("secret_hash"));

    let first = t.admin.list_audit(Some(2), None).await.unwrap();
    assert_eq!(first.records.len(), 2);
    let rest = t
        .admin
        .list_audit(Some(10), first.next_cursor.as_deref())
        .await
        .unwrap();
    assert_eq!(rest.records.len(), 2);
    assert_eq!(rest.records[0].action, "app.update");
}

#[tokio::test]
async fn tokens_can_be_listed_and_revoked_one_by_one_or_per_app() {
    let t = TestServer::start().await;
    let created = t.create_app(api_app()).await;
    let id = created.app.client_id.clone();
    let secret = created.client_secret.unwrap();
    let mut access = Vec::new();
    for _ in 0..3 {
        let (_, body) = client_credentials(&t, &id, &secret).await;
        access.push(body["access_token"].as_str().unwrap().to_string());
    }
    let filter = TokenFilter {
        client_id: Some(id.clone()),
        active_only: true,
        ..TokenFilter::default()
    };
    let page = t.admin.list_tokens(&filter).await.unwrap();
    assert_eq!(page.tokens.len(), 3);
    assert!(page.tokens.iter().all(|tok| tok.id.starts_with("tok_")));
    let listed = serde_json::to_string(&page).unwrap();
    assert!(
        access.iter().all(|a| !listed.contains(a.as_str())),
        "tokens never listed"
    );
    assert_eq!(t.admin.get_app(&id).await.unwrap().active_tokens, 3);

    let paged = t
        .admin
        .list_tokens(&TokenFilter {
            limit: Some(2),
            ..filter.clone()
        })
        .await
        .unwrap();
    assert_eq!(paged.tokens.len(), 2);
    assert!(paged.next_cursor.is_some());

    let victim = page.tokens[0].id.clone();
    t.admin.revoke_token(&victim).await.unwrap();
    assert_eq!(t.admin.list_tokens(&filter).await.unwrap().tokens.len(), 2);
    assert_eq!(
        t.admin
            .revoke_token("tok_missing")
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );

    let count = t.admin.revoke_app_tokens(&id).await.unwrap();
    assert_eq!(count.revoked, 2);
    for a in &access {
        assert!(!t.is_active(a).await);
    }
    let audit = t.admin.list_audit(None, None).await.unwrap();
    assert_eq!(audit.records[0].action, "app.revoke_tokens");
    assert_eq!(audit.records[1].action, "token.revoke");
}

#[tokio::test]
async fn users_are_created_once() {
    let t = TestServer::start().await;
    t.admin.create_user("bob", "a long password").await.unwrap();
    let err = t
        .admin
        .create_user("bob", "another long one")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(409));
    let err = t.admin.create_user("carol", "short").await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    let audit = t.admin.list_audit(None, None).await.unwrap();
    assert_eq!(audit.records[0].action, "user.create");
    assert!(
        !serde_json::to_string(&audit)
            .unwrap()
            .contains("a long password")
    );
}

#[tokio::test]
async fn repeated_query_parameters_are_rejected_on_listings() {
    let t = TestServer::start().await;
    let response = t
        .http
        .get(t.url("admin/v1/tokens?limit=1&limit=2"))
        .bearer_auth(&t.admin_key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({"error": "invalid_request", "error_description": "The parameter \"limit\" is repeated"})
    );
}

#[tokio::test]
async fn a_tampered_page_cursor_is_a_400_not_a_server_error() {
    let t = TestServer::start().await;
    let response = t
        .http
        .get(t.url("admin/v1/tokens?cursor=bm90LWEtY3Vyc29y"))
        .bearer_auth(&t.admin_key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("invalid page cursor"),
        "{body}"
    );
}

#[tokio::test]
async fn an_oversized_admin_body_is_413_with_an_error_body() {
    let t = TestServer::start().await;
    let mut draft = api_app();
    draft.name = "x".repeat(100 * 1024);
    let err = t.admin.create_app(&draft).await.unwrap_err();
    assert_eq!(err.status(), Some(413));
    let oauth_console::api::ApiError::Server { error, .. } = err else {
        panic!("server error expected");
    };
    assert_eq!(error, "invalid_request");
}
