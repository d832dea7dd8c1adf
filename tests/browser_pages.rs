//! The sign-in pages in a real browser (headless Chromium), used as a person would:
//! typing, clicking, on a 390 px phone screen and on a desktop. Includes the
//! console's loopback flow end to end: the console's flow code listens on loopback,
//! the browser allows, the flow gets the token. Screenshots go to screenshots/.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[allow(dead_code)]
mod browser;
mod chromium;
#[allow(dead_code)]
mod flow_harness;
mod support;

use chromium::{Chrome, DESKTOP, PHONE};
use flow_harness::{Harness, monitoring_and_refresh, native_grants};
use oauth_console::domain::{GrantType, Platform, Scope};
use reqwest::StatusCode;
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_allows_the_console_on_a_phone_and_the_console_gets_its_token() {
    let Some(chrome) = Chrome::start("loopback flow").await else {
        return;
    };
    let mut harness = Harness::start().await;
    let (app, _) = harness
        .create_app(
            Platform::Native,
            &[],
            &native_grants(),
            &monitoring_and_refresh(),
        )
        .await;
    let (flow, url, _) = harness
        .start_code_flow(&app, None, &[Scope::Monitoring, Scope::OfflineAccess])
        .await;

    chrome.client.goto(&url).await.unwrap();
    let text = chrome.page_text().await;
    assert!(
        text.contains(&format!("Allow {} to use your account?", app.name)),
        "{text}"
    );
    assert!(text.contains(Scope::Monitoring.for_people()), "{text}");
    assert!(text.contains(Scope::OfflineAccess.for_people()), "{text}");
    assert_eq!(chrome.focused_id().await, "username");
    chrome.assert_no_horizontal_scroll().await;
    chrome.assert_thumb_sized().await;
    chrome.screenshot("consent-390").await;
    chrome.resize(DESKTOP).await;
    chrome.assert_no_horizontal_scroll().await;
    chrome.screenshot("consent-desktop").await;
    chrome.resize(PHONE).await;

    chrome.type_into("username", flow_harness::USER).await;
    chrome.type_into("password", flow_harness::PASSWORD).await;
    chrome.click_decision("approve").await;

    let tokens = harness
        .finished(flow)
        .await
        .expect("the console gets tokens");
    assert!(tokens.access_token.expose().starts_with("oca_"));
    chrome.close().await;
    harness.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deny_in_the_browser_needs_no_password_and_the_console_is_told() {
    let Some(chrome) = Chrome::start("deny").await else {
        return;
    };
    let mut harness = Harness::start().await;
    let (app, _) = harness
        .create_app(
            Platform::Native,
            &[],
            &native_grants(),
            &monitoring_and_refresh(),
        )
        .await;
    let (flow, url, _) = harness
        .start_code_flow(&app, None, &[Scope::Monitoring])
        .await;
    chrome.client.goto(&url).await.unwrap();
    chrome.click_decision("deny").await;
    let refused = harness.finished(flow).await;
    let Err(error) = refused else {
        panic!("the flow ends without a token");
    };
    assert_eq!(error.oauth_code(), Some("access_denied"));
    chrome.close().await;
    harness.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_in_a_browser_keep_the_focus_and_end_on_the_wait_page() {
    let Some(chrome) = Chrome::start("throttled page").await else {
        return;
    };
    let t = TestServer::start_with_user().await;
    let app = t.create_app(web_app()).await;
    let url = t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", &app.app.client_id),
        ("redirect_uri", WEB_REDIRECT),
    ]);
    chrome.client.goto(url.as_str()).await.unwrap();
    for attempt in 1..=6 {
        if attempt == 1 {
            chrome.type_into("username", USERNAME).await;
        }
        chrome.type_into("password", "not my password").await;
        chrome.click_decision("approve").await;
        let text = chrome.page_text().await;
        if attempt < 6 {
            assert!(text.contains("Wrong username or password."), "{text}");
            assert_eq!(chrome.focused_id().await, "password", "attempt {attempt}");
        } else {
            assert!(text.contains("Too many failed attempts"), "{text}");
            // One minute, or a few seconds less when the machine is slow to render.
            assert!(
                text.contains("wait 1 minute") || text.contains("wait 5"),
                "{text}"
            );
        }
    }
    chrome.assert_no_horizontal_scroll().await;
    chrome.screenshot("throttled-390").await;
    chrome.resize(DESKTOP).await;
    chrome.screenshot("throttled-desktop").await;
    chrome.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_is_connected_through_code_sign_in_and_confirmation_in_a_browser() {
    let Some(chrome) = Chrome::start("device pages").await else {
        return;
    };
    let t = TestServer::start_with_user().await;
    let mut draft = draft(
        Platform::Native,
        &[],
        &[Scope::Monitoring, Scope::Management],
        &[GrantType::DeviceCode],
    );
    draft.name = "Fleet CLI".into();
    let app = t.create_app(draft).await;
    let client_id = app.app.client_id.clone();
    let (status, _, started) = t
        .post_form(
            "oauth/device_authorization",
            &[
                ("client_id", &client_id),
                ("scope", "monitoring management"),
            ],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let user_code = started["user_code"].as_str().unwrap();

    // The person types the code their device shows.
    chrome
        .client
        .goto(started["verification_uri"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(chrome.focused_id().await, "user_code");
    chrome.assert_no_horizontal_scroll().await;
    chrome.assert_thumb_sized().await;
    chrome
        .type_into("user_code", &user_code.to_lowercase())
        .await;
    chrome.click_decision("continue").await;

    assert!(
        chrome
            .page_text()
            .await
            .contains("Sign in to connect Fleet CLI")
    );
    chrome.type_into("username", USERNAME).await;
    chrome.type_into("password", PASSWORD).await;
    chrome.click_decision("continue").await;

    let text = chrome.page_text().await;
    assert!(
        text.contains("Allow Fleet CLI to use your account?"),
        "{text}"
    );
    assert!(text.contains(Platform::Native.for_people()), "{text}");
    assert!(text.contains(Scope::Monitoring.for_people()), "{text}");
    assert!(text.contains(Scope::Management.for_people()), "{text}");
    assert!(text.contains(user_code), "{text}");
    chrome.assert_no_horizontal_scroll().await;
    chrome.assert_thumb_sized().await;
    chrome.screenshot("device-confirm-390").await;
    chrome.resize(DESKTOP).await;
    chrome.screenshot("device-confirm-desktop").await;
    chrome.resize(PHONE).await;

    // Nothing is approved yet.
    let poll = [
        ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
        ("device_code", started["device_code"].as_str().unwrap()),
        ("client_id", client_id.as_str()),
    ];
    let (_, _, body) = t.token(&poll, None).await;
    assert_eq!(body["error"], "authorization_pending");

    chrome.click_decision("approve").await;
    assert!(chrome.page_text().await.contains("Device connected"));
    let (status, _, tokens) = t.token(&poll, None).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    chrome.close().await;
}
