//! A busy server's log does not grow with every request: at the default INFO level,
//! token requests and introspections write nothing per request (that line is DEBUG).
//! A separate test binary, because it installs the global subscriber.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod log_capture;
mod support;

use log_capture::CapturedLog;
use reqwest::StatusCode;
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_requests_write_no_log_line_each_at_info() {
    let log = CapturedLog::install(tracing::Level::INFO);

    let t = TestServer::start().await;
    let api = t.create_app(api_app()).await;
    let secret = api.client_secret.clone().unwrap();
    let before = log.len();
    for _ in 0..100 {
        let (status, _, body) = t
            .token(
                &[("grant_type", "client_credentials")],
                Some((&api.app.client_id, &secret)),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(t.is_active(body["access_token"].as_str().unwrap()).await);
    }
    let written = log.len() - before;
    let text = log.text_since(before);
    assert!(
        written < 1_000,
        "200 requests wrote {written} bytes of INFO log: {text}"
    );
}
