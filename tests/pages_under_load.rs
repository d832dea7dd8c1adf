//! The sign-in pages of a real `serve` process under the floods an attacker can send
//! without an account: page loads by the hundred thousand, and wrong passwords by
//! the hundred at once. The server's memory is read from /proc.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod serve_support;
mod support;

use futures::StreamExt;
use oauth_console::api::AdminClient;
use reqwest::StatusCode;
use serve_support::Served;
use std::time::{Duration, Instant};
use support::{PASSWORD, USERNAME, WEB_REDIRECT, form_cookie, hidden_fields, web_app};
use tempfile::TempDir;
use url::Url;

/// The server logs warnings only: its stderr is kept in memory by the harness.
const QUIET: &[(&str, &str)] = &[("RUST_LOG", "warn")];

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn set_up(server: &Served) -> Url {
    let admin = AdminClient::new(server.base(), server.admin_key()).unwrap();
    admin.create_user(USERNAME, PASSWORD).await.unwrap();
    let app = admin.create_app(&web_app()).await.unwrap();
    let mut url = server.url("oauth/authorize");
    url.query_pairs_mut().extend_pairs([
        ("response_type", "code"),
        ("client_id", app.app.client_id.as_str()),
        ("redirect_uri", WEB_REDIRECT),
        ("state", "s"),
    ]);
    url
}

/// `count` GETs spread over `urls`, 32 at a time; every one must be a 200.
async fn flood(http: &reqwest::Client, urls: &[Url], count: usize) {
    let failures = futures::stream::iter(0..count)
        .map(|i| {
            let url = urls[i % urls.len()].clone();
            async move {
                let response = http.get(url).send().await.unwrap();
                let ok = response.status() == StatusCode::OK;
                let _ = response.bytes().await;
                usize::from(!ok)
            }
        })
        .buffer_unordered(32)
        .fold(0, |sum, failed| async move { sum + failed })
        .await;
    assert_eq!(failures, 0, "every page loads");
}

/// Opens the consent page and submits `password` for `user` as a fresh browser.
async fn sign_in(
    http: &reqwest::Client,
    url: &Url,
    user: &str,
    password: &str,
) -> reqwest::Response {
    let response = http.get(url.clone()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = form_cookie(response.headers()).unwrap();
    let page = response.text().await.unwrap();
    post_form(http, url, &cookie, &page, user, password).await
}

async fn post_form(
    http: &reqwest::Client,
    url: &Url,
    cookie: &str,
    page: &str,
    user: &str,
    password: &str,
) -> reqwest::Response {
    let mut form = hidden_fields(page);
    form.push(("username".into(), user.into()));
    form.push(("password".into(), password.into()));
    form.push(("decision".into(), "approve".into()));
    http.post(url.clone())
        .header("cookie", cookie)
        .form(&form)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_thousand_page_loads_keep_memory_flat_and_a_person_still_signs_in_at_once() {
    let dir = TempDir::new().unwrap();
    let server = Served::start_with_env(dir.path(), &[], QUIET);
    let authorize = set_up(&server).await;
    let device = server.url("device?user_code=BCDF-GHJK");
    let urls = [authorize.clone(), device];
    let http = browser();

    flood(&http, &urls, 2_000).await;
    let before = server.rss_kib();
    let started = Instant::now();
    flood(&http, &urls, 100_000).await;
    let took = started.elapsed();
    let after = server.rss_kib();
    let grown = after.saturating_sub(before);
    eprintln!("100,000 page loads in {took:?}: RSS {before} KiB -> {after} KiB (+{grown} KiB)");
    assert!(grown < 10 * 1024, "RSS grew by {grown} KiB");

    let asked = Instant::now();
    let response = sign_in(&http, &authorize, USERNAME, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .contains("code=")
    );
    assert!(
        asked.elapsed() < Duration::from_secs(2),
        "{:?}",
        asked.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_wrong_passwords_at_once_keep_memory_bounded_and_busy_is_said() {
    let dir = TempDir::new().unwrap();
    // The address throttle would turn most of them away before any password check;
    // lifted here so that the password gate alone is measured.
    let server = Served::start_with_env(
        dir.path(),
        &["--sign-in-attempts-per-address", "100000"],
        QUIET,
    );
    let authorize = set_up(&server).await;
    let http = browser();

    let mut forms = Vec::new();
    for _ in 0..200 {
        let response = http.get(authorize.clone()).send().await.unwrap();
        let cookie = form_cookie(response.headers()).unwrap();
        forms.push((cookie, response.text().await.unwrap()));
    }
    let started = Instant::now();
    let answers = futures::future::join_all(forms.iter().enumerate().map(|(i, (cookie, page))| {
        let (http, url) = (&http, &authorize);
        async move {
            let user = format!("guess{i}");
            let response = post_form(http, url, cookie, page, &user, "wrong password").await;
            let status = response.status();
            let retry_after = response.headers().contains_key("retry-after");
            (status, retry_after)
        }
    }))
    .await;
    let took = started.elapsed();
    let peak = server.peak_rss_kib();
    let wrong = answers.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    let busy = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::SERVICE_UNAVAILABLE)
        .count();
    eprintln!(
        "200 wrong passwords at once in {took:?}: {wrong} checked, {busy} told busy; peak RSS {peak} KiB"
    );
    assert_eq!(wrong + busy, 200, "{answers:?}");
    assert!(wrong >= 4, "some are checked");
    assert!(
        answers
            .iter()
            .all(|(s, retry)| *s != StatusCode::SERVICE_UNAVAILABLE || *retry)
    );
    assert!(peak < 300 * 1024, "peak RSS {peak} KiB");

    let response = sign_in(&http, &authorize, USERNAME, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_shown_by_one_process_is_accepted_by_another_once() {
    let dir = TempDir::new().unwrap();
    let first = Served::start_with_env(dir.path(), &[], QUIET);
    let second = Served::start_with_env(dir.path(), &[], QUIET);
    let on_first = set_up(&first).await;
    let mut on_second = on_first.clone();
    on_second.set_port(second.base().port()).unwrap();
    let http = browser();

    let response = http.get(on_first.clone()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = form_cookie(response.headers()).unwrap();
    let page = response.text().await.unwrap();

    let answer = post_form(&http, &on_second, &cookie, &page, USERNAME, PASSWORD).await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    let replay = post_form(&http, &on_first, &cookie, &page, USERNAME, PASSWORD).await;
    assert_eq!(replay.status(), StatusCode::BAD_REQUEST);
    assert!(replay.headers().get("location").is_none());
}
