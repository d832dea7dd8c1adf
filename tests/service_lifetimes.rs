//! Lifetimes and races, at the service level over a real SQLite file, with a clock the
//! test moves: codes live 60 s, tokens their (per-app) lifetime, and a code redeemed
//! twice at once is honoured once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use oauth_console::domain::wire::TokenFilter;
use oauth_console::domain::{AppDraft, GrantType, Platform, Scope, TokenKind};
use oauth_console::service::crypto::pkce_s256;
use oauth_console::service::{
    Authorized, Clock, Introspector, Service, ServiceConfig, ServiceError,
};
use oauth_console::store::sqlite::SqliteStore;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use tempfile::TempDir;

const REDIRECT: &str = "https://app.example.com/callback";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

struct TestClock(AtomicI64);

impl Clock for TestClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

impl TestClock {
    fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

fn service(dir: &TempDir) -> (Service, Arc<TestClock>) {
    let store = SqliteStore::open(&dir.path().join("oauth.db")).unwrap();
    let clock = Arc::new(TestClock(AtomicI64::new(1_800_000_000)));
    let service = Service::new(Arc::new(store), ServiceConfig::default(), clock.clone());
    (service, clock)
}

fn web_draft(access_ttl: Option<i64>) -> AppDraft {
    AppDraft {
        name: "Lifetimes".into(),
        platform: Platform::Web,
        redirect_urls: vec![REDIRECT.into()],
        scopes: vec![Scope::Monitoring, Scope::OfflineAccess],
        grant_types: vec![GrantType::AuthorizationCode, GrantType::RefreshToken],
        access_token_ttl: access_ttl,
        refresh_token_ttl: Some(3600),
    }
}

async fn code_for(service: &Service, client_id: &str) -> String {
    let params: HashMap<String, String> = [
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", REDIRECT),
        ("scope", "monitoring offline_access"),
        ("code_challenge", &pkce_s256(VERIFIER)),
        ("code_challenge_method", "S256"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    // Codes are approved by a user who exists: the exchange checks them as they are now.
    match service.create_user("test", "alice", "correct horse").await {
        Ok(()) | Err(ServiceError::Conflict(_)) => {}
        Err(e) => panic!("cannot add alice: {e}"),
    }
    let request = service.check_authorization_request(&params).await.unwrap();
    match service.approve(&request, "alice").await.unwrap() {
        Authorized::Code(code) => code,
        Authorized::Token(_) => panic!("a code was asked for"),
    }
}

#[tokio::test]
async fn a_code_older_than_60_seconds_is_refused() {
    let dir = TempDir::new().unwrap();
    let (service, clock) = service(&dir);
    let app = service
        .create_app("test", web_draft(None))
        .await
        .unwrap()
        .app;

    let code = code_for(&service, &app.client_id).await;
    clock.advance(59);
    let ok = service
        .exchange_code(&app, Some(&code), Some(REDIRECT), Some(VERIFIER))
        .await;
    assert!(ok.is_ok(), "{ok:?}");

    let code = code_for(&service, &app.client_id).await;
    clock.advance(61);
    let late = service
        .exchange_code(&app, Some(&code), Some(REDIRECT), Some(VERIFIER))
        .await;
    assert!(
        matches!(late, Err(ServiceError::InvalidGrant(_))),
        "{late:?}"
    );
}

#[tokio::test]
async fn tokens_expire_after_the_apps_lifetime() {
    let dir = TempDir::new().unwrap();
    let (service, clock) = service(&dir);
    let app = service
        .create_app("test", web_draft(Some(120)))
        .await
        .unwrap()
        .app;
    let code = code_for(&service, &app.client_id).await;
    let tokens = service
        .exchange_code(&app, Some(&code), Some(REDIRECT), Some(VERIFIER))
        .await
        .unwrap();
    assert_eq!(tokens.expires_in, 120);
    let active = |token: String| {
        let service = service.clone();
        async move {
            service
                .introspect(&Introspector::Admin, &token)
                .await
                .unwrap()
                .active
        }
    };
    assert!(active(tokens.access_token.clone()).await);
    clock.advance(121);
    assert!(
        !active(tokens.access_token.clone()).await,
        "access token expired"
    );
    let refresh = tokens.refresh_token.clone().unwrap();
    assert!(active(refresh.clone()).await, "refresh token lives an hour");

    clock.advance(3600);
    let late = service.refresh_grant(&app, Some(&refresh), None).await;
    assert!(
        matches!(late, Err(ServiceError::InvalidGrant(_))),
        "{late:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_redeemed_twice_at_once_is_honoured_once_and_revoked() {
    let dir = TempDir::new().unwrap();
    let (service, _) = service(&dir);
    let app = service
        .create_app("test", web_draft(None))
        .await
        .unwrap()
        .app;
    let code = code_for(&service, &app.client_id).await;
    let attempts = (0..4).map(|_| {
        let (service, app, code) = (service.clone(), app.clone(), code.clone());
        tokio::spawn(async move {
            service
                .exchange_code(&app, Some(&code), Some(REDIRECT), Some(VERIFIER))
                .await
        })
    });
    let results: Vec<_> = futures::future::join_all(attempts).await;
    let results: Vec<_> = results.into_iter().map(|r| r.unwrap()).collect();
    // Every exchange but the one that redeemed the code is told the grant is invalid;
    // the one that did may be told so too, when the reuse was seen while its tokens
    // were being stored (RFC 6749 §4.1.2: deny, and revoke what the code issued).
    let (winners, losers): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
    assert!(winners.len() <= 1, "winners {winners:?}, losers {losers:?}");
    assert_eq!(winners.len() + losers.len(), 4);
    for loser in &losers {
        assert!(
            matches!(loser, Err(ServiceError::InvalidGrant(_))),
            "a loser must get invalid_grant: {loser:?}"
        );
    }
    // Honoured once, winner or not: exactly one access token was issued for the code
    // (none would mean it was never honoured, two that it was honoured twice), and the
    // reuse revoked it.
    let issued = service
        .list_tokens(TokenFilter {
            client_id: Some(app.client_id.clone()),
            ..TokenFilter::default()
        })
        .await
        .unwrap()
        .tokens;
    let access: Vec<_> = issued
        .iter()
        .filter(|t| t.kind == TokenKind::Access)
        .collect();
    assert_eq!(access.len(), 1, "the code was honoured once: {issued:?}");
    assert!(
        issued.iter().all(|t| t.revoked_at.is_some()),
        "the reuse revoked everything the code issued: {issued:?}"
    );
    // The code was presented again, so whatever the winner was given is revoked.
    for tokens in winners.into_iter().filter_map(Result::ok) {
        let mut issued = vec![tokens.access_token.clone()];
        issued.extend(tokens.refresh_token.clone());
        for token in issued {
            let info = service
                .introspect(&Introspector::Admin, &token)
                .await
                .unwrap();
            assert!(!info.active, "the winner's tokens are revoked by the reuse");
        }
    }
}
