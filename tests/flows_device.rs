//! The device authorization grant's polling (RFC 8628 §3.4–3.5), through the worker,
//! against our own server on 127.0.0.1 with a clock the test moves: the server decides
//! every answer (authorization_pending, slow_down, expired_token, access_denied), the
//! person answers on the real device page, and an outage is the server really gone.
//! The test moves the server's clock on the worker's own replies, never on a timer.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use oauth_console::api::AdminClient;
use oauth_console::api::flows::{DevicePollEvent, FlowError, IssuedTokens};
use oauth_console::domain::{ClientApp, GrantType, Platform, Scope};
use oauth_console::service::ServiceConfig;
use oauth_console::store::Store;
use oauth_console::store::sqlite::SqliteStore;
use oauth_console::worker::{RequestId, WorkerHandle, WorkerReply, WorkerRequest, spawn};
use reqwest::StatusCode;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::*;
use tokio::sync::mpsc::UnboundedReceiver;

const FLOW: RequestId = 7;
const START: i64 = 1_800_000_000;

/// One second between polls, so a test takes seconds; the code lives ten minutes.
fn config() -> ServiceConfig {
    ServiceConfig {
        device_poll_interval: 1,
        device_code_ttl: 600,
        ..ServiceConfig::default()
    }
}

/// Our server with the test's clock, alice, and a Native app with the device grant.
async fn server() -> (TestServer, Arc<TestClock>, ClientApp) {
    let (t, clock) = TestServer::start_with_clock_and(START, config()).await;
    t.admin.create_user(USERNAME, PASSWORD).await.unwrap();
    let mut draft = draft(
        Platform::Native,
        &[],
        &[Scope::Monitoring, Scope::OfflineAccess],
        &[GrantType::DeviceCode, GrantType::RefreshToken],
    );
    draft.name = "Asset inventory".into();
    let app = t.create_app(draft).await.app;
    (t, clock, app)
}

type Replies = UnboundedReceiver<(RequestId, WorkerReply)>;

/// The worker, on the server's admin API, asked to start a device flow for `app`.
fn start_flow(t: &TestServer, app: &ClientApp) -> (WorkerHandle, Replies) {
    let admin = AdminClient::new(t.server.base_url(), t.admin_key.clone()).unwrap();
    let (worker, replies) = spawn(admin);
    assert!(worker.send(
        FLOW,
        WorkerRequest::StartDeviceFlow {
            app: app.clone(),
            secret: None,
            scopes: vec![Scope::Monitoring, Scope::OfflineAccess],
        },
    ));
    (worker, replies)
}

/// The worker's next reply, and when it came.
async fn next(replies: &mut Replies) -> (WorkerReply, Instant) {
    let (_, reply) = tokio::time::timeout(Duration::from_secs(30), replies.recv())
        .await
        .expect("the worker answered in time")
        .expect("the worker is running");
    (reply, Instant::now())
}

/// Waits for the device code and returns the user code shown.
async fn shown_code(replies: &mut Replies) -> (String, Instant) {
    match next(replies).await {
        (WorkerReply::DeviceCode { user_code, .. }, at) => (user_code, at),
        (other, _) => panic!("the first reply shows the device code: {other:?}"),
    }
}

/// The next reply, which must be a polling event of this flow.
async fn poll_event(replies: &mut Replies) -> (DevicePollEvent, Instant) {
    match next(replies).await {
        (WorkerReply::DevicePolling { flow_id, event }, at) => {
            assert_eq!(flow_id, FLOW);
            (event, at)
        }
        (other, _) => panic!("expected a polling event, got {other:?}"),
    }
}

/// The next reply, which must end the flow.
async fn finished(replies: &mut Replies) -> (Result<IssuedTokens, FlowError>, Instant) {
    match next(replies).await {
        (WorkerReply::FlowFinished { flow_id, result }, at) => {
            assert_eq!(flow_id, FLOW);
            (result, at)
        }
        (other, _) => panic!("expected the flow to end, got {other:?}"),
    }
}

async fn approve(t: &TestServer, user_code: &str) {
    let (status, page) = t
        .answer_device(t.url("device").as_str(), user_code, PASSWORD, "approve")
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
}

#[tokio::test]
async fn device_flow_shows_the_code_then_polls_patiently_until_approved() {
    let (t, clock, app) = server().await;
    let (_worker, mut replies) = start_flow(&t, &app);

    let (reply, started) = next(&mut replies).await;
    let WorkerReply::DeviceCode {
        flow_id,
        user_code,
        verification_uri,
        verification_uri_complete,
        interval,
        ..
    } = reply
    else {
        panic!("the first reply shows the device code: {reply:?}");
    };
    assert_eq!(flow_id, FLOW);
    assert_eq!(verification_uri, format!("{}device", t.server.issuer()));
    let complete = verification_uri_complete.unwrap();
    assert!(complete.starts_with(&verification_uri), "{complete}");
    assert!(complete.contains(&user_code.replace('-', "")) || complete.contains(&user_code));
    assert_eq!(interval, Duration::from_secs(1));

    // The first poll comes after the interval: the user has not answered.
    clock.advance(1);
    let (event, pending_at) = poll_event(&mut replies).await;
    assert_eq!(
        event,
        DevicePollEvent::Pending {
            interval: Duration::from_secs(1)
        }
    );
    assert!(
        pending_at - started >= Duration::from_secs(1),
        "polled too soon"
    );

    // The server's clock stands still: to it, the next poll comes too fast.
    let (event, slow_at) = poll_event(&mut replies).await;
    assert_eq!(
        event,
        DevicePollEvent::SlowDown {
            interval: Duration::from_secs(6)
        },
        "slow_down adds 5 s to the interval"
    );
    assert!(
        slow_at - pending_at >= Duration::from_secs(1),
        "polled too soon"
    );

    // Alice approves; the worker waits the new 6 s before it polls again.
    approve(&t, &user_code).await;
    clock.advance(6);
    let (result, done_at) = finished(&mut replies).await;
    assert!(
        done_at - slow_at >= Duration::from_secs(6),
        "after slow_down the wait must grow by 5 s: {:?}",
        done_at - slow_at
    );
    let tokens = result.expect("tokens after approval");
    assert!(tokens.access_token.expose().starts_with("oca_"));
    let refresh = tokens.refresh_token.as_ref().expect("a refresh token");
    assert!(refresh.expose().starts_with("ocr_"));
    assert_eq!(tokens.scopes, vec!["monitoring", "offline_access"]);
    let info = t.introspect(tokens.access_token.expose()).await;
    assert_eq!(info["active"], true, "{info}");
    assert_eq!(info["client_id"], app.client_id.as_str());
    assert_eq!(info["username"], USERNAME);
}

#[tokio::test]
async fn device_flow_stops_when_the_code_expires() {
    let (t, clock, app) = server().await;
    let (_worker, mut replies) = start_flow(&t, &app);
    shown_code(&mut replies).await;
    clock.advance(1);
    let (event, _) = poll_event(&mut replies).await;
    assert!(
        matches!(event, DevicePollEvent::Pending { .. }),
        "{event:?}"
    );

    // Ten minutes pass on the server before the next poll.
    clock.advance(600);
    let (result, _) = finished(&mut replies).await;
    let error = result.unwrap_err();
    assert_eq!(error.oauth_code(), Some("expired_token"), "{error:?}");
}

#[tokio::test]
async fn device_flow_stops_when_the_user_denies_access() {
    let (t, clock, app) = server().await;
    let (_worker, mut replies) = start_flow(&t, &app);
    let (user_code, _) = shown_code(&mut replies).await;
    let (status, page) = t
        .answer_device(t.url("device").as_str(), &user_code, PASSWORD, "deny")
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    clock.advance(1);
    let (result, _) = finished(&mut replies).await;
    let error = result.unwrap_err();
    assert_eq!(error.oauth_code(), Some("access_denied"), "{error:?}");
}

#[tokio::test]
async fn cancelling_a_device_flow_stops_the_polling() {
    let (t, clock, app) = server().await;
    let (worker, mut replies) = start_flow(&t, &app);
    let (user_code, _) = shown_code(&mut replies).await;
    clock.advance(1);
    let (event, _) = poll_event(&mut replies).await;
    assert!(
        matches!(event, DevicePollEvent::Pending { .. }),
        "{event:?}"
    );

    worker.send(4, WorkerRequest::CancelFlow { flow_id: FLOW });
    let (result, _) = finished(&mut replies).await;
    assert!(matches!(result, Err(FlowError::Cancelled)), "{result:?}");

    // Alice approves after all, and the clock moves on: a worker still polling would
    // mark the code polled at the new time, and then collect its tokens.
    approve(&t, &user_code).await;
    clock.advance(100);
    let store =
        SqliteStore::open(&data_dir(&t.dir).join("oauth-console.db")).expect("the server's file");
    let polled_at_cancel = code_of(&store, &user_code).await.last_polled_at;
    assert_eq!(
        polled_at_cancel,
        Some(START + 1),
        "one poll, before the cancel"
    );
    // Two intervals without a poll: the window in which a live flow would have polled.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let code = code_of(&store, &user_code).await;
    assert_eq!(code.last_polled_at, Some(START + 1), "polling went on");
    assert_eq!(
        code.status,
        oauth_console::domain::DeviceStatus::Approved,
        "nobody collected the tokens"
    );
}

async fn code_of(store: &SqliteStore, user_code: &str) -> oauth_console::domain::DeviceCode {
    store
        .get_device_code_by_user_code(&user_code.replace('-', ""))
        .await
        .unwrap()
        .expect("the device code is stored")
}

#[tokio::test]
async fn device_flow_backs_off_when_the_server_is_unavailable_then_carries_on() {
    let (t, clock, app) = server().await;
    let (_worker, mut replies) = start_flow(&t, &app);
    let (user_code, _) = shown_code(&mut replies).await;
    // The server goes away before the first poll (one second away).
    let stopped = t.stop().await;

    // A poll may have slipped in before the stop; the first failed one doubles the wait.
    let (retry_interval, retry_at) = loop {
        match poll_event(&mut replies).await {
            (DevicePollEvent::Pending { .. }, _) => continue,
            (DevicePollEvent::Retrying { interval, .. }, at) => break (interval, at),
            (other, _) => panic!("expected a retry, got {other:?}"),
        }
    };
    assert_eq!(retry_interval, Duration::from_secs(2), "the wait doubles");

    // It comes back on the same address and data; alice approves meanwhile.
    let t = stopped.resume(config(), clock.clone()).await;
    approve(&t, &user_code).await;
    clock.advance(2);
    let (result, done_at) = loop {
        match next(&mut replies).await {
            (WorkerReply::DevicePolling { .. }, _) => continue,
            (WorkerReply::FlowFinished { result, .. }, at) => break (result, at),
            (other, _) => panic!("unexpected reply: {other:?}"),
        }
    };
    assert!(done_at - retry_at >= Duration::from_secs(2), "waited 2 s");
    let tokens = result.expect("tokens once the server is back");
    assert!(t.is_active(tokens.access_token.expose()).await);
}

#[tokio::test]
async fn device_flow_gives_up_after_repeated_server_errors() {
    let (t, _clock, app) = server().await;
    let (_worker, mut replies) = start_flow(&t, &app);
    shown_code(&mut replies).await;
    let _stopped = t.stop().await;

    let mut retries = Vec::new();
    let result = loop {
        match next(&mut replies).await {
            (
                WorkerReply::DevicePolling {
                    event: DevicePollEvent::Retrying { interval, .. },
                    ..
                },
                _,
            ) => retries.push(interval),
            (WorkerReply::DevicePolling { .. }, _) => {}
            (WorkerReply::FlowFinished { result, .. }, _) => break result,
            (other, _) => panic!("unexpected reply: {other:?}"),
        }
    };
    assert_eq!(
        retries,
        vec![Duration::from_secs(2), Duration::from_secs(4)],
        "two retries, each wait doubled, then the third failure ends it"
    );
    let error = result.unwrap_err();
    assert_eq!(
        error.oauth_code(),
        None,
        "an outage, not an OAuth answer: {error:?}"
    );
}
