//! The device authorization grant's polling (RFC 8628 §3.4–3.5), through the worker,
//! against a small RFC 8628 endpoint written here: our server's side of the device
//! flow does not exist yet, so this fake stands in for that peer.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use oauth_console::api::AdminClient;
use oauth_console::api::flows::{DevicePollEvent, FlowError};
use oauth_console::domain::{ClientApp, GrantType, Platform, Scope};
use oauth_console::worker::{RequestId, WorkerReply, WorkerRequest, spawn};
use serde_json::json;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedReceiver;
use url::Url;

/// What the fake token endpoint answers to each poll, in order.
#[derive(Clone, Copy)]
enum Answer {
    Pending,
    SlowDown,
    Token,
    Expired,
    Denied,
    Unavailable,
}

struct Fake {
    issuer: String,
    answers: Mutex<VecDeque<Answer>>,
    polls: Mutex<Vec<(Instant, HashMap<String, String>)>>,
}

async fn start_fake(answers: &[Answer]) -> (Url, Arc<Fake>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let fake = Arc::new(Fake {
        issuer: base.clone(),
        answers: Mutex::new(answers.iter().copied().collect()),
        polls: Mutex::new(Vec::new()),
    });
    let app = Router::new()
        .route("/.well-known/oauth-authorization-server", get(metadata))
        .route("/device_authorization", post(device_authorization))
        .route("/token", post(token))
        .with_state(Arc::clone(&fake));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (Url::parse(&base).unwrap(), fake)
}

async fn metadata(State(fake): State<Arc<Fake>>) -> Json<serde_json::Value> {
    Json(json!({
        "issuer": fake.issuer,
        "token_endpoint": format!("{}/token", fake.issuer),
        "device_authorization_endpoint": format!("{}/device_authorization", fake.issuer),
        "grant_types_supported": ["urn:ietf:params:oauth:grant-type:device_code"],
    }))
}

async fn device_authorization(
    State(fake): State<Arc<Fake>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if form.get("client_id").map(String::as_str) != Some("oc_device") {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "invalid_client"})),
        )
            .into_response();
    }
    Json(json!({
        "device_code": "dc_secret",
        "user_code": "WDJB-MJHT",
        "verification_uri": format!("{}/device", fake.issuer),
        "verification_uri_complete": format!("{}/device?user_code=WDJB-MJHT", fake.issuer),
        "expires_in": 60,
        "interval": 1,
    }))
    .into_response()
}

async fn token(
    State(fake): State<Arc<Fake>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    fake.polls.lock().unwrap().push((Instant::now(), form));
    let answer = fake.answers.lock().unwrap().pop_front();
    let error =
        |code: &str| (StatusCode::BAD_REQUEST, Json(json!({"error": code}))).into_response();
    match answer {
        Some(Answer::Pending) | None => error("authorization_pending"),
        Some(Answer::SlowDown) => error("slow_down"),
        Some(Answer::Expired) => error("expired_token"),
        Some(Answer::Denied) => error("access_denied"),
        Some(Answer::Unavailable) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        Some(Answer::Token) => Json(json!({
            "access_token": "oca_from_device",
            "refresh_token": "ocr_from_device",
            "token_type": "Bearer",
            "expires_in": 3600,
            "scope": "monitoring offline_access",
        }))
        .into_response(),
    }
}

fn device_app() -> ClientApp {
    ClientApp {
        client_id: "oc_device".into(),
        name: "Asset inventory".into(),
        platform: Platform::Native,
        redirect_urls: vec![],
        scopes: vec![Scope::Monitoring, Scope::OfflineAccess],
        grant_types: vec![GrantType::DeviceCode, GrantType::RefreshToken],
        secret_hash: None,
        previous_secret_hash: None,
        previous_secret_expires_at: None,
        created_at: 0,
        updated_at: 0,
        access_token_ttl: None,
        refresh_token_ttl: None,
    }
}

async fn next(rx: &mut UnboundedReceiver<(RequestId, WorkerReply)>) -> WorkerReply {
    let (_, reply) = tokio::time::timeout(Duration::from_secs(30), rx.recv())
        .await
        .expect("the worker answered in time")
        .expect("the worker is running");
    reply
}

/// Starts a device flow and returns the replies up to and including `FlowFinished`.
async fn run_device_flow(base: Url) -> (Vec<WorkerReply>, Instant) {
    let (worker, mut replies) = spawn(AdminClient::new(base, "ocak_unused".into()).unwrap());
    let started = Instant::now();
    assert!(worker.send(
        7,
        WorkerRequest::StartDeviceFlow {
            app: device_app(),
            secret: None,
            scopes: vec![Scope::Monitoring, Scope::OfflineAccess],
        },
    ));
    let mut seen = Vec::new();
    loop {
        let reply = next(&mut replies).await;
        let done = matches!(reply, WorkerReply::FlowFinished { .. });
        seen.push(reply);
        if done {
            return (seen, started);
        }
    }
}

fn finished(
    replies: &[WorkerReply],
) -> &Result<oauth_console::api::flows::IssuedTokens, FlowError> {
    match replies.last() {
        Some(WorkerReply::FlowFinished { flow_id, result }) => {
            assert_eq!(*flow_id, 7);
            result
        }
        other => panic!("expected FlowFinished, got {other:?}"),
    }
}

#[tokio::test]
async fn device_flow_shows_the_code_then_polls_patiently_until_approved() {
    let (base, fake) = start_fake(&[Answer::Pending, Answer::SlowDown, Answer::Token]).await;
    let (replies, started) = run_device_flow(base).await;

    let WorkerReply::DeviceCode {
        flow_id,
        user_code,
        verification_uri,
        verification_uri_complete,
        interval,
        ..
    } = &replies[0]
    else {
        panic!("the first reply shows the device code: {:?}", replies[0]);
    };
    assert_eq!(*flow_id, 7);
    assert_eq!(user_code, "WDJB-MJHT");
    assert!(verification_uri.ends_with("/device"));
    assert!(
        verification_uri_complete
            .as_deref()
            .unwrap()
            .contains("user_code=WDJB-MJHT")
    );
    assert_eq!(*interval, Duration::from_secs(1));

    let progress: Vec<&DevicePollEvent> = replies
        .iter()
        .filter_map(|r| match r {
            WorkerReply::DevicePolling { event, .. } => Some(event),
            _ => None,
        })
        .collect();
    assert_eq!(
        progress,
        vec![
            &DevicePollEvent::Pending {
                interval: Duration::from_secs(1)
            },
            &DevicePollEvent::SlowDown {
                interval: Duration::from_secs(6)
            },
        ]
    );

    let tokens = finished(&replies).as_ref().expect("tokens after approval");
    assert_eq!(tokens.access_token.expose(), "oca_from_device");
    assert_eq!(
        tokens.refresh_token.as_ref().unwrap().expose(),
        "ocr_from_device"
    );
    assert_eq!(tokens.scopes, vec!["monitoring", "offline_access"]);

    let polls = fake.polls.lock().unwrap();
    assert_eq!(polls.len(), 3);
    let gaps: Vec<Duration> = std::iter::once(polls[0].0 - started)
        .chain(polls.windows(2).map(|w| w[1].0 - w[0].0))
        .collect();
    assert!(
        gaps[0] >= Duration::from_secs(1),
        "first poll too soon: {gaps:?}"
    );
    assert!(
        gaps[1] >= Duration::from_secs(1),
        "second poll too soon: {gaps:?}"
    );
    assert!(
        gaps[2] >= Duration::from_secs(6),
        "after slow_down the wait must grow by 5 s: {gaps:?}"
    );
    for (_, form) in polls.iter() {
        assert_eq!(
            form["grant_type"],
            "urn:ietf:params:oauth:grant-type:device_code"
        );
        assert_eq!(form["device_code"], "dc_secret");
        assert_eq!(form["client_id"], "oc_device");
    }
}

#[tokio::test]
async fn device_flow_stops_when_the_code_expires() {
    let (base, fake) = start_fake(&[Answer::Pending, Answer::Expired]).await;
    let (replies, _) = run_device_flow(base).await;
    let error = finished(&replies).as_ref().unwrap_err();
    assert_eq!(error.oauth_code(), Some("expired_token"));
    assert_eq!(
        fake.polls.lock().unwrap().len(),
        2,
        "no poll after expired_token"
    );
}

#[tokio::test]
async fn device_flow_stops_when_the_user_denies_access() {
    let (base, fake) = start_fake(&[Answer::Denied]).await;
    let (replies, _) = run_device_flow(base).await;
    let error = finished(&replies).as_ref().unwrap_err();
    assert_eq!(error.oauth_code(), Some("access_denied"));
    assert_eq!(
        fake.polls.lock().unwrap().len(),
        1,
        "no poll after access_denied"
    );
}

#[tokio::test]
async fn cancelling_a_device_flow_stops_the_polling() {
    let (base, fake) = start_fake(&[Answer::Pending; 10]).await;
    let (worker, mut replies) = spawn(AdminClient::new(base, "ocak_unused".into()).unwrap());
    worker.send(
        3,
        WorkerRequest::StartDeviceFlow {
            app: device_app(),
            secret: None,
            scopes: vec![Scope::Monitoring],
        },
    );
    assert!(matches!(
        next(&mut replies).await,
        WorkerReply::DeviceCode { .. }
    ));
    worker.send(4, WorkerRequest::CancelFlow { flow_id: 3 });
    let reply = next(&mut replies).await;
    let WorkerReply::FlowFinished {
        flow_id: 3,
        result: Err(FlowError::Cancelled),
    } = reply
    else {
        panic!("expected the flow to end as cancelled: {reply:?}");
    };
    let polls_at_cancel = fake.polls.lock().unwrap().len();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        fake.polls.lock().unwrap().len(),
        polls_at_cancel,
        "polling went on after cancel"
    );
}

#[tokio::test]
async fn device_flow_backs_off_when_the_server_is_unavailable_then_carries_on() {
    let (base, fake) = start_fake(&[Answer::Unavailable, Answer::Token]).await;
    let (replies, _) = run_device_flow(base).await;
    let retry = replies.iter().find_map(|r| match r {
        WorkerReply::DevicePolling {
            event: DevicePollEvent::Retrying { interval, .. },
            ..
        } => Some(*interval),
        _ => None,
    });
    assert_eq!(retry, Some(Duration::from_secs(2)), "the wait doubles");
    assert!(finished(&replies).is_ok());
    let polls = fake.polls.lock().unwrap();
    assert!(polls[1].0 - polls[0].0 >= Duration::from_secs(2));
}

#[tokio::test]
async fn device_flow_gives_up_after_repeated_server_errors() {
    let (base, fake) = start_fake(&[Answer::Unavailable; 3]).await;
    let (replies, _) = run_device_flow(base).await;
    assert!(finished(&replies).is_err());
    assert_eq!(fake.polls.lock().unwrap().len(), 3);
}
