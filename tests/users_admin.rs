//! The admin API's users calls over real HTTP, through the typed `AdminClient` the CLI
//! uses and raw HTTP where the wire matters: list, show, patch, delete, revoke, 404,
//! read-only keys refused, and every change in the audit log.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use oauth_console::api::{AdminClient, TokenFilter};
use oauth_console::domain::wire::AuditFilter;
use oauth_console::domain::{Scope, UserPatch};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::*;

/// Alice approves `client_id` (a web app) and gets tokens: returns the token answer.
async fn tokens_for_alice(t: &TestServer, client_id: &str, secret: &str) -> Value {
    let authorize = t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", WEB_REDIRECT),
        ("scope", "monitoring offline_access"),
        ("state", "s"),
    ]);
    let code = t.approve_code(&authorize).await;
    let (status, _, body) = t
        .token(
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", WEB_REDIRECT),
            ],
            Some((client_id, secret)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

struct Web {
    id: String,
    secret: String,
}

async fn web(t: &TestServer) -> Web {
    let created = t.create_app(web_app()).await;
    Web {
        id: created.app.client_id,
        secret: created.client_secret.unwrap(),
    }
}

async fn audit_actions(t: &TestServer, target: &str) -> Vec<Value> {
    let page = t
        .admin
        .list_audit_filtered(&AuditFilter {
            target: Some(target.to_string()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    page.records
        .into_iter()
        .map(|r| json!({"action": r.action, "actor": r.actor, "after": r.after}))
        .collect()
}

#[tokio::test]
async fn users_are_listed_with_their_tokens_and_shown_with_their_grants() {
    let t = TestServer::start_with_user().await;
    t.admin
        .create_user("bob", "another long one")
        .await
        .unwrap();
    let app = web(&t).await;
    tokens_for_alice(&t, &app.id, &app.secret).await;
    tokens_for_alice(&t, &app.id, &app.secret).await;

    let users = t.admin.list_users().await.unwrap();
    let rows: Vec<(&str, u64, u64)> = users
        .iter()
        .map(|u| (u.username.as_str(), u.active_tokens, u.authorised_apps))
        .collect();
    // Two approvals, each an access and a refresh token, at one app.
    assert_eq!(rows, [("alice", 4, 1), ("bob", 0, 0)]);
    assert!(users[0].last_sign_in.is_some(), "alice signed in");
    assert_eq!(users[1].last_sign_in, None);

    let details = t.admin.get_user(USERNAME).await.unwrap();
    assert_eq!(details.grants.len(), 2);
    let grant = &details.grants[0];
    assert_eq!(grant.client_id, app.id);
    assert_eq!(grant.app_name, web_app().name);
    assert_eq!(grant.scopes, [Scope::Monitoring, Scope::OfflineAccess]);
    assert_eq!(grant.active_tokens, 2);

    // The wire: flattened user fields, and never a password hash.
    let raw: Value = t
        .http
        .get(t.url("admin/v1/users/alice"))
        .bearer_auth(&t.admin_key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(raw["username"], "alice");
    assert_eq!(raw["active_tokens"], 4);
    assert!(!raw.to_string().contains("argon2"), "{raw}");

    // The tokens listing by subject shows alice's tokens only.
    let page = t
        .admin
        .list_tokens(&TokenFilter {
            subject: Some(USERNAME.into()),
            ..TokenFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(page.tokens.len(), 4);
    assert!(page.tokens.iter().all(|tok| tok.subject == USERNAME));
    let none = t
        .admin
        .list_tokens(&TokenFilter {
            subject: Some("bob".into()),
            ..TokenFilter::default()
        })
        .await
        .unwrap();
    assert!(none.tokens.is_empty());
}

#[tokio::test]
async fn disabling_revokes_every_token_and_is_audited() {
    let t = TestServer::start_with_user().await;
    let app = web(&t).await;
    let tokens = tokens_for_alice(&t, &app.id, &app.secret).await;
    let access = tokens["access_token"].as_str().unwrap();
    assert!(t.is_active(access).await);

    let patch = UserPatch {
        disabled: Some(true),
        ..UserPatch::default()
    };
    let changed = t.admin.patch_user(USERNAME, &patch).await.unwrap();
    assert!(changed.user.disabled);
    assert_eq!(changed.revoked_tokens, 2);
    assert_eq!(changed.user.active_tokens, 0);
    assert!(!t.is_active(access).await);

    let enable = UserPatch {
        disabled: Some(false),
        ..UserPatch::default()
    };
    let changed = t.admin.patch_user(USERNAME, &enable).await.unwrap();
    assert!(!changed.user.disabled);
    assert_eq!(changed.revoked_tokens, 0);
    // Enabling does not bring revoked tokens back.
    assert!(!t.is_active(access).await);

    let records = audit_actions(&t, USERNAME).await;
    assert_eq!(records[0]["action"], "user.enable");
    assert_eq!(records[1]["action"], "user.disable");
    assert_eq!(records[1]["actor"], "default");
    assert_eq!(records[1]["after"]["revoked"], 2);
}

#[tokio::test]
async fn a_new_password_works_the_old_one_not_and_short_ones_are_refused() {
    let t = TestServer::start_with_user().await;
    let app = web(&t).await;
    let short = UserPatch {
        password: Some("short".into()),
        ..UserPatch::default()
    };
    let error = t.admin.patch_user(USERNAME, &short).await.unwrap_err();
    assert_eq!(error.status(), Some(400));
    assert!(!error.to_string().contains("short\""), "{error}");

    let patch = UserPatch {
        password: Some("a brand new passphrase".into()),
        ..UserPatch::default()
    };
    t.admin.patch_user(USERNAME, &patch).await.unwrap();
    let authorize = t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", &app.id),
        ("redirect_uri", WEB_REDIRECT),
        ("scope", "monitoring"),
        ("state", "s"),
    ]);
    let (_, location, page) = t.consent(&authorize, USERNAME, PASSWORD, "approve").await;
    assert!(location.is_none(), "the old password still works");
    assert!(page.contains("Wrong username or password"), "{page}");
    let (_, location, page) = t
        .consent(&authorize, USERNAME, "a brand new passphrase", "approve")
        .await;
    assert!(location.is_some(), "the new password does not work: {page}");

    let records = audit_actions(&t, USERNAME).await;
    assert_eq!(records[0]["action"], "user.password");
    let everything = t.admin.list_audit(None, None).await.unwrap();
    let text = serde_json::to_string(&everything.records).unwrap();
    assert!(
        !text.contains("brand new"),
        "the password is in the audit log"
    );
    assert!(!text.contains("argon2"), "the hash is in the audit log");
}

#[tokio::test]
async fn deleting_revokes_the_tokens_and_the_user_is_gone() {
    let t = TestServer::start_with_user().await;
    let app = web(&t).await;
    let tokens = tokens_for_alice(&t, &app.id, &app.secret).await;
    let revoked = t.admin.delete_user(USERNAME).await.unwrap();
    assert_eq!(revoked.revoked, 2);
    assert!(!t.is_active(tokens["access_token"].as_str().unwrap()).await);
    assert!(t.admin.list_users().await.unwrap().is_empty());
    assert_eq!(
        t.admin.get_user(USERNAME).await.unwrap_err().status(),
        Some(404)
    );
    let records = audit_actions(&t, USERNAME).await;
    assert_eq!(records[0]["action"], "user.delete");
    assert_eq!(records[0]["after"]["revoked"], 2);
}

#[tokio::test]
async fn one_grant_or_all_tokens_are_revoked_and_only_the_users_own() {
    let t = TestServer::start_with_user().await;
    let app = web(&t).await;
    let first = tokens_for_alice(&t, &app.id, &app.secret).await;
    let second = tokens_for_alice(&t, &app.id, &app.secret).await;
    let details = t.admin.get_user(USERNAME).await.unwrap();
    // Newest first: the second approval's family.
    let newest = details.grants[0].family_id.clone();

    // Another user's view of the family: unknown.
    t.admin
        .create_user("bob", "another long one")
        .await
        .unwrap();
    let error = t.admin.revoke_user_grant("bob", &newest).await.unwrap_err();
    assert_eq!(error.status(), Some(404));
    assert!(t.is_active(second["access_token"].as_str().unwrap()).await);

    let revoked = t.admin.revoke_user_grant(USERNAME, &newest).await.unwrap();
    assert_eq!(revoked.revoked, 2);
    assert!(!t.is_active(second["access_token"].as_str().unwrap()).await);
    assert!(t.is_active(first["access_token"].as_str().unwrap()).await);
    let again = t
        .admin
        .revoke_user_grant(USERNAME, &newest)
        .await
        .unwrap_err();
    assert_eq!(again.status(), Some(404));

    let all = t.admin.revoke_user_tokens(USERNAME).await.unwrap();
    assert_eq!(all.revoked, 2);
    assert!(!t.is_active(first["access_token"].as_str().unwrap()).await);
    let actions: Vec<Value> = audit_actions(&t, USERNAME)
        .await
        .into_iter()
        .map(|r| r["action"].clone())
        .collect();
    assert_eq!(
        actions[..2],
        [json!("user.revoke_tokens"), json!("user.revoke_grant")]
    );
}

#[tokio::test]
async fn a_username_equal_to_a_client_id_leaves_the_apps_tokens_alone() {
    let t = TestServer::start_with_user().await;
    let api = t.create_app(api_app()).await;
    let client_id = api.app.client_id.clone();
    let secret = api.client_secret.unwrap();
    let (status, _, body) = t
        .token(
            &[("grant_type", "client_credentials")],
            Some((&client_id, &secret)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let app_token = body["access_token"].as_str().unwrap();
    t.admin
        .create_user(&client_id, "a long enough password")
        .await
        .unwrap();
    let person = t.admin.get_user(&client_id).await.unwrap();
    assert_eq!(person.user.active_tokens, 0);
    assert_eq!(
        t.admin
            .revoke_user_tokens(&client_id)
            .await
            .unwrap()
            .revoked,
        0
    );
    let disable = UserPatch {
        disabled: Some(true),
        ..UserPatch::default()
    };
    t.admin.patch_user(&client_id, &disable).await.unwrap();
    assert_eq!(t.admin.delete_user(&client_id).await.unwrap().revoked, 0);
    assert!(
        t.is_active(app_token).await,
        "the app's own token was revoked"
    );
}

#[tokio::test]
async fn unknown_users_are_404_with_the_usual_error_body() {
    let t = TestServer::start().await;
    for (method, path) in [
        (reqwest::Method::GET, "admin/v1/users/nobody"),
        (reqwest::Method::DELETE, "admin/v1/users/nobody"),
        (reqwest::Method::DELETE, "admin/v1/users/nobody/tokens"),
        (reqwest::Method::DELETE, "admin/v1/users/nobody/grants/fam"),
    ] {
        let response = t
            .http
            .request(method.clone(), t.url(path))
            .bearer_auth(&t.admin_key)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{method} {path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "not_found", "{body}");
        assert!(
            body["error_description"]
                .as_str()
                .unwrap()
                .contains("nobody"),
            "{body}"
        );
    }
    let response = t
        .http
        .patch(t.url("admin/v1/users/nobody"))
        .bearer_auth(&t.admin_key)
        .json(&json!({"disabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // A patch that changes nothing is a bad request, not a silent success.
    t.admin
        .create_user("carol", "long enough password")
        .await
        .unwrap();
    let empty = t
        .admin
        .patch_user("carol", &UserPatch::default())
        .await
        .unwrap_err();
    assert_eq!(empty.status(), Some(400));
}

#[tokio::test]
async fn a_read_only_key_can_look_but_not_change_and_the_refusal_is_recorded() {
    let t = TestServer::start_with_user().await;
    let key = t.server.create_admin_key("viewer", true).await.unwrap();
    let viewer = AdminClient::new(t.server.base_url(), key).unwrap();
    assert_eq!(viewer.list_users().await.unwrap().len(), 1);
    assert_eq!(
        viewer.get_user(USERNAME).await.unwrap().user.username,
        USERNAME
    );

    let disable = UserPatch {
        disabled: Some(true),
        ..UserPatch::default()
    };
    let refusals = [
        viewer.patch_user(USERNAME, &disable).await.unwrap_err(),
        viewer.delete_user(USERNAME).await.unwrap_err(),
        viewer.revoke_user_tokens(USERNAME).await.unwrap_err(),
        viewer.revoke_user_grant(USERNAME, "fam").await.unwrap_err(),
    ];
    for error in refusals {
        assert_eq!(error.status(), Some(403), "{error}");
    }
    let alice = t.admin.get_user(USERNAME).await.unwrap();
    assert!(!alice.user.disabled, "nothing changed");
    let page = t
        .admin
        .list_audit_filtered(&AuditFilter {
            actor: Some("viewer".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(page.records.len(), 4, "{:?}", page.records);
}
