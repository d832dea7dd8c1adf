//! Several real `serve` processes on one PostgreSQL database behave as one server:
//! what one replica issues or changes, every other one sees at once. Skipped (loudly)
//! without `OAUTH_CONSOLE_TEST_DATABASE_URL`; failing under CI without it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pg_support;
mod replica_support;
mod serve_support;
mod support;

use oauth_console::api::ApiError;
use oauth_console::domain::{AppDraft, AppPatch, GrantType, Platform, Scope};
use replica_support::{Replica, error_of, replicas};
use reqwest::StatusCode;
use serve_support::sustained_issuance::{Stop, api_services_app, issue};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_issued_by_one_replica_introspects_and_revokes_on_the_others() {
    let Some((_db, nodes, key)) = replicas("replicas::issue_introspect_revoke", 3).await else {
        return;
    };
    let created = nodes[0]
        .admin(&key)
        .create_app(&api_services_app())
        .await
        .unwrap();
    let (id, secret) = (
        created.app.client_id.as_str(),
        created.client_secret.unwrap(),
    );
    let (status, body) = nodes[1].client_credentials(id, &secret, "monitoring").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = body["access_token"].as_str().unwrap().to_string();
    for node in &nodes {
        assert!(
            node.is_active(&key, &token).await,
            "inactive on {}",
            node.base
        );
    }
    // Revoked through the third replica (RFC 7009, client-authenticated).
    let (status, _) = nodes[2]
        .post_form("oauth/revoke", &[("token", &token)], Some((id, &secret)))
        .await;
    assert_eq!(status, StatusCode::OK);
    for node in &nodes {
        assert!(
            !node.is_active(&key, &token).await,
            "still active on {}",
            node.base
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_rotation_a_narrowed_app_and_a_deletion_apply_on_the_other_replica_at_once() {
    let Some((_db, nodes, key)) = replicas("replicas::app_changes", 2).await else {
        return;
    };
    let (a, b) = (&nodes[0], &nodes[1]);
    let admin = a.admin(&key);
    let created = admin.create_app(&api_services_app()).await.unwrap();
    let id = created.app.client_id.clone();
    let old_secret = created.client_secret.unwrap();
    // B has just used (and could have cached) the app.
    let (status, body) = b.client_credentials(&id, &old_secret, "control").await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let rotated = admin.rotate_secret_with_grace(&id, Some(0)).await.unwrap();
    let (status, body) = b.client_credentials(&id, &old_secret, "monitoring").await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "old secret still works: {body}"
    );
    assert_eq!(error_of(&body), "invalid_client");
    let new_secret = rotated.client_secret;
    let (status, body) = b.client_credentials(&id, &new_secret, "control").await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let narrowed = AppPatch {
        scopes: Some(vec![Scope::Monitoring]),
        ..AppPatch::default()
    };
    admin.patch_app(&id, &narrowed).await.unwrap();
    let (status, body) = b.client_credentials(&id, &new_secret, "control").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(error_of(&body), "invalid_scope");

    admin.delete_app(&id).await.unwrap();
    let (status, body) = b.client_credentials(&id, &new_secret, "monitoring").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(error_of(&body), "invalid_client");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_key_revoked_on_one_replica_is_refused_by_the_other_at_once() {
    let Some((_db, nodes, key)) = replicas("replicas::admin_key_revoked", 2).await else {
        return;
    };
    let (a, b) = (&nodes[0], &nodes[1]);
    let created = a.admin(&key).create_admin_key("ops", false).await.unwrap();
    let ops = b.admin(&created.key);
    ops.list_apps().await.unwrap();
    a.admin(&key).revoke_admin_key("ops").await.unwrap();
    match ops.list_apps().await {
        Err(ApiError::Server { status: 401, .. }) => {}
        other => panic!("a revoked key still works on the other replica: {other:?}"),
    }
}

/// A user, a Web app and a code: the consent page shown by `node`, approved on `other`.
async fn approved_code(node: &Replica, other: &Replica, key: &str) -> (String, String, String) {
    let admin = node.admin(key);
    admin
        .create_user("alice", "correct horse battery")
        .await
        .unwrap();
    let redirect = "https://app.example.com/callback";
    let created = admin
        .create_app(&AppDraft {
            name: "Portal".into(),
            platform: Platform::Web,
            redirect_urls: vec![redirect.into()],
            scopes: vec![Scope::Monitoring, Scope::OfflineAccess],
            grant_types: vec![GrantType::AuthorizationCode, GrantType::RefreshToken],
            access_token_ttl: None,
            refresh_token_ttl: None,
        })
        .await
        .unwrap();
    let id = created.app.client_id.clone();
    let mut authorize = node.url("oauth/authorize");
    authorize.query_pairs_mut().extend_pairs([
        ("response_type", "code"),
        ("client_id", id.as_str()),
        ("redirect_uri", redirect),
        ("scope", "monitoring offline_access"),
        ("state", "s1"),
    ]);
    // The page is rendered by one replica and submitted to another: the request
    // travels sealed in the form, under keys both replicas read from the database.
    let page = node.http.get(authorize.clone()).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let cookie = support::form_cookie(page.headers());
    let html = page.text().await.unwrap();
    let (_, location, body) = other
        .submit_page(
            "oauth/authorize",
            cookie.as_deref(),
            &html,
            &[
                ("username", "alice"),
                ("password", "correct horse battery"),
                ("decision", "approve"),
            ],
        )
        .await;
    let location = location.unwrap_or_else(|| panic!("no redirect after approval: {body}"));
    let location = url::Url::parse(&location).unwrap();
    let code = location
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .expect("the redirect carries a code");
    (id, created.client_secret.unwrap(), code)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_redeeming_one_code_at_the_same_instant_give_tokens_at_most_once() {
    let Some((_db, nodes, key)) = replicas("replicas::code_race", 2).await else {
        return;
    };
    let (id, secret, code) = approved_code(&nodes[0], &nodes[1], &key).await;
    let nodes = Arc::new(nodes);
    let start = Arc::new(tokio::sync::Barrier::new(2));
    let tasks: Vec<_> = (0..2)
        .map(|i| {
            let (nodes, start) = (Arc::clone(&nodes), Arc::clone(&start));
            let (id, secret, code) = (id.clone(), secret.clone(), code.clone());
            tokio::spawn(async move {
                start.wait().await;
                nodes[i]
                    .post_form(
                        "oauth/token",
                        &[
                            ("grant_type", "authorization_code"),
                            ("code", &code),
                            ("redirect_uri", "https://app.example.com/callback"),
                        ],
                        Some((&id, &secret)),
                    )
                    .await
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    let descriptions: Vec<String> = answers
        .iter()
        .map(|(_, body)| body["error_description"].as_str().unwrap_or("").to_string())
        .collect();
    // Exactly one exchange redeemed the code; the other was told it was used already.
    let losers = descriptions
        .iter()
        .filter(|d| d.contains("used already"))
        .count();
    assert_eq!(losers, 1, "{answers:?}");
    for (status, body) in &answers {
        if *status != StatusCode::OK {
            assert_eq!(*status, StatusCode::BAD_REQUEST, "{body}");
            assert_eq!(error_of(body), "invalid_grant", "{body}");
        }
    }
    // Whatever the winner was given is revoked with the family (RFC 6749 §4.1.2).
    for (status, body) in &answers {
        if *status == StatusCode::OK {
            for kind in ["access_token", "refresh_token"] {
                let token = body[kind].as_str().unwrap();
                assert!(
                    !nodes[0].is_active(&key, token).await,
                    "{kind} survived the reuse"
                );
                assert!(
                    !nodes[1].is_active(&key, token).await,
                    "{kind} survived the reuse"
                );
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_approved_on_one_replica_gets_its_tokens_by_polling_another() {
    let Some((_db, nodes, key)) = replicas("replicas::device_flow", 2).await else {
        return;
    };
    let (a, b) = (&nodes[0], &nodes[1]);
    let admin = a.admin(&key);
    admin
        .create_user("alice", "correct horse battery")
        .await
        .unwrap();
    let created = admin
        .create_app(&AppDraft {
            name: "Fleet CLI".into(),
            platform: Platform::Native,
            redirect_urls: vec![],
            scopes: vec![Scope::Monitoring, Scope::OfflineAccess],
            grant_types: vec![GrantType::DeviceCode, GrantType::RefreshToken],
            access_token_ttl: None,
            refresh_token_ttl: None,
        })
        .await
        .unwrap();
    let id = created.app.client_id;
    let (status, started) = b
        .post_form(
            "oauth/device_authorization",
            &[("client_id", &id), ("scope", "monitoring offline_access")],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{started}");
    let device_code = started["device_code"].as_str().unwrap();
    let user_code = started["user_code"].as_str().unwrap();
    let poll = [
        ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
        ("device_code", device_code),
        ("client_id", id.as_str()),
    ];
    let (status, body) = b.post_form("oauth/token", &poll, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_of(&body), "authorization_pending");

    // The user opens the page on replica A and the load balancer sends each step of
    // the three-step device page (code, sign-in, confirmation) to A or B in turn.
    let mut page_url = a.url("device");
    page_url
        .query_pairs_mut()
        .append_pair("user_code", user_code);
    let page = a.http.get(page_url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let cookie = support::form_cookie(page.headers());
    let cookie = cookie.as_deref();
    let html = page.text().await.unwrap();
    let (_, _, html) = b
        .submit_page(
            "device",
            cookie,
            &html,
            &[("user_code", user_code), ("decision", "continue")],
        )
        .await;
    assert!(html.contains("name=\"password\""), "{html}");
    let (_, _, html) = a
        .submit_page(
            "device",
            cookie,
            &html,
            &[
                ("username", "alice"),
                ("password", "correct horse battery"),
                ("decision", "continue"),
            ],
        )
        .await;
    assert!(html.contains("value=\"approve\""), "{html}");
    let (status, _, _) = b
        .submit_page("device", cookie, &html, &[("decision", "approve")])
        .await;
    assert_eq!(status, StatusCode::OK);

    let (status, body) = b.post_form("oauth/token", &poll, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = body["access_token"].as_str().unwrap();
    assert!(a.is_active(&key, token).await);
    // The code is spent everywhere: polling A now is a reuse.
    let (status, body) = a.post_form("oauth/token", &poll, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        !b.is_active(&key, token).await,
        "reuse did not revoke the tokens"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killing_a_replica_during_sustained_issuance_loses_no_acknowledged_token() {
    let Some((_db, mut nodes, key)) = replicas("replicas::kill_9", 2).await else {
        return;
    };
    let created = nodes[0]
        .admin(&key)
        .create_app(&api_services_app())
        .await
        .unwrap();
    let id = created.app.client_id.clone();
    let secret = created.client_secret.unwrap();
    let victim_base = nodes[0].base.clone();
    let survivor_base = nodes[1].base.clone();
    let http = reqwest::Client::new();
    // Issue on both replicas from 16 workers for at most 6 s; the victim dies at 1.5 s.
    let deadline = Instant::now() + Duration::from_secs(6);
    let workers: Vec<_> = (0..16)
        .map(|worker| {
            let (base, tokens) = if worker % 2 == 0 {
                (victim_base.clone(), None)
            } else {
                (survivor_base.clone(), Some(400))
            };
            let stop = Stop {
                deadline,
                failures: 50,
                tokens,
            };
            let client = (id.clone(), secret.clone());
            tokio::spawn(issue(http.clone(), base, client, stop))
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    nodes[0].kill_9().await;
    let mut acknowledged = Vec::new();
    for worker in workers {
        acknowledged.extend(worker.await.unwrap());
    }
    assert!(
        acknowledged.len() > 100,
        "too little issued: {}",
        acknowledged.len()
    );
    // Every token a client was given is in the database, as the survivor shows.
    let survivor = &nodes[1];
    let mut missing = 0;
    for token in &acknowledged {
        if !survivor.is_active(&key, token).await {
            missing += 1;
        }
    }
    assert_eq!(
        missing,
        0,
        "{missing} of {} acknowledged tokens lost",
        acknowledged.len()
    );
    // And the survivor still issues.
    let (status, body) = survivor
        .client_credentials(&id, &secret, "monitoring")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Each stored token was counted in the app's usage in its own commit: the counter
    // equals the tokens stored (none revoked or expired yet), which include every
    // acknowledged one and the survivor's last.
    let details = survivor.admin(&key).get_app(&id).await.unwrap();
    assert_eq!(
        details.usage.issued_24h, details.active_tokens,
        "{details:?}"
    );
    assert!(
        details.usage.issued_24h > acknowledged.len() as u64,
        "{} counted, {} acknowledged",
        details.usage.issued_24h,
        acknowledged.len()
    );
}
