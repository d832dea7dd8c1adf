//! Counters an operator alerts on, moved by what a user does over real HTTP: sign-ins
//! refused by the throttle (consent page and device page), and the SQLite writer's
//! group commits. The recorder is the process-wide one `serve` installs; this test
//! binary installs it once and reads differences.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use oauth_console::server::metrics;
use oauth_console::server::{ServerLimits, SignInLimits, ThrottlePolicy};
use reqwest::StatusCode;
use support::*;
use url::Url;

/// The value of the sample whose name-and-labels is exactly `series` (0 when absent).
fn sample(series: &str) -> f64 {
    let text = metrics::install().unwrap().render();
    text.lines()
        .find_map(|line| {
            let value = line.strip_prefix(series)?.strip_prefix(' ')?;
            value.trim().parse().ok()
        })
        .unwrap_or(0.0)
}

fn tight(per_account: u32, per_address: u32) -> ServerLimits {
    let policy = |free_failures| ThrottlePolicy {
        free_failures,
        ..ThrottlePolicy::SIGN_IN
    };
    ServerLimits {
        sign_in: SignInLimits {
            per_account: policy(per_account),
            per_address: policy(per_address),
            ..SignInLimits::default()
        },
        ..ServerLimits::default()
    }
}

/// Opens `url`, posts its form with `fields` added and the cookie it set; the status.
async fn submit(t: &TestServer, url: &Url, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let response = t.http.get(url.clone()).send().await.unwrap();
    let cookie = form_cookie(response.headers());
    let page = response.text().await.unwrap();
    let (status, _, page) = t.submit_page(url, cookie.as_deref(), &page, fields).await;
    (status, page)
}

#[tokio::test]
async fn sign_ins_refused_by_the_throttle_are_counted() {
    metrics::install().unwrap();
    let throttled = metrics::SIGN_INS_THROTTLED;

    // The consent page: one free wrong password per account, then the throttle.
    let t = TestServer::start_with_limits(tight(1, 100)).await;
    t.admin.create_user(USERNAME, PASSWORD).await.unwrap();
    let app = t.create_app(web_app()).await;
    let url = t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", &app.app.client_id),
        ("redirect_uri", WEB_REDIRECT),
        ("state", "s1"),
    ]);
    let wrong = [
        ("username", USERNAME),
        ("password", "wrong password"),
        ("decision", "approve"),
    ];
    let before = sample(throttled);
    let (status, page) = submit(&t, &url, &wrong).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(
        sample(throttled),
        before,
        "a first wrong password is not throttled"
    );
    let (status, page) = submit(&t, &url, &wrong).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{page}");
    assert_eq!(sample(throttled), before + 1.0);

    // The device page: one free wrong user code per address, then the throttle.
    let t = TestServer::start_with_limits(tight(100, 1)).await;
    let device = t.url("device");
    let code = [("user_code", "BCDF-GHJK"), ("decision", "continue")];
    let before = sample(throttled);
    let (status, page) = submit(&t, &device, &code).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
    let (status, page) = submit(&t, &device, &code).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{page}");
    assert_eq!(sample(throttled), before + 1.0);
}

#[tokio::test]
async fn sqlite_commits_are_recorded_with_their_number_of_writes() {
    metrics::install().unwrap();
    let count = format!("{}_count", metrics::SQLITE_COMMIT_WRITES);
    let sum = format!("{}_sum", metrics::SQLITE_COMMIT_WRITES);
    let t = TestServer::start().await;
    let app = t.create_app(api_app()).await;
    let secret = app.client_secret.clone().unwrap();
    let (commits, writes) = (sample(&count), sample(&sum));
    for _ in 0..3 {
        let (status, _, body) = t
            .token(
                &[("grant_type", "client_credentials")],
                Some((&app.app.client_id, &secret)),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    // Each token is one write, acknowledged after its commit; one at a time here.
    assert!(sample(&count) >= commits + 3.0, "{}", sample(&count));
    assert!(sample(&sum) >= writes + 3.0, "{}", sample(&sum));
}
