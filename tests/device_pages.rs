//! The device pages in their three steps, over real HTTP: nothing is approved before
//! the confirmation page names the app and what it asks for; Deny needs no password
//! on any page; wrong codes and device starts are throttled per address.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use oauth_console::domain::{AppDraft, GrantType, Platform, Scope};
use oauth_console::server::{ServerLimits, SignInLimits, ThrottlePolicy};
use reqwest::StatusCode;
use serde_json::Value;
use support::*;
use url::Url;

fn device_app() -> AppDraft {
    let mut app = draft(
        Platform::Native,
        &[],
        &[Scope::Monitoring, Scope::Control],
        &[GrantType::DeviceCode],
    );
    app.name = "Fleet CLI".into();
    app
}

async fn start_device(t: &TestServer, client_id: &str) -> Value {
    let (status, _, started) = t
        .post_form(
            "oauth/device_authorization",
            &[("client_id", client_id), ("scope", "monitoring control")],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{started}");
    started
}

async fn poll_error(t: &TestServer, client_id: &str, started: &Value) -> String {
    let (_, _, body) = t
        .token(
            &[
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("device_code", started["device_code"].as_str().unwrap()),
                ("client_id", client_id),
            ],
            None,
        )
        .await;
    body["error"].as_str().unwrap_or("none").to_string()
}

/// A browser on the device pages: the cookie it got and the page it shows.
struct Tab<'a> {
    t: &'a TestServer,
    cookie: Option<String>,
    page: String,
    status: StatusCode,
}

impl<'a> Tab<'a> {
    async fn open(t: &'a TestServer, url: &str) -> Tab<'a> {
        let response = t.http.get(url).send().await.unwrap();
        let status = response.status();
        let cookie = form_cookie(response.headers());
        Tab {
            t,
            cookie,
            status,
            page: response.text().await.unwrap(),
        }
    }

    async fn submit(&mut self, fields: &[(&str, &str)]) {
        let url: Url = self.t.url("device");
        let (status, _, page) = self
            .t
            .submit_page(&url, self.cookie.as_deref(), &self.page, fields)
            .await;
        self.status = status;
        self.page = page;
    }
}

#[tokio::test]
async fn nothing_is_approved_before_the_confirmation_page_names_the_app_and_its_access() {
    let t = TestServer::start_with_user().await;
    let app = t.create_app(device_app()).await;
    let client_id = app.app.client_id.clone();
    let started = start_device(&t, &client_id).await;
    let user_code = started["user_code"].as_str().unwrap();

    // The pre-filled link asks the person to check the code.
    let mut tab = Tab::open(&t, started["verification_uri_complete"].as_str().unwrap()).await;
    assert_eq!(tab.status, StatusCode::OK);
    assert!(tab.page.contains(user_code), "{}", tab.page);
    assert!(
        tab.page
            .contains("Check that this code is the one your device shows")
    );
    assert!(
        !tab.page.contains("name=\"password\""),
        "no password on the code step"
    );

    // "approve" on the code step only leads on to signing in.
    tab.submit(&[("user_code", user_code), ("decision", "approve")])
        .await;
    assert_eq!(tab.status, StatusCode::OK, "{}", tab.page);
    assert!(tab.page.contains("name=\"password\""), "{}", tab.page);
    assert!(tab.page.contains("Fleet CLI"));
    assert_eq!(
        poll_error(&t, &client_id, &started).await,
        "authorization_pending"
    );

    // Signing in with "approve" only leads on to the confirmation.
    tab.submit(&[
        ("username", USERNAME),
        ("password", PASSWORD),
        ("decision", "approve"),
    ])
    .await;
    assert_eq!(tab.status, StatusCode::OK, "{}", tab.page);
    for words in [
        "Allow <span class=\"who\">Fleet CLI</span> to use your account?",
        Platform::Native.for_people(),
        Scope::Monitoring.for_people(),
        Scope::Control.for_people(),
        user_code,
        "value=\"approve\"",
        "value=\"deny\"",
    ] {
        assert!(tab.page.contains(words), "{words}: {}", tab.page);
    }
    assert!(!tab.page.contains("name=\"password\""));
    let confirmation = tab.page.clone();
    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    assert_eq!(
        poll_error(&t, &client_id, &started).await,
        "authorization_pending"
    );

    tab.submit(&[("decision", "approve")]).await;
    assert_eq!(tab.status, StatusCode::OK);
    assert!(tab.page.contains("Device connected"), "{}", tab.page);
    assert_eq!(poll_error(&t, &client_id, &started).await, "none");

    // The confirmation answers once.
    tab.page = confirmation;
    tab.submit(&[("decision", "approve")]).await;
    assert_eq!(tab.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn deny_needs_no_password_on_the_code_page_or_the_sign_in_page() {
    let t = TestServer::start_with_user().await;
    let app = t.create_app(device_app()).await;
    let client_id = app.app.client_id.clone();

    let on_code_page = start_device(&t, &client_id).await;
    let mut tab = Tab::open(
        &t,
        on_code_page["verification_uri_complete"].as_str().unwrap(),
    )
    .await;
    // The pre-filled code goes with the form, as a browser sends the field it shows.
    let code = on_code_page["user_code"].as_str().unwrap();
    assert!(tab.page.contains(&format!("value=\"{code}\"")));
    tab.submit(&[("user_code", code), ("decision", "deny")])
        .await;
    assert_eq!(tab.status, StatusCode::OK, "{}", tab.page);
    assert!(tab.page.contains("Access denied"), "{}", tab.page);
    assert_eq!(
        poll_error(&t, &client_id, &on_code_page).await,
        "access_denied"
    );

    let on_sign_in_page = start_device(&t, &client_id).await;
    let mut tab = Tab::open(&t, t.url("device").as_str()).await;
    tab.submit(&[
        ("user_code", on_sign_in_page["user_code"].as_str().unwrap()),
        ("decision", "continue"),
    ])
    .await;
    assert!(tab.page.contains("name=\"password\""), "{}", tab.page);
    tab.submit(&[("decision", "deny")]).await;
    assert_eq!(tab.status, StatusCode::OK, "{}", tab.page);
    assert!(tab.page.contains("Access denied"), "{}", tab.page);
    assert_eq!(
        poll_error(&t, &client_id, &on_sign_in_page).await,
        "access_denied"
    );
}

fn tight_limits() -> ServerLimits {
    let tight = |free_failures| ThrottlePolicy {
        free_failures,
        ..ThrottlePolicy::SIGN_IN
    };
    ServerLimits {
        sign_in: SignInLimits {
            per_address: tight(3),
            device_starts: tight(2),
            ..SignInLimits::default()
        },
        ..ServerLimits::default()
    }
}

#[tokio::test]
async fn wrong_user_codes_and_device_starts_are_throttled_per_address() {
    let t = TestServer::start_with_limits(tight_limits()).await;
    let app = t.create_app(device_app()).await;
    let client_id = app.app.client_id.clone();

    for _ in 0..2 {
        start_device(&t, &client_id).await;
    }
    let (status, headers, body) = t
        .post_form(
            "oauth/device_authorization",
            &[("client_id", &client_id)],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["error"], "slow_down");
    assert!(headers.get("retry-after").is_some());

    for attempt in 1..=3 {
        let mut tab = Tab::open(&t, t.url("device").as_str()).await;
        tab.submit(&[("user_code", "BCDF-GHJK"), ("decision", "continue")])
            .await;
        assert_eq!(tab.status, StatusCode::BAD_REQUEST, "attempt {attempt}");
    }
    let mut tab = Tab::open(&t, t.url("device").as_str()).await;
    tab.submit(&[("user_code", "BCDF-GHJK"), ("decision", "continue")])
        .await;
    assert_eq!(tab.status, StatusCode::TOO_MANY_REQUESTS, "{}", tab.page);
    assert!(
        tab.page.contains("Too many failed attempts"),
        "{}",
        tab.page
    );
}
