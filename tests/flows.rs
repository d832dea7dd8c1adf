//! The console's OAuth flows, run by the worker against our real server on 127.0.0.1:
//! client credentials; authorization code + PKCE through the loopback listener, with
//! the consent page filled in as a browser would; a pasted redirect URL; cancelling;
//! refresh rotation; introspection and revocation.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser;
mod flow_harness;

use browser::Browser;
use flow_harness::{Harness, PASSWORD, USER, monitoring_and_refresh, native_grants};
use oauth_console::api::flows::{FlowError, SecretString};
use oauth_console::domain::{GrantType, Platform, Scope};
use oauth_console::worker::{RedirectCapture, WorkerReply, WorkerRequest};

#[tokio::test]
async fn client_credentials_get_a_token_for_an_api_services_app() {
    let mut h = Harness::start().await;
    let (app, secret) = h
        .create_app(
            Platform::ApiServices,
            &[],
            &[GrantType::ClientCredentials],
            &[Scope::Monitoring],
        )
        .await;
    let secret = secret.expect("API services apps get a secret");

    let flow = h.send(WorkerRequest::ClientCredentials {
        client_id: app.client_id.clone(),
        secret: secret.clone(),
        scopes: vec![Scope::Monitoring],
    });
    let tokens = h.finished(flow).await.expect("a token");
    assert!(tokens.access_token.expose().starts_with("oca_"));
    assert_eq!(tokens.scopes, vec!["monitoring"]);
    assert!(tokens.refresh_token.is_none());
    assert!(!format!("{tokens:?}").contains(tokens.access_token.expose()));

    // Introspection authenticated as the client itself.
    h.send(WorkerRequest::Introspect {
        client_id: app.client_id.clone(),
        secret: Some(secret),
        token: tokens.access_token.clone(),
    });
    let WorkerReply::Introspected(Ok(info)) = h.next().await else {
        panic!("introspection failed");
    };
    assert!(info.active);
    assert_eq!(info.client_id.as_deref(), Some(app.client_id.as_str()));

    let flow = h.send(WorkerRequest::ClientCredentials {
        client_id: app.client_id.clone(),
        secret: SecretString::new("ocs_wrong"),
        scopes: vec![Scope::Monitoring],
    });
    let error = h.finished(flow).await.unwrap_err();
    assert_eq!(error.oauth_code(), Some("invalid_client"), "{error}");
    h.shutdown().await;
}

#[tokio::test]
async fn native_app_signs_in_through_the_loopback_listener_then_refreshes_and_revokes() {
    let mut h = Harness::start().await;
    let (app, _) = h
        .create_app(
            Platform::Native,
            &[],
            &native_grants(),
            &monitoring_and_refresh(),
        )
        .await;
    let (flow, url, capture) = h
        .start_code_flow(&app, None, &monitoring_and_refresh())
        .await;
    let RedirectCapture::Listening { redirect_uri } = capture else {
        panic!("a Native app listens on loopback: {capture:?}");
    };
    assert!(
        redirect_uri.starts_with("http://127.0.0.1:"),
        "{redirect_uri}"
    );
    assert!(redirect_uri.ends_with("/callback"), "{redirect_uri}");
    assert!(url.contains("code_challenge_method=S256"), "{url}");

    // A redirect with someone else's state is answered but does not end the flow.
    let browser = Browser::new();
    let forged = browser
        .get(&format!("{redirect_uri}?code=forged&state=forged"))
        .await;
    assert_eq!(forged.status, 400);

    let location = browser.consent(&url, USER, PASSWORD, "approve").await;
    assert!(location.starts_with(&redirect_uri), "{location}");
    let page = browser.get(&location).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("You can close this tab"),
        "{}",
        page.body
    );

    let tokens = h.finished(flow).await.expect("tokens after consent");
    assert!(tokens.access_token.expose().starts_with("oca_"));
    let first_refresh = tokens
        .refresh_token
        .clone()
        .expect("offline_access gives a refresh token");
    assert!(tokens.scopes.contains(&"monitoring".to_string()));

    // Refresh rotates: the new refresh token replaces the old, which is then refused.
    h.send(WorkerRequest::Refresh {
        client_id: app.client_id.clone(),
        secret: None,
        refresh_token: first_refresh.clone(),
        scopes: tokens.scopes.clone(),
    });
    let WorkerReply::Refreshed(Ok(refreshed)) = h.next().await else {
        panic!("refresh failed");
    };
    let second_refresh = refreshed.refresh_token.clone().unwrap();
    assert_ne!(second_refresh, first_refresh);
    assert_ne!(refreshed.access_token, tokens.access_token);
    h.send(WorkerRequest::Refresh {
        client_id: app.client_id.clone(),
        secret: None,
        refresh_token: first_refresh,
        scopes: tokens.scopes.clone(),
    });
    let WorkerReply::Refreshed(Err(error)) = h.next().await else {
        panic!("the old refresh token still worked");
    };
    assert_eq!(error.oauth_code(), Some("invalid_grant"), "{error}");

    // Introspect (a public client: with the admin key), revoke, introspect again.
    let token = SecretString::new(h.issue_fresh_native_token(&app).await);
    h.send(WorkerRequest::Introspect {
        client_id: app.client_id.clone(),
        secret: None,
        token: token.clone(),
    });
    let WorkerReply::Introspected(Ok(info)) = h.next().await else {
        panic!("introspection failed");
    };
    assert!(info.active);
    h.send(WorkerRequest::Revoke {
        client_id: app.client_id.clone(),
        secret: None,
        token: token.clone(),
    });
    let WorkerReply::Revoked(result) = h.next().await else {
        panic!("expected Revoked");
    };
    result.expect("revocation accepted");
    h.send(WorkerRequest::Introspect {
        client_id: app.client_id.clone(),
        secret: None,
        token,
    });
    let WorkerReply::Introspected(Ok(info)) = h.next().await else {
        panic!("introspection failed");
    };
    assert!(!info.active, "a revoked token is inactive");
    h.shutdown().await;
}

#[tokio::test]
async fn denying_consent_ends_the_flow_with_access_denied() {
    let mut h = Harness::start().await;
    let (app, _) = h
        .create_app(
            Platform::Native,
            &[],
            &native_grants(),
            &monitoring_and_refresh(),
        )
        .await;
    let (flow, url, _) = h.start_code_flow(&app, None, &[Scope::Monitoring]).await;
    let browser = Browser::new();
    let location = browser.consent(&url, USER, PASSWORD, "deny").await;
    assert!(location.contains("error=access_denied"), "{location}");
    let page = browser.get(&location).await;
    assert!(
        page.body.contains("You can close this tab"),
        "{}",
        page.body
    );
    let error = h.finished(flow).await.unwrap_err();
    assert_eq!(error.oauth_code(), Some("access_denied"), "{error}");
    h.shutdown().await;
}

#[tokio::test]
async fn web_app_redirecting_elsewhere_takes_the_pasted_url_and_refuses_a_wrong_state() {
    let mut h = Harness::start().await;
    let (app, secret) = h
        .create_app(
            Platform::Web,
            &["https://psa.example/oauth/callback"],
            &native_grants(),
            &[Scope::Monitoring],
        )
        .await;
    let (flow, url, capture) = h.start_code_flow(&app, secret, &[Scope::Monitoring]).await;
    assert_eq!(
        capture,
        RedirectCapture::Paste {
            redirect_uri: "https://psa.example/oauth/callback".into()
        }
    );
    let browser = Browser::new();
    let location = browser.consent(&url, USER, PASSWORD, "approve").await;
    assert!(
        location.starts_with("https://psa.example/oauth/callback?"),
        "{location}"
    );

    let forged = location.replace("state=", "state=x");
    h.send(WorkerRequest::FinishWithPastedUrl {
        flow_id: flow,
        url: forged,
    });
    match h.next().await {
        WorkerReply::PastedUrlRejected { flow_id, error } => {
            assert_eq!(flow_id, flow);
            assert_eq!(error, FlowError::StateMismatch);
        }
        other => panic!("a wrong state must be refused: {other:?}"),
    }

    h.send(WorkerRequest::FinishWithPastedUrl {
        flow_id: flow,
        url: location,
    });
    let tokens = h.finished(flow).await.expect("tokens from the pasted URL");
    assert!(tokens.access_token.expose().starts_with("oca_"));
    h.shutdown().await;
}

#[tokio::test]
async fn cancelling_a_waiting_sign_in_closes_its_listener() {
    let mut h = Harness::start().await;
    let (app, _) = h
        .create_app(
            Platform::Native,
            &[],
            &native_grants(),
            &monitoring_and_refresh(),
        )
        .await;
    let (flow, _, capture) = h.start_code_flow(&app, None, &[Scope::Monitoring]).await;
    let RedirectCapture::Listening { redirect_uri } = capture else {
        panic!("a Native app listens on loopback");
    };
    let address = url::Url::parse(&redirect_uri)
        .unwrap()
        .socket_addrs(|| None)
        .unwrap()[0];
    assert!(
        tokio::net::TcpStream::connect(address).await.is_ok(),
        "listening before cancel"
    );

    h.send(WorkerRequest::CancelFlow { flow_id: flow });
    assert_eq!(h.finished(flow).await.unwrap_err(), FlowError::Cancelled);
    assert!(
        tokio::net::TcpStream::connect(address).await.is_err(),
        "the port is closed after cancel"
    );

    // A URL pasted for the cancelled flow reaches nothing.
    h.send(WorkerRequest::FinishWithPastedUrl {
        flow_id: flow,
        url: format!("{redirect_uri}?code=x&state=y"),
    });
    assert!(matches!(
        h.next().await,
        WorkerReply::PastedUrlRejected {
            error: FlowError::UnknownFlow,
            ..
        }
    ));
    h.shutdown().await;
}

#[tokio::test]
async fn web_app_with_a_loopback_redirect_is_answered_on_that_address() {
    let mut h = Harness::start().await;
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let registered = format!("http://127.0.0.1:{port}/oauth/done");
    let (app, secret) = h
        .create_app(
            Platform::Web,
            &[&registered],
            &native_grants(),
            &[Scope::Monitoring],
        )
        .await;
    let (flow, url, capture) = h.start_code_flow(&app, secret, &[Scope::Monitoring]).await;
    assert_eq!(
        capture,
        RedirectCapture::Listening {
            redirect_uri: registered.clone()
        }
    );
    let browser = Browser::new();
    let location = browser.consent(&url, USER, PASSWORD, "approve").await;
    assert!(location.starts_with(&registered), "{location}");
    assert_eq!(browser.get(&location).await.status, 200);
    let tokens = h.finished(flow).await.expect("tokens for the Web app");
    assert!(tokens.access_token.expose().starts_with("oca_"));
    h.shutdown().await;
}

#[tokio::test]
async fn implicit_grant_is_legacy_and_reads_the_token_from_the_pasted_fragment() {
    let mut h = Harness::start().await;
    let (app, _) = h
        .create_app(
            Platform::SinglePage,
            &["https://spa.example/cb"],
            &[GrantType::AuthorizationCode, GrantType::Implicit],
            &[Scope::Monitoring],
        )
        .await;
    let flow = h.send(WorkerRequest::StartImplicit {
        app: app.clone(),
        scopes: vec![Scope::Monitoring],
    });
    let WorkerReply::AuthorizationUrl {
        url,
        legacy,
        capture,
        ..
    } = h.next().await
    else {
        panic!("expected AuthorizationUrl");
    };
    assert!(legacy, "the implicit grant is marked legacy");
    assert!(url.contains("response_type=token"), "{url}");
    assert!(matches!(capture, RedirectCapture::Paste { .. }));
    let browser = Browser::new();
    let location = browser.consent(&url, USER, PASSWORD, "approve").await;
    assert!(location.contains("#access_token="), "{location}");
    h.send(WorkerRequest::FinishWithPastedUrl {
        flow_id: flow,
        url: location,
    });
    let tokens = h.finished(flow).await.expect("a token from the fragment");
    assert!(tokens.access_token.expose().starts_with("oca_"));
    assert!(tokens.refresh_token.is_none());
    h.shutdown().await;
}

#[tokio::test]
async fn an_app_without_the_grant_cannot_start_the_flow() {
    let mut h = Harness::start().await;
    let (app, _) = h
        .create_app(
            Platform::Native,
            &[],
            &[GrantType::AuthorizationCode],
            &[Scope::Monitoring],
        )
        .await;
    let flow = h.send(WorkerRequest::StartImplicit {
        app,
        scopes: vec![Scope::Monitoring],
    });
    let error = h.finished(flow).await.unwrap_err();
    assert!(matches!(error, FlowError::NotAllowed(_)), "{error}");
    h.shutdown().await;
}

#[tokio::test]
async fn device_flow_against_our_server_ends_with_tokens_once_the_user_approves() {
    let mut h = Harness::start().await;
    let (app, _) = h
        .create_app(
            Platform::Native,
            &[],
            &[GrantType::AuthorizationCode, GrantType::DeviceCode],
            &[Scope::Monitoring],
        )
        .await;
    let flow = h.send(WorkerRequest::StartDeviceFlow {
        app,
        secret: None,
        scopes: vec![Scope::Monitoring],
    });
    let WorkerReply::DeviceCode {
        user_code,
        verification_uri_complete,
        ..
    } = h.next().await
    else {
        panic!("the worker shows a user code first");
    };
    // The person opens the link and approves on the server's device page.
    let page_url = verification_uri_complete.expect("our server sends the complete URI");
    let answer = Browser::new()
        .approve_device(&page_url, &user_code, USER, PASSWORD)
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(answer.body.contains("Device connected"), "{}", answer.body);
    let tokens = loop {
        match h.next().await {
            WorkerReply::DevicePolling { .. } => continue,
            WorkerReply::FlowFinished { flow_id, result } if flow_id == flow => break result,
            other => panic!("unexpected reply {other:?}"),
        }
    };
    let tokens = tokens.expect("the device flow ends with tokens");
    assert_eq!(tokens.scopes, ["monitoring"]);
    h.shutdown().await;
}

#[tokio::test]
async fn a_single_page_apps_loopback_redirect_is_used_exactly_port_included() {
    // RFC 8252's any-port rule is for Native apps only: the server matches a
    // Single-page app's redirect exactly, so the console listens on its very port
    // and never falls back to another one the server would refuse.
    let h = Harness::start().await;
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    let registered = format!("http://127.0.0.1:{port}/oauth/done");
    let (app, _) = h
        .create_app(
            Platform::SinglePage,
            &[&registered],
            &native_grants(),
            &[Scope::Monitoring],
        )
        .await;
    let plan = oauth_console::api::flows::plan_redirect(&app).unwrap();
    let oauth_console::api::flows::RedirectPlan::Listen {
        bind,
        redirect,
        port_may_vary,
        ..
    } = plan
    else {
        panic!("a loopback redirect is listened for");
    };
    assert_eq!(bind.port(), port);
    assert_eq!(redirect.as_str(), registered);
    assert!(!port_may_vary);
    h.shutdown().await;
}

#[tokio::test]
async fn two_sign_ins_wait_side_by_side_and_cancelling_one_leaves_the_other() {
    let mut h = Harness::start().await;
    let (app, _) = h
        .create_app(
            Platform::Native,
            &[],
            &native_grants(),
            &monitoring_and_refresh(),
        )
        .await;
    let (first, _, _) = h.start_code_flow(&app, None, &[Scope::Monitoring]).await;
    let (second, url, _) = h.start_code_flow(&app, None, &[Scope::Monitoring]).await;
    h.send(WorkerRequest::CancelFlow { flow_id: first });
    assert_eq!(h.finished(first).await.unwrap_err(), FlowError::Cancelled);
    let browser = Browser::new();
    let location = browser.consent(&url, USER, PASSWORD, "approve").await;
    browser.get(&location).await;
    assert!(h.finished(second).await.is_ok());
    h.shutdown().await;
}

#[tokio::test]
async fn quitting_the_console_closes_every_waiting_listener() {
    let mut h = Harness::start().await;
    let (app, _) = h
        .create_app(
            Platform::Native,
            &[],
            &native_grants(),
            &monitoring_and_refresh(),
        )
        .await;
    let (flow, _, capture) = h.start_code_flow(&app, None, &[Scope::Monitoring]).await;
    let RedirectCapture::Listening { redirect_uri } = capture else {
        panic!("a Native app listens on loopback");
    };
    let address = url::Url::parse(&redirect_uri)
        .unwrap()
        .socket_addrs(|| None)
        .unwrap()[0];
    // The console quits: its end of the worker goes away.
    h.worker = None;
    assert_eq!(h.finished(flow).await.unwrap_err(), FlowError::Cancelled);
    assert!(tokio::net::TcpStream::connect(address).await.is_err());
    h.shutdown().await;
}
