//! The consent page as an attacker would try it, over real HTTP: forms that carry
//! their request sealed, answered once, bound to the browser, re-checked against the
//! app on submit; wrong passwords that slow down, alike for unknown users.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use oauth_console::domain::{AppPatch, GrantType};
use reqwest::StatusCode;
use support::*;
use url::Url;

const THROTTLED: &str = "Too many failed attempts.";

async fn start_with_clock() -> (TestServer, std::sync::Arc<TestClock>) {
    let (t, clock) = TestServer::start_with_clock(1_800_000_000).await;
    t.admin.create_user(USERNAME, PASSWORD).await.unwrap();
    (t, clock)
}

/// A page as a browser holds it: its body and the cookie it set.
struct Shown {
    page: String,
    cookie: Option<String>,
}

async fn open(t: &TestServer, url: &Url) -> Shown {
    let response = t.http.get(url.clone()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = form_cookie(response.headers());
    Shown {
        page: response.text().await.unwrap(),
        cookie,
    }
}

async fn sign_in(
    t: &TestServer,
    url: &Url,
    shown: &Shown,
    user: &str,
    password: &str,
) -> (StatusCode, Option<Url>, String, Option<String>) {
    let mut form = hidden_fields(&shown.page);
    form.push(("username".into(), user.into()));
    form.push(("password".into(), password.into()));
    form.push(("decision".into(), "approve".into()));
    let mut request = t.http.post(url.clone()).form(&form);
    if let Some(cookie) = &shown.cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let location = location_of(response.headers());
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    (
        status,
        location,
        response.text().await.unwrap(),
        retry_after,
    )
}

fn web_authorize(t: &TestServer, client_id: &str) -> Url {
    t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", WEB_REDIRECT),
        ("state", "s1"),
    ])
}

/// The message paragraph of a page.
fn alert_of(page: &str) -> &str {
    let start = page.find("role=\"alert\">").map_or(0, |i| i + 13);
    let end = page[start..].find('<').map_or(page.len(), |i| start + i);
    &page[start..end]
}

/// Five wrong passwords for `user`, then the sixth: returns its status, page and Retry-After.
async fn sixth_wrong_password(
    t: &TestServer,
    url: &Url,
    user: &str,
) -> (StatusCode, String, Option<String>) {
    for attempt in 1..=5 {
        let shown = open(t, url).await;
        let (status, _, page, _) = sign_in(t, url, &shown, user, "wrong password").await;
        assert_eq!(status, StatusCode::OK, "attempt {attempt}: {page}");
        assert!(page.contains("Wrong username or password"), "{page}");
    }
    let shown = open(t, url).await;
    let (status, _, page, retry_after) = sign_in(t, url, &shown, user, "wrong password").await;
    (status, page, retry_after)
}

#[tokio::test]
async fn the_sixth_wrong_password_waits_and_the_right_one_works_after_the_wait() {
    let (t, clock) = start_with_clock().await;
    let app = t.create_app(web_app()).await;
    let url = web_authorize(&t, &app.app.client_id);

    let (status, page, retry_after) = sixth_wrong_password(&t, &url, USERNAME).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{page}");
    assert_eq!(retry_after.as_deref(), Some("60"));
    assert!(alert_of(&page).starts_with(THROTTLED), "{page}");
    assert!(alert_of(&page).contains("wait 1 minute"), "{page}");
    assert!(
        page.contains("name=\"password\" autocomplete=\"current-password\" required autofocus"),
        "the password field has the focus: {page}"
    );

    // Even the right password waits.
    let shown = open(&t, &url).await;
    let (status, location, _, _) = sign_in(&t, &url, &shown, USERNAME, PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(location.is_none());

    clock.advance(60);
    let shown = open(&t, &url).await;
    let (status, location, page, _) = sign_in(&t, &url, &shown, USERNAME, PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let location = location.unwrap();
    assert!(query_param(&location, "code").is_some());
}

#[tokio::test]
async fn an_unknown_user_is_throttled_with_the_same_words() {
    let (t, _) = start_with_clock().await;
    let app = t.create_app(web_app()).await;
    let url = web_authorize(&t, &app.app.client_id);
    let (known_status, known_page, known_wait) = sixth_wrong_password(&t, &url, USERNAME).await;
    let (unknown_status, unknown_page, unknown_wait) =
        sixth_wrong_password(&t, &url, "mallory").await;
    assert_eq!(known_status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(unknown_status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(known_wait, unknown_wait);
    assert_eq!(alert_of(&known_page), alert_of(&unknown_page));
}

#[tokio::test]
async fn a_replayed_a_cookieless_or_an_altered_form_is_refused() {
    let t = TestServer::start_with_user().await;
    let app = t.create_app(web_app()).await;
    let url = web_authorize(&t, &app.app.client_id);

    // Without the cookie the form came with (another browser, a cross-site post).
    let shown = open(&t, &url).await;
    assert!(
        shown
            .cookie
            .as_deref()
            .is_some_and(|c| c.starts_with("oc_form="))
    );
    let stripped = Shown {
        page: shown.page.clone(),
        cookie: None,
    };
    let (status, location, _, _) = sign_in(&t, &url, &stripped, USERNAME, PASSWORD).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(location.is_none());

    // With a sealed request changed by one character.
    let sealed = hidden_fields(&shown.page)
        .into_iter()
        .find(|(name, _)| name == "form")
        .unwrap()
        .1;
    let mut altered = sealed.clone().into_bytes();
    let i = altered.len() - 5;
    altered[i] = if altered[i] == b'A' { b'B' } else { b'A' };
    let altered = Shown {
        page: shown
            .page
            .replace(&sealed, std::str::from_utf8(&altered).unwrap()),
        cookie: shown.cookie.clone(),
    };
    let (status, _, _, _) = sign_in(&t, &url, &altered, USERNAME, PASSWORD).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // The real one works once; its replay is refused.
    let (status, location, _, _) = sign_in(&t, &url, &shown, USERNAME, PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.is_some());
    let (status, location, page, _) = sign_in(&t, &url, &shown, USERNAME, PASSWORD).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(location.is_none());
    assert!(page.contains("expired or was already used"), "{page}");
}

#[tokio::test]
async fn a_form_expires_after_ten_minutes() {
    let (t, clock) = start_with_clock().await;
    let app = t.create_app(web_app()).await;
    let url = web_authorize(&t, &app.app.client_id);
    let shown = open(&t, &url).await;
    clock.advance(600);
    let (status, location, page, _) = sign_in(&t, &url, &shown, USERNAME, PASSWORD).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
    assert!(location.is_none());
}

#[tokio::test]
async fn the_key_that_sealed_a_form_still_opens_it_after_a_new_key_takes_over() {
    let (t, clock) = start_with_clock().await;
    let app = t.create_app(web_app()).await;
    let url = web_authorize(&t, &app.app.client_id);
    let key_of = |shown: &Shown| {
        let sealed = hidden_fields(&shown.page)
            .into_iter()
            .find(|(name, _)| name == "form")
            .unwrap()
            .1;
        sealed.split('.').nth(1).unwrap().to_string()
    };
    let first = open(&t, &url).await;
    clock.advance(24 * 3600 - 120);
    let before_rotation = open(&t, &url).await;
    assert_eq!(key_of(&first), key_of(&before_rotation));
    clock.advance(180);
    let after_rotation = open(&t, &url).await;
    assert_ne!(key_of(&before_rotation), key_of(&after_rotation));

    let (status, _, page, _) = sign_in(&t, &url, &before_rotation, USERNAME, PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let (status, _, page, _) = sign_in(&t, &url, &after_rotation, USERNAME, PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
}

#[tokio::test]
async fn a_state_longer_than_1_kib_is_an_invalid_request() {
    let t = TestServer::start_with_user().await;
    let app = t.create_app(web_app()).await;
    let long_state = "s".repeat(1025);
    let url = t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", &app.app.client_id),
        ("redirect_uri", WEB_REDIRECT),
        ("state", &long_state),
    ]);
    let (status, location, _) = t.get_authorize(&url).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = location.unwrap();
    assert_eq!(
        query_param(&location, "error").as_deref(),
        Some("invalid_request")
    );
    assert_eq!(query_param(&location, "state"), None, "not echoed back");

    let fits = "s".repeat(1000);
    let url = t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", &app.app.client_id),
        ("redirect_uri", WEB_REDIRECT),
        ("state", &fits),
    ]);
    let (status, _, _) = t.get_authorize(&url).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_submitted_form_is_checked_against_the_app_as_it_is_now() {
    let t = TestServer::start_with_user().await;

    // The redirect URL was removed while the page was open: nothing goes there.
    let app = t.create_app(web_app()).await;
    let url = web_authorize(&t, &app.app.client_id);
    let shown = open(&t, &url).await;
    let patch = AppPatch {
        redirect_urls: Some(vec!["https://app.example.com/other".into()]),
        ..AppPatch::default()
    };
    t.admin.patch_app(&app.app.client_id, &patch).await.unwrap();
    let (status, location, page, _) = sign_in(&t, &url, &shown, USERNAME, PASSWORD).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
    assert!(location.is_none());
    assert!(page.contains("not registered"), "{page}");

    // Implicit was switched off: the approval becomes unauthorized_client.
    let spa = t.create_app(spa_app(true)).await;
    let url = t.authorize_url(&[
        ("response_type", "token"),
        ("client_id", &spa.app.client_id),
        ("redirect_uri", SPA_REDIRECT),
    ]);
    let shown = open(&t, &url).await;
    let patch = AppPatch {
        grant_types: Some(vec![GrantType::AuthorizationCode]),
        ..AppPatch::default()
    };
    t.admin.patch_app(&spa.app.client_id, &patch).await.unwrap();
    let (status, location, _, _) = sign_in(&t, &url, &shown, USERNAME, PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = location.unwrap();
    assert_eq!(
        query_param(&location, "error").as_deref(),
        Some("unauthorized_client")
    );
    assert!(
        location
            .fragment()
            .is_none_or(|f| !f.contains("access_token"))
    );

    // The app was deleted.
    let gone = t.create_app(web_app()).await;
    let url = web_authorize(&t, &gone.app.client_id);
    let shown = open(&t, &url).await;
    t.admin.delete_app(&gone.app.client_id).await.unwrap();
    let (status, location, _, _) = sign_in(&t, &url, &shown, USERNAME, PASSWORD).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(location.is_none());
}

#[tokio::test]
async fn the_page_says_what_the_app_may_do_in_plain_words() {
    let t = TestServer::start_with_user().await;
    let app = t.create_app(web_app()).await;
    let url = t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", &app.app.client_id),
        ("redirect_uri", WEB_REDIRECT),
        ("scope", "monitoring management offline_access"),
    ]);
    let shown = open(&t, &url).await;
    for words in [
        "See your monitoring data",
        "Change your devices and organisations",
        "Keep this access while you are away",
        "a website",
        "Your account on",
    ] {
        assert!(shown.page.contains(words), "{words}: {}", shown.page);
    }
    assert!(!shown.page.contains("needs the refresh token grant"));
    assert!(!shown.page.contains("<script"));
}
