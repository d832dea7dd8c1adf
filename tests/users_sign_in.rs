//! A disabled user, over real HTTP: refused on the consent page and on the device page
//! with the same words as a wrong password (and throttled alike), their tokens
//! inactive at introspection and their refresh token refused; enabled again, they sign
//! in; a sign-in is recorded. And the check at token time, for a token minted in the
//! moment between disabling and revoking.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use oauth_console::domain::{
    AppDraft, AuditRecord, GrantType, Platform, Scope, TokenKind, TokenRecord, UserPatch,
};
use oauth_console::service::crypto::sha256_hex;
use oauth_console::service::{Introspector, Service, ServiceError};
use oauth_console::store::sqlite::SqliteStore;
use oauth_console::store::{AdminChange, Store};
use reqwest::StatusCode;
use std::sync::Arc;
use support::*;
use tempfile::TempDir;

const WRONG: &str = "Wrong username or password.";

fn set_disabled(disabled: bool) -> UserPatch {
    UserPatch {
        disabled: Some(disabled),
        ..UserPatch::default()
    }
}

fn code_url(t: &TestServer, client_id: &str) -> url::Url {
    t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", WEB_REDIRECT),
        ("scope", "monitoring offline_access"),
        ("state", "s"),
    ])
}

#[tokio::test]
async fn a_disabled_user_is_refused_on_the_consent_page_and_their_tokens_stop_working() {
    let t = TestServer::start_with_user().await;
    let app = t.create_app(web_app()).await;
    let (client_id, secret) = (app.app.client_id.clone(), app.client_secret.unwrap());
    assert_eq!(
        t.admin.get_user(USERNAME).await.unwrap().user.last_sign_in,
        None
    );

    let code = t.approve_code(&code_url(&t, &client_id)).await;
    let (status, _, tokens) = t
        .token(
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", WEB_REDIRECT),
            ],
            Some((&client_id, &secret)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap();
    assert!(t.is_active(access).await);
    let signed_in = t.admin.get_user(USERNAME).await.unwrap().user.last_sign_in;
    assert!(signed_in.is_some(), "the sign-in was not recorded");

    t.admin
        .patch_user(USERNAME, &set_disabled(true))
        .await
        .unwrap();

    // The right password, refused as a wrong one would be: nothing says the account exists.
    let (status, location, page) = t
        .consent(&code_url(&t, &client_id), USERNAME, PASSWORD, "approve")
        .await;
    assert!(location.is_none(), "a disabled user got a code");
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(WRONG), "{page}");
    let (_, _, unknown) = t
        .consent(&code_url(&t, &client_id), "nobody", PASSWORD, "approve")
        .await;
    assert!(unknown.contains(WRONG), "{unknown}");

    assert_eq!(
        t.introspect(access).await,
        serde_json::json!({"active": false})
    );
    assert_eq!(
        t.introspect(refresh).await,
        serde_json::json!({"active": false})
    );
    let (status, _, body) = t
        .token(
            &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
            Some((&client_id, &secret)),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"], "invalid_grant");

    // Enabled again: they sign in and get a code.
    t.admin
        .patch_user(USERNAME, &set_disabled(false))
        .await
        .unwrap();
    let code = t.approve_code(&code_url(&t, &client_id)).await;
    assert!(!code.is_empty());
}

#[tokio::test]
async fn a_disabled_users_attempts_count_toward_the_sign_in_throttle() {
    let t = TestServer::start_with_user().await;
    let app = t.create_app(web_app()).await;
    t.admin
        .patch_user(USERNAME, &set_disabled(true))
        .await
        .unwrap();
    let url = code_url(&t, &app.app.client_id);
    for attempt in 1..=5 {
        let (status, _, page) = t.consent(&url, USERNAME, PASSWORD, "approve").await;
        assert_eq!(status, StatusCode::OK, "attempt {attempt}");
        assert!(page.contains(WRONG), "attempt {attempt}: {page}");
    }
    let (status, _, page) = t.consent(&url, USERNAME, PASSWORD, "approve").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{page}");
    assert!(page.contains("Too many failed attempts."), "{page}");
}

fn device_app() -> AppDraft {
    draft(
        Platform::Native,
        &[],
        &[Scope::Monitoring],
        &[GrantType::DeviceCode],
    )
}

#[tokio::test]
async fn a_disabled_user_is_refused_on_the_device_page() {
    let t = TestServer::start_with_user().await;
    let app = t.create_app(device_app()).await;
    let start = |client_id: String| {
        let t = &t;
        async move {
            let (status, _, started) = t
                .post_form(
                    "oauth/device_authorization",
                    &[("client_id", &client_id), ("scope", "monitoring")],
                    None,
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{started}");
            started
        }
    };
    t.admin
        .patch_user(USERNAME, &set_disabled(true))
        .await
        .unwrap();
    let started = start(app.app.client_id.clone()).await;
    let (status, page) = t
        .answer_device(
            started["verification_uri_complete"].as_str().unwrap(),
            started["user_code"].as_str().unwrap(),
            PASSWORD,
            "approve",
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(WRONG), "{page}");
    assert!(!page.contains("value=\"approve\""), "{page}");
    assert_eq!(
        t.admin.get_user(USERNAME).await.unwrap().user.last_sign_in,
        None
    );

    // Enabled again, the same person gets to the confirmation and approves.
    t.admin
        .patch_user(USERNAME, &set_disabled(false))
        .await
        .unwrap();
    let started = start(app.app.client_id.clone()).await;
    let (status, page) = t
        .answer_device(
            started["verification_uri_complete"].as_str().unwrap(),
            started["user_code"].as_str().unwrap(),
            PASSWORD,
            "approve",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(!page.contains(WRONG), "{page}");
    assert!(
        t.admin
            .get_user(USERNAME)
            .await
            .unwrap()
            .user
            .last_sign_in
            .is_some()
    );
}

/// A token stored for a user after they were disabled (as if minted between the
/// disable and its revocation): the user as they are now makes it worthless.
#[tokio::test]
async fn a_token_minted_after_disabling_is_inactive_and_cannot_refresh() {
    let dir = TempDir::new().unwrap();
    let store = Arc::new(SqliteStore::open(&dir.path().join("oauth.db")).unwrap());
    let service = Service::with_defaults(store.clone());
    let created = service.create_app("test", web_app()).await.unwrap();
    let app = created.app;
    service
        .create_user("test", USERNAME, PASSWORD)
        .await
        .unwrap();
    let record = AuditRecord {
        id: 0,
        at: 0,
        actor: "test".into(),
        action: "user.disable".into(),
        target: USERNAME.into(),
        before: None,
        after: None,
    };
    let now = service.now();
    let disable = AdminChange::SetUserDisabled {
        username: USERNAME.into(),
        disabled: true,
        now,
    };
    store.write_admin_change(disable, record).await.unwrap();

    let token = |id: &str, kind: TokenKind, secret: &str| TokenRecord {
        id: id.into(),
        hash: sha256_hex(secret),
        kind,
        client_id: app.client_id.clone(),
        subject: USERNAME.into(),
        scopes: vec![Scope::Monitoring, Scope::OfflineAccess],
        grant: GrantType::AuthorizationCode,
        issued_at: now,
        expires_at: now + 600,
        family_id: "fam-late".into(),
        revoked_at: None,
        family_expires_at: None,
        // Secrets in no particular format, as an older build's tokens: found by hash.
        found_by_hash: true,
    };
    store
        .insert_tokens(vec![
            token("tok_late_a", TokenKind::Access, "oca_late"),
            token("tok_late_r", TokenKind::Refresh, "ocr_late"),
        ])
        .await
        .unwrap();
    let seen = service
        .introspect(&Introspector::Admin, "oca_late")
        .await
        .unwrap();
    assert!(!seen.active);
    let refreshed = service.refresh_grant(&app, Some("ocr_late"), None).await;
    assert!(
        matches!(refreshed, Err(ServiceError::InvalidGrant(_))),
        "{refreshed:?}"
    );

    // The same tokens work once the user is enabled: it was the user, not the tokens.
    service
        .patch_user("test", USERNAME, set_disabled(false))
        .await
        .unwrap();
    let seen = service
        .introspect(&Introspector::Admin, "oca_late")
        .await
        .unwrap();
    assert!(seen.active);
}
