//! A busy server's log does not grow with every request: at the default INFO level,
//! token requests and introspections write nothing per request (that line is DEBUG).
//! A separate test binary, because it installs the global subscriber.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use reqwest::StatusCode;
use std::io::Write;
use std::sync::{Arc, Mutex};
use support::*;

#[derive(Clone, Default)]
struct SharedBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for SharedBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_requests_write_no_log_line_each_at_info() {
    let buffer = SharedBuffer::default();
    let writer = buffer.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

    let t = TestServer::start().await;
    let api = t.create_app(api_app()).await;
    let secret = api.client_secret.clone().unwrap();
    let before = buffer.0.lock().unwrap().len();
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
    let written = buffer.0.lock().unwrap().len() - before;
    let text = String::from_utf8_lossy(&buffer.0.lock().unwrap()[before..]).to_string();
    assert!(
        written < 1_000,
        "200 requests wrote {written} bytes of INFO log: {text}"
    );
}
