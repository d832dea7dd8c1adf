//! What an administrator changes binds at once, over real HTTP: a scope, grant or
//! redirect URL taken away is gone from the next refresh, from introspection and from
//! code and device-code exchange; a deleted app's tokens are inactive; the audit
//! record of the change says how many active tokens it affected.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use oauth_console::domain::{AppPatch, GrantType, Platform, Scope};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::*;

/// A Web app allowed monitoring, control and refresh tokens.
fn web_with_control() -> oauth_console::domain::AppDraft {
    draft(
        Platform::Web,
        &[WEB_REDIRECT],
        &[Scope::Monitoring, Scope::Control, Scope::OfflineAccess],
        &[GrantType::AuthorizationCode, GrantType::RefreshToken],
    )
}

struct Issued {
    client_id: String,
    secret: String,
    access: String,
    refresh: String,
}

async fn code_for(t: &TestServer, client_id: &str, scope: &str) -> String {
    let url = t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", WEB_REDIRECT),
        ("scope", scope),
        ("state", "s1"),
    ]);
    t.approve_code(&url).await
}

async fn exchange(
    t: &TestServer,
    client_id: &str,
    secret: &str,
    code: &str,
) -> (StatusCode, Value) {
    let (status, _, body) = t
        .token(
            &[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", WEB_REDIRECT),
            ],
            Some((client_id, secret)),
        )
        .await;
    (status, body)
}

/// alice authorised the app for monitoring, control and offline access.
async fn issued(t: &TestServer) -> Issued {
    let created = t.create_app(web_with_control()).await;
    let client_id = created.app.client_id.clone();
    let secret = created.client_secret.unwrap();
    let code = code_for(t, &client_id, "monitoring control offline_access").await;
    let (status, body) = exchange(t, &client_id, &secret, &code).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["scope"], "monitoring control offline_access");
    Issued {
        client_id,
        secret,
        access: body["access_token"].as_str().unwrap().to_string(),
        refresh: body["refresh_token"].as_str().unwrap().to_string(),
    }
}

async fn refresh(t: &TestServer, issued: &Issued) -> (StatusCode, Value) {
    let (status, _, body) = t
        .token(
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", issued.refresh.as_str()),
            ],
            Some((&issued.client_id, &issued.secret)),
        )
        .await;
    (status, body)
}

fn scopes(patch: &[Scope]) -> AppPatch {
    AppPatch {
        scopes: Some(patch.to_vec()),
        ..AppPatch::default()
    }
}

#[tokio::test]
async fn a_scope_taken_away_is_gone_from_introspection_and_the_next_refresh() {
    let t = TestServer::start_with_user().await;
    let issued = issued(&t).await;
    t.admin
        .patch_app(
            &issued.client_id,
            &scopes(&[Scope::Monitoring, Scope::OfflineAccess]),
        )
        .await
        .unwrap();

    let seen = t.introspect(&issued.access).await;
    assert_eq!(seen["active"], true, "{seen}");
    assert_eq!(seen["scope"], "monitoring offline_access", "{seen}");

    let (status, body) = refresh(&t, &issued).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["scope"], "monitoring offline_access");
    let renewed = t.introspect(body["access_token"].as_str().unwrap()).await;
    assert_eq!(renewed["scope"], "monitoring offline_access", "{renewed}");
}

#[tokio::test]
async fn with_no_scope_left_refresh_is_refused_and_tokens_are_inactive() {
    let t = TestServer::start_with_user().await;
    let issued = issued(&t).await;
    t.admin
        .patch_app(
            &issued.client_id,
            &scopes(&[Scope::Management, Scope::OfflineAccess]),
        )
        .await
        .unwrap();

    assert_eq!(t.introspect(&issued.access).await, json!({"active": false}));
    assert_eq!(
        t.introspect(&issued.refresh).await,
        json!({"active": false})
    );
    let (status, body) = refresh(&t, &issued).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn a_removed_refresh_grant_refuses_refresh_and_ends_refresh_tokens() {
    let t = TestServer::start_with_user().await;
    let issued = issued(&t).await;
    t.admin
        .patch_app(
            &issued.client_id,
            &AppPatch {
                // Offline access goes with the refresh grant (a platform rule).
                scopes: Some(vec![Scope::Monitoring, Scope::Control]),
                grant_types: Some(vec![GrantType::AuthorizationCode]),
                ..AppPatch::default()
            },
        )
        .await
        .unwrap();

    let (status, body) = refresh(&t, &issued).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        t.introspect(&issued.refresh).await,
        json!({"active": false})
    );
    // The access token keeps what it still may: only refreshing ended.
    assert_eq!(
        t.introspect(&issued.access).await["scope"],
        "monitoring control"
    );
}

#[tokio::test]
async fn a_deleted_apps_tokens_are_inactive() {
    let t = TestServer::start_with_user().await;
    let issued = issued(&t).await;
    t.admin.delete_app(&issued.client_id).await.unwrap();
    assert_eq!(t.introspect(&issued.access).await, json!({"active": false}));
    assert_eq!(
        t.introspect(&issued.refresh).await,
        json!({"active": false})
    );
}

#[tokio::test]
async fn a_code_is_exchanged_against_the_app_as_it_is_now() {
    let t = TestServer::start_with_user().await;
    let created = t.create_app(web_with_control()).await;
    let client_id = created.app.client_id.clone();
    let secret = created.client_secret.unwrap();

    // A scope removed between consent and exchange is not issued.
    let code = code_for(&t, &client_id, "monitoring control").await;
    t.admin
        .patch_app(
            &client_id,
            &scopes(&[Scope::Monitoring, Scope::OfflineAccess]),
        )
        .await
        .unwrap();
    let (status, body) = exchange(&t, &client_id, &secret, &code).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["scope"], "monitoring");

    // A redirect URL removed between consent and exchange refuses the code.
    let code = code_for(&t, &client_id, "monitoring").await;
    t.admin
        .patch_app(
            &client_id,
            &AppPatch {
                redirect_urls: Some(vec!["https://app.example.com/elsewhere".into()]),
                ..AppPatch::default()
            },
        )
        .await
        .unwrap();
    let (status, body) = exchange(&t, &client_id, &secret, &code).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn the_audit_record_and_the_preview_say_how_many_tokens_are_affected() {
    let t = TestServer::start_with_user().await;
    let issued = issued(&t).await;
    let narrower = scopes(&[Scope::Monitoring, Scope::OfflineAccess]);

    let preview = t
        .admin
        .preview_app_patch(&issued.client_id, &narrower)
        .await
        .unwrap();
    assert_eq!(preview.active_tokens, 2);
    assert_eq!(preview.affected_tokens, 2);
    assert_eq!(preview.losing_scope.get(&Scope::Control), Some(&2));
    assert_eq!(
        preview.summary(),
        "2 active tokens carry Control; they lose it now"
    );
    // A preview saves nothing.
    let app = t.admin.get_app(&issued.client_id).await.unwrap();
    assert!(app.app.scopes.contains(&Scope::Control));
    assert_eq!(
        t.introspect(&issued.access).await["scope"],
        "monitoring control offline_access"
    );

    t.admin
        .patch_app(&issued.client_id, &narrower)
        .await
        .unwrap();
    let page = t
        .admin
        .list_audit_filtered(&oauth_console::domain::wire::AuditFilter {
            action: Some("app.update".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let after = page.records[0].after.clone().unwrap();
    assert_eq!(after["affected_tokens"], 2, "{after}");
    assert_eq!(after["impact"]["losing_scope"]["control"], 2, "{after}");
}
