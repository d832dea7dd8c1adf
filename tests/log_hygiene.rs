//! No secret, token, code, password, admin key or code_verifier ever reaches the log,
//! even at TRACE level, through every flow: code, refresh, client credentials, device,
//! introspection and revocation. A separate test binary, because it installs the global
//! subscriber.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod log_capture;
mod support;

use log_capture::CapturedLog;
use oauth_console::domain::{GrantType, Platform, Scope};
use reqwest::StatusCode;
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_appears_in_the_logs_at_trace_level() {
    let captured = CapturedLog::install(tracing::Level::TRACE);

    let t = TestServer::start_with_user().await;
    let api = t.create_app(api_app()).await;
    let api_secret = api.client_secret.clone().unwrap();
    let (status, _, cc) = t
        .token(
            &[("grant_type", "client_credentials")],
            Some((&api.app.client_id, &api_secret)),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let web = t.create_app(web_app()).await;
    let web_secret = web.client_secret.clone().unwrap();
    let (verifier, challenge) = pkce_pair();
    let url = t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", &web.app.client_id),
        ("redirect_uri", WEB_REDIRECT),
        ("scope", "monitoring offline_access"),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ]);
    let code = t.approve_code(&url).await;
    let (status, _, tokens) = t
        .token(
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", WEB_REDIRECT),
                ("code_verifier", &verifier),
            ],
            Some((&web.app.client_id, &web_secret)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let refresh = tokens["refresh_token"].as_str().unwrap().to_string();
    let (status, _, refreshed) = t
        .token(
            &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
            Some((&web.app.client_id, &web_secret)),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // A wrong password and a reused code are logged too: still nothing secret.
    t.consent(&url, USERNAME, "wrong-password-123", "approve")
        .await;
    t.token(
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", WEB_REDIRECT),
            ("code_verifier", &verifier),
        ],
        Some((&web.app.client_id, &web_secret)),
    )
    .await;
    let rotated = t.admin.rotate_secret(&api.app.client_id).await.unwrap();
    let second_key = t.server.create_admin_key("second", true).await.unwrap();
    let device = device_flow(&t).await;

    // Introspection, by the client and by an administrator, of live and spent tokens.
    let access = tokens["access_token"].as_str().unwrap();
    let (status, _, _) = t
        .post_form(
            "oauth/introspect",
            &[("token", access)],
            Some((&web.app.client_id, &web_secret)),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    t.introspect(&device.access).await;
    t.introspect(&refresh).await;
    // Revocation of a live refresh token and of an unknown one.
    let new_refresh = refreshed["refresh_token"].as_str().unwrap();
    for token in [new_refresh, "ocr_not-a-token-anyone-issued"] {
        let (status, _, _) = t
            .post_form(
                "oauth/revoke",
                &[("token", token)],
                Some((&web.app.client_id, &web_secret)),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    assert!(!t.is_active(new_refresh).await, "the revocation happened");

    let log = captured.text();
    assert!(
        log.contains(&web.app.client_id),
        "the log is being written and names clients"
    );
    let secrets = [
        ("api secret", api_secret.as_str()),
        ("web secret", web_secret.as_str()),
        ("rotated secret", rotated.client_secret.as_str()),
        ("admin key", t.admin_key.as_str()),
        ("second admin key", second_key.as_str()),
        ("device code", device.device_code.as_str()),
        ("user code", device.user_code.as_str()),
        ("user code as stored", &device.user_code.replace('-', "")),
        ("device access token", device.access.as_str()),
        ("device refresh token", device.refresh.as_str()),
        ("password", PASSWORD),
        ("wrong password", "wrong-password-123"),
        ("wrong password on the device page", "wrong-password-789"),
        ("code", code.as_str()),
        ("code verifier", verifier.as_str()),
        ("cc access token", cc["access_token"].as_str().unwrap()),
        ("access token", tokens["access_token"].as_str().unwrap()),
        ("refresh token", refresh.as_str()),
        (
            "new access token",
            refreshed["access_token"].as_str().unwrap(),
        ),
        (
            "new refresh token",
            refreshed["refresh_token"].as_str().unwrap(),
        ),
    ];
    for (what, secret) in secrets {
        assert!(!secret.is_empty(), "the {what} was produced");
        assert!(!log.contains(secret), "the {what} appears in the log");
    }
}

/// What a device flow produced: its codes and tokens.
struct DeviceSecrets {
    device_code: String,
    user_code: String,
    access: String,
    refresh: String,
}

/// A device flow end to end: started, polled too early, approved by alice on the
/// device page (after one wrong password), then polled for its tokens.
async fn device_flow(t: &TestServer) -> DeviceSecrets {
    let app = t
        .create_app(draft(
            Platform::Native,
            &[],
            &[Scope::Monitoring, Scope::OfflineAccess],
            &[GrantType::DeviceCode, GrantType::RefreshToken],
        ))
        .await;
    let client_id = app.app.client_id;
    let (status, _, started) = t
        .post_form(
            "oauth/device_authorization",
            &[
                ("client_id", &client_id),
                ("scope", "monitoring offline_access"),
            ],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{started}");
    let device_code = started["device_code"].as_str().unwrap().to_string();
    let user_code = started["user_code"].as_str().unwrap().to_string();
    let poll = [
        ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
        ("device_code", device_code.as_str()),
        ("client_id", client_id.as_str()),
    ];
    let (status, _, pending) = t.token(&poll, None).await;
    assert_eq!(
        pending["error"], "authorization_pending",
        "{status} {pending}"
    );

    t.answer_device(
        t.url("device").as_str(),
        &user_code,
        "wrong-password-789",
        "approve",
    )
    .await;
    let (status, page) = t
        .answer_device(t.url("device").as_str(), &user_code, PASSWORD, "approve")
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let (status, _, tokens) = t.token(&poll, None).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    DeviceSecrets {
        device_code,
        user_code,
        access: tokens["access_token"].as_str().unwrap().to_string(),
        refresh: tokens["refresh_token"].as_str().unwrap().to_string(),
    }
}
