//! The device authorization grant (RFC 8628) end to end over real HTTP: a device
//! starts, a person answers on the device page as a browser would, the device polls.
//! The server's clock is one the test moves, so intervals and expiry are exact.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use oauth_console::api::TokenFilter;
use oauth_console::domain::{GrantType, Platform, Scope, TokenKind};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::sync::Arc;
use support::*;

const NOT_LIVE: &str = "That code is not right, or it has expired.";
const WRONG_PASSWORD: &str = "Wrong username or password.";

/// A real server whose clock the test moves; alice exists.
async fn start_with_clock() -> (TestServer, Arc<TestClock>) {
    let (t, clock) = TestServer::start_with_clock(1_800_000_000).await;
    t.admin.create_user(USERNAME, PASSWORD).await.unwrap();
    (t, clock)
}

/// A Native app for a CLI: device code + refresh, monitoring and offline access.
fn device_app() -> oauth_console::domain::AppDraft {
    let mut app = draft(
        Platform::Native,
        &[],
        &[Scope::Monitoring, Scope::OfflineAccess],
        &[GrantType::DeviceCode, GrantType::RefreshToken],
    );
    app.name = "Fleet CLI <beta>".into();
    app
}

async fn start_device(
    t: &TestServer,
    client_id: &str,
    scope: &str,
) -> (StatusCode, HeaderMap, Value) {
    t.post_form(
        "oauth/device_authorization",
        &[("client_id", client_id), ("scope", scope)],
        None,
    )
    .await
}

async fn poll(
    t: &TestServer,
    client_id: &str,
    device_code: &str,
) -> (StatusCode, HeaderMap, Value) {
    t.token(
        &[
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", device_code),
            ("client_id", client_id),
        ],
        None,
    )
    .await
}

/// Walks the three device pages as alice; returns the last page reached.
async fn answer_page(
    t: &TestServer,
    page_url: &str,
    user_code: &str,
    password: &str,
    decision: &str,
) -> (StatusCode, String) {
    t.answer_device(page_url, user_code, password, decision)
        .await
}

fn error_of(status: StatusCode, body: &Value) -> String {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    body["error"].as_str().unwrap_or_default().to_string()
}

/// A device started and approved by alice; returns the app's ID and the device code.
async fn approved_device(t: &TestServer, clock: &TestClock) -> (String, String) {
    let app = t.create_app(device_app()).await;
    let client_id = app.app.client_id;
    let (status, _, started) = start_device(t, &client_id, "monitoring offline_access").await;
    assert_eq!(status, StatusCode::OK, "{started}");
    let user_code = started["user_code"].as_str().unwrap().to_string();
    let (status, page) = answer_page(
        t,
        started["verification_uri_complete"].as_str().unwrap(),
        &user_code,
        PASSWORD,
        "approve",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    clock.advance(5);
    (
        client_id,
        started["device_code"].as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn a_device_approved_on_the_device_page_gets_tokens() {
    let (t, clock) = start_with_clock().await;
    let app = t.create_app(device_app()).await;
    let client_id = app.app.client_id.clone();

    let (status, headers, started) =
        start_device(&t, &client_id, "monitoring offline_access").await;
    assert_eq!(status, StatusCode::OK, "{started}");
    assert_eq!(headers["cache-control"], "no-store");
    let device_code = started["device_code"].as_str().unwrap();
    assert!(device_code.starts_with("ocd_") && device_code.len() >= 4 + 43);
    let user_code = started["user_code"].as_str().unwrap();
    assert_eq!(user_code.len(), 9);
    assert_eq!(&user_code[4..5], "-");
    assert!(
        user_code
            .chars()
            .filter(|c| *c != '-')
            .all(|c| "BCDFGHJKLMNPQRSTVWXZ".contains(c))
    );
    let verification_uri = format!("{}device", t.server.issuer());
    assert_eq!(started["verification_uri"], verification_uri.as_str());
    assert_eq!(
        started["verification_uri_complete"],
        format!("{verification_uri}?user_code={user_code}").as_str()
    );
    assert_eq!(started["expires_in"], 600);
    assert_eq!(started["interval"], 5);

    let (status, _, body) = poll(&t, &client_id, device_code).await;
    assert_eq!(error_of(status, &body), "authorization_pending");

    // The link prefills the code; the person signs in and allows.
    let page_url = started["verification_uri_complete"].as_str().unwrap();
    let html = t
        .http
        .get(page_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("value=\"{user_code}\"")), "{html}");
    let (status, page) = answer_page(&t, page_url, user_code, PASSWORD, "approve").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("Fleet CLI &lt;beta&gt;"),
        "app name escaped: {page}"
    );
    assert!(!page.contains("<beta>"));
    assert!(
        page.contains(Scope::Monitoring.for_people())
            && page.contains(Scope::OfflineAccess.for_people()),
        "what was allowed, in words: {page}"
    );

    clock.advance(5);
    let (status, headers, tokens) = poll(&t, &client_id, device_code).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(headers["cache-control"], "no-store");
    let access = tokens["access_token"].as_str().unwrap();
    assert!(access.starts_with("oca_"));
    assert!(
        tokens["refresh_token"]
            .as_str()
            .unwrap()
            .starts_with("ocr_")
    );
    assert_eq!(tokens["scope"], "monitoring offline_access");
    let info = t.introspect(access).await;
    assert_eq!(info["active"], true);
    assert_eq!(info["username"], USERNAME);
    assert_eq!(info["client_id"], client_id.as_str());
}

#[tokio::test]
async fn without_offline_access_no_refresh_token_is_issued() {
    let (t, clock) = start_with_clock().await;
    let app = t.create_app(device_app()).await;
    let client_id = app.app.client_id;
    let (_, _, started) = start_device(&t, &client_id, "monitoring").await;
    let user_code = started["user_code"].as_str().unwrap();
    let page_url = t.url("device").to_string();
    let (status, _) = answer_page(&t, &page_url, user_code, PASSWORD, "approve").await;
    assert_eq!(status, StatusCode::OK);
    clock.advance(5);
    let (status, _, tokens) = poll(&t, &client_id, started["device_code"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert!(tokens.get("refresh_token").is_none(), "{tokens}");
    assert_eq!(tokens["scope"], "monitoring");
}

#[tokio::test]
async fn polling_faster_than_the_interval_is_told_to_slow_down_and_the_interval_grows() {
    let (t, clock) = start_with_clock().await;
    let app = t.create_app(device_app()).await;
    let client_id = app.app.client_id;
    let (_, _, started) = start_device(&t, &client_id, "monitoring").await;
    let device_code = started["device_code"].as_str().unwrap();

    let (status, _, body) = poll(&t, &client_id, device_code).await;
    assert_eq!(error_of(status, &body), "authorization_pending");
    clock.advance(1);
    let (status, _, body) = poll(&t, &client_id, device_code).await;
    assert_eq!(error_of(status, &body), "slow_down");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("10 seconds"),
        "{body}"
    );

    // 6 s would have been enough before; the interval is now 10 s, so it is not.
    clock.advance(6);
    let (status, _, body) = poll(&t, &client_id, device_code).await;
    assert_eq!(error_of(status, &body), "slow_down");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("15 seconds"),
        "{body}"
    );

    clock.advance(15);
    let (status, _, body) = poll(&t, &client_id, device_code).await;
    assert_eq!(error_of(status, &body), "authorization_pending");
}

#[tokio::test]
async fn a_device_code_expires_after_ten_minutes() {
    let (t, clock) = start_with_clock().await;
    let app = t.create_app(device_app()).await;
    let client_id = app.app.client_id;
    let (_, _, started) = start_device(&t, &client_id, "monitoring").await;
    let device_code = started["device_code"].as_str().unwrap();
    let user_code = started["user_code"].as_str().unwrap();

    clock.advance(599);
    let (status, _, body) = poll(&t, &client_id, device_code).await;
    assert_eq!(error_of(status, &body), "authorization_pending");
    clock.advance(1);
    let (status, _, body) = poll(&t, &client_id, device_code).await;
    assert_eq!(error_of(status, &body), "expired_token");

    // Too late on the page too.
    let page_url = t.url("device").to_string();
    let (status, page) = answer_page(&t, &page_url, user_code, PASSWORD, "approve").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains(NOT_LIVE), "{page}");
    assert!(
        !page.contains("name=\"password\""),
        "no sign-in for a dead code"
    );
}

#[tokio::test]
async fn a_denied_device_is_told_access_denied() {
    let (t, clock) = start_with_clock().await;
    let app = t.create_app(device_app()).await;
    let client_id = app.app.client_id;
    let (_, _, started) = start_device(&t, &client_id, "monitoring").await;
    let page_url = t.url("device").to_string();
    let (status, page) = answer_page(
        &t,
        &page_url,
        started["user_code"].as_str().unwrap(),
        PASSWORD,
        "deny",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Access denied"), "{page}");
    clock.advance(5);
    let (status, _, body) = poll(&t, &client_id, started["device_code"].as_str().unwrap()).await;
    assert_eq!(error_of(status, &body), "access_denied");
}

#[tokio::test]
async fn a_wrong_code_or_password_shows_its_page_again_and_decides_nothing() {
    let (t, clock) = start_with_clock().await;
    let app = t.create_app(device_app()).await;
    let client_id = app.app.client_id;
    let (_, _, started) = start_device(&t, &client_id, "monitoring").await;
    let user_code = started["user_code"].as_str().unwrap();
    let page_url = t.url("device").to_string();

    // A well-formed code nobody was given: the first letter changed.
    let first = user_code.chars().next().unwrap();
    let other = if first == 'B' { 'C' } else { 'B' };
    let wrong_code = format!("{other}{}", &user_code[1..]);
    let (status, wrong_code_page) =
        answer_page(&t, &page_url, &wrong_code, PASSWORD, "approve").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(wrong_code_page.contains(NOT_LIVE), "{wrong_code_page}");
    assert!(
        scrape_csrf(&wrong_code_page).is_some() && wrong_code_page.contains("name=\"user_code\""),
        "the code form is shown again"
    );

    let (status, wrong_password_page) =
        answer_page(&t, &page_url, user_code, "not the password", "approve").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        wrong_password_page.contains(WRONG_PASSWORD),
        "{wrong_password_page}"
    );
    assert!(
        wrong_password_page.contains("name=\"password\"")
            && !wrong_password_page.contains("value=\"approve\""),
        "the sign-in form again, not the confirmation"
    );

    // A form of the old shape (code, credentials and Allow at once, no sealed
    // request) decides nothing.
    let response = t
        .http
        .post(t.url("device"))
        .form(&[
            ("csrf", "forged"),
            ("user_code", user_code),
            ("username", USERNAME),
            ("password", PASSWORD),
            ("decision", "approve"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    clock.advance(5);
    let device_code = started["device_code"].as_str().unwrap();
    let (status, _, body) = poll(&t, &client_id, device_code).await;
    assert_eq!(error_of(status, &body), "authorization_pending");

    // Typed in lower case without the dash, the right code works.
    let typed = user_code.replace('-', "").to_lowercase();
    let (status, page) = answer_page(&t, &page_url, &typed, PASSWORD, "approve").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    clock.advance(5);
    let (status, _, tokens) = poll(&t, &client_id, device_code).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
}

#[tokio::test]
async fn an_app_without_the_device_grant_is_refused() {
    let (t, _) = start_with_clock().await;
    let app = t.create_app(native_app()).await;
    let client_id = app.app.client_id;
    let (status, _, body) = start_device(&t, &client_id, "monitoring").await;
    assert_eq!(error_of(status, &body), "unauthorized_client");
    let (status, _, body) = poll(&t, &client_id, "ocd_whatever").await;
    assert_eq!(error_of(status, &body), "unauthorized_client");

    let (status, _, body) = start_device(&t, "oc_unknown", "monitoring").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"], "invalid_client");
}

#[tokio::test]
async fn a_device_code_exchanged_twice_is_refused_and_revokes_its_tokens() {
    let (t, clock) = start_with_clock().await;
    let (client_id, device_code) = approved_device(&t, &clock).await;
    let (status, _, tokens) = poll(&t, &client_id, &device_code).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap();
    assert!(t.is_active(access).await);

    clock.advance(5);
    let (status, _, body) = poll(&t, &client_id, &device_code).await;
    assert_eq!(error_of(status, &body), "invalid_grant");
    assert!(!t.is_active(access).await, "reuse revokes the access token");
    assert!(!t.is_active(refresh).await, "and the refresh token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_code_polled_several_times_at_once_gives_no_usable_tokens_twice() {
    let (t, clock) = start_with_clock().await;
    let (client_id, device_code) = approved_device(&t, &clock).await;
    let t = Arc::new(t);
    let polls = (0..4).map(|_| {
        let (t, client_id, device_code) = (t.clone(), client_id.clone(), device_code.clone());
        tokio::spawn(async move { poll(&t, &client_id, &device_code).await })
    });
    let answers: Vec<_> = futures::future::join_all(polls)
        .await
        .into_iter()
        .map(|r| r.unwrap())
        .collect();
    // Honoured once: at most one poll gets tokens, and every other one is told the
    // grant is invalid.
    let (winners, losers): (Vec<_>, Vec<_>) = answers
        .iter()
        .partition(|(status, _, _)| *status == StatusCode::OK);
    assert!(winners.len() <= 1, "{answers:?}");
    assert_eq!(winners.len() + losers.len(), 4);
    for (status, _, body) in losers {
        assert_eq!(error_of(*status, body), "invalid_grant");
    }
    // Whatever the outcome, the code issued exactly one pair of tokens (none would mean
    // it was never honoured, two that it was honoured twice), and the reuse revoked it.
    let issued = t
        .admin
        .list_tokens(&TokenFilter {
            client_id: Some(client_id.clone()),
            ..TokenFilter::default()
        })
        .await
        .unwrap()
        .tokens;
    let access = issued
        .iter()
        .filter(|r| r.kind == TokenKind::Access)
        .count();
    assert_eq!(access, 1, "the device code was honoured once: {issued:?}");
    assert!(
        issued.iter().all(|r| r.revoked_at.is_some()),
        "the reuse revoked everything the code issued: {issued:?}"
    );
    for (_, _, tokens) in winners {
        for kind in ["access_token", "refresh_token"] {
            let token = tokens[kind].as_str().unwrap();
            assert!(!t.is_active(token).await, "the winner's {kind} is revoked");
        }
    }
}

#[tokio::test]
async fn another_clients_device_code_is_not_valid() {
    let (t, clock) = start_with_clock().await;
    let (_, device_code) = approved_device(&t, &clock).await;
    let other = t.create_app(device_app()).await;
    let (status, _, body) = poll(&t, &other.app.client_id, &device_code).await;
    assert_eq!(error_of(status, &body), "invalid_grant");
}

#[tokio::test]
async fn markup_in_a_linked_user_code_is_shown_as_text() {
    let (t, _) = start_with_clock().await;
    let mut url = t.url("device");
    url.query_pairs_mut()
        .append_pair("user_code", "\"><script>alert(1)</script>");
    let response = t.http.get(url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let html = response.text().await.unwrap();
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&quot;&gt;&lt;script&gt;"), "{html}");
}

#[tokio::test]
async fn the_metadata_announces_the_device_endpoint_and_grant() {
    let (t, _) = start_with_clock().await;
    let metadata: Value = t
        .http
        .get(t.url(".well-known/oauth-authorization-server"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        metadata["device_authorization_endpoint"],
        format!("{}oauth/device_authorization", t.server.issuer()).as_str()
    );
    let grants = metadata["grant_types_supported"].as_array().unwrap();
    assert!(grants.contains(&Value::from("urn:ietf:params:oauth:grant-type:device_code")));
}

#[derive(Clone, Default)]
struct SharedBuffer(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for SharedBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The only test of this binary that installs a subscriber: the others' lines land
/// in the buffer too, which only makes the check stricter.
#[tokio::test]
async fn no_device_code_user_code_or_token_reaches_the_log() {
    let buffer = SharedBuffer::default();
    let writer = buffer.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .try_init()
        .unwrap();

    let (t, clock) = start_with_clock().await;
    let app = t.create_app(device_app()).await;
    let client_id = app.app.client_id;
    let (_, _, started) = start_device(&t, &client_id, "monitoring offline_access").await;
    let device_code = started["device_code"].as_str().unwrap();
    let user_code = started["user_code"].as_str().unwrap();
    poll(&t, &client_id, device_code).await;
    let page_url = started["verification_uri_complete"].as_str().unwrap();
    answer_page(&t, page_url, user_code, "wrong-password-456", "approve").await;
    answer_page(&t, page_url, user_code, PASSWORD, "approve").await;
    clock.advance(5);
    let (status, _, tokens) = poll(&t, &client_id, device_code).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    clock.advance(5);
    poll(&t, &client_id, device_code).await;

    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains(&client_id),
        "the log is written and names clients"
    );
    let secrets = [
        ("device code", device_code),
        ("user code", user_code),
        ("user code as stored", &user_code.replace('-', "")),
        ("password", PASSWORD),
        ("wrong password", "wrong-password-456"),
        ("access token", tokens["access_token"].as_str().unwrap()),
        ("refresh token", tokens["refresh_token"].as_str().unwrap()),
    ];
    for (what, secret) in secrets {
        assert!(!log.contains(secret), "the {what} appears in the log");
    }
}
