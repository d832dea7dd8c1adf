//! Each grant's happy path, end to end over real HTTP, including a client written
//! with the `oauth2` crate.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use oauth2::basic::BasicClient;
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge, RedirectUrl,
    Scope as OAuthScope, TokenResponse, TokenUrl,
};
use reqwest::StatusCode;
use serde_json::Value;
use support::*;

const NATIVE_REDIRECT: &str = "http://127.0.0.1:5555/cb";

#[tokio::test]
async fn client_credentials_token_introspects_active_and_is_not_cacheable() {
    let t = TestServer::start().await;
    let app = t.create_app(api_app()).await;
    let secret = app.client_secret.clone().unwrap();
    let (status, headers, body) = t
        .token(
            &[
                ("grant_type", "client_credentials"),
                ("scope", "monitoring"),
            ],
            Some((&app.app.client_id, &secret)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["pragma"], "no-cache");
    let access = body["access_token"].as_str().unwrap();
    assert!(access.starts_with("oca_"));
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["scope"], "monitoring");
    assert!(body.get("refresh_token").is_none());

    let info = t.introspect(access).await;
    assert_eq!(info["active"], true);
    assert_eq!(info["client_id"], app.app.client_id.as_str());
    assert_eq!(info["scope"], "monitoring");
}

#[tokio::test]
async fn client_secret_post_works_like_basic() {
    let t = TestServer::start().await;
    let app = t.create_app(api_app()).await;
    let secret = app.client_secret.clone().unwrap();
    let (status, _, body) = t
        .token(
            &[
                ("grant_type", "client_credentials"),
                ("client_id", &app.app.client_id),
                ("client_secret", &secret),
            ],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // No scope asked: every scope of the app.
    assert_eq!(body["scope"], "monitoring control");
}

#[tokio::test]
async fn native_app_code_flow_with_pkce_issues_access_and_refresh_tokens() {
    let t = TestServer::start_with_user().await;
    let app = t.create_app(native_app()).await;
    let (verifier, challenge) = pkce_pair();
    let url = t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", &app.app.client_id),
        ("redirect_uri", NATIVE_REDIRECT),
        ("scope", "monitoring offline_access"),
        ("state", "xyz"),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ]);
    let (status, location, _) = t.consent(&url, USERNAME, PASSWORD, "approve").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = location.unwrap();
    assert!(location.as_str().starts_with(NATIVE_REDIRECT));
    assert_eq!(query_param(&location, "state").as_deref(), Some("xyz"));
    assert_eq!(
        query_param(&location, "iss").as_deref(),
        Some(t.server.issuer().as_str())
    );
    let code = query_param(&location, "code").unwrap();

    let (status, headers, body) = t
        .token(
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", NATIVE_REDIRECT),
                ("client_id", &app.app.client_id),
                ("code_verifier", &verifier),
            ],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(body["access_token"].as_str().unwrap().starts_with("oca_"));
    assert!(body["refresh_token"].as_str().unwrap().starts_with("ocr_"));
    let info = t.introspect(body["access_token"].as_str().unwrap()).await;
    assert_eq!(info["username"], USERNAME);
    assert_eq!(info["scope"], "monitoring offline_access");
}

#[tokio::test]
async fn no_refresh_token_unless_offline_access_is_asked_for() {
    let t = TestServer::start_with_user().await;
    let app = t.create_app(native_app()).await;
    let (verifier, challenge) = pkce_pair();
    let url = t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", &app.app.client_id),
        ("redirect_uri", NATIVE_REDIRECT),
        ("scope", "monitoring"),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ]);
    let code = t.approve_code(&url).await;
    let (status, _, body) = t
        .token(
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", NATIVE_REDIRECT),
                ("client_id", &app.app.client_id),
                ("code_verifier", &verifier),
            ],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.get("refresh_token").is_none(), "{body}");
}

/// Runs a Web app's code flow (no PKCE) and returns (client_id, secret, token response).
async fn web_tokens(t: &TestServer) -> (String, String, Value) {
    let app = t.create_app(web_app()).await;
    let secret = app.client_secret.clone().unwrap();
    let url = t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", &app.app.client_id),
        ("redirect_uri", WEB_REDIRECT),
        ("scope", "monitoring offline_access"),
    ]);
    let code = t.approve_code(&url).await;
    let (status, _, body) = t
        .token(
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", WEB_REDIRECT),
            ],
            Some((&app.app.client_id, &secret)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (app.app.client_id, secret, body)
}

#[tokio::test]
async fn refresh_rotates_and_reusing_an_old_refresh_token_revokes_the_family() {
    let t = TestServer::start_with_user().await;
    let (client_id, secret, first) = web_tokens(&t).await;
    let first_refresh = first["refresh_token"].as_str().unwrap().to_string();
    let basic = Some((client_id.as_str(), secret.as_str()));

    let (status, headers, second) = t
        .token(
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &first_refresh),
            ],
            basic,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_eq!(headers["cache-control"], "no-store");
    let second_refresh = second["refresh_token"].as_str().unwrap().to_string();
    let second_access = second["access_token"].as_str().unwrap().to_string();
    assert_ne!(first_refresh, second_refresh);
    assert!(
        !t.is_active(&first_refresh).await,
        "the used refresh token is spent"
    );
    assert!(t.is_active(&second_refresh).await);
    assert!(t.is_active(&second_access).await);

    // The old refresh token comes back: someone copied it. Everything goes.
    let (status, _, body) = t
        .token(
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &first_refresh),
            ],
            basic,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert!(
        !t.is_active(&second_refresh).await,
        "newest refresh token revoked"
    );
    assert!(
        !t.is_active(&second_access).await,
        "newest access token revoked"
    );
    assert!(!t.is_active(first["access_token"].as_str().unwrap()).await);
}

#[tokio::test]
async fn refresh_can_narrow_the_scope_of_the_new_access_token() {
    let t = TestServer::start_with_user().await;
    let (client_id, secret, first) = web_tokens(&t).await;
    let (status, _, body) = t
        .token(
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", first["refresh_token"].as_str().unwrap()),
                ("scope", "monitoring"),
            ],
            Some((&client_id, &secret)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["scope"], "monitoring");
}

#[tokio::test]
async fn implicit_returns_the_token_in_the_fragment_when_enabled() {
    let t = TestServer::start_with_user().await;
    let app = t.create_app(spa_app(true)).await;
    let url = t.authorize_url(&[
        ("response_type", "token"),
        ("client_id", &app.app.client_id),
        ("redirect_uri", SPA_REDIRECT),
        ("state", "s1"),
    ]);
    let (status, location, _) = t.consent(&url, USERNAME, PASSWORD, "approve").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = location.unwrap();
    assert_eq!(location.query(), None, "nothing in the query: {location}");
    let token = fragment_param(&location, "access_token").unwrap();
    assert_eq!(fragment_param(&location, "state").as_deref(), Some("s1"));
    assert_eq!(
        fragment_param(&location, "token_type").as_deref(),
        Some("Bearer")
    );
    assert!(t.is_active(&token).await);
}

#[tokio::test]
async fn wrong_password_shows_the_page_again_without_a_code() {
    let t = TestServer::start_with_user().await;
    let app = t.create_app(native_app()).await;
    let (_, challenge) = pkce_pair();
    let url = t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", &app.app.client_id),
        ("redirect_uri", NATIVE_REDIRECT),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ]);
    let (status, location, page) = t.consent(&url, USERNAME, "wrong password", "approve").await;
    assert_eq!(status, StatusCode::OK);
    assert!(location.is_none());
    assert!(page.contains("Wrong username or password"));
    assert!(
        scrape_csrf(&page).is_some(),
        "the form can be submitted again"
    );
    assert!(!page.contains("code="));
}

#[tokio::test]
async fn deny_redirects_with_access_denied_and_state() {
    let t = TestServer::start_with_user().await;
    let app = t.create_app(web_app()).await;
    let url = t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", &app.app.client_id),
        ("redirect_uri", WEB_REDIRECT),
        ("state", "abc"),
    ]);
    let (_, location, _) = t.consent(&url, "", "", "deny").await;
    let location = location.unwrap();
    assert!(location.as_str().starts_with(WEB_REDIRECT));
    assert_eq!(
        query_param(&location, "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(query_param(&location, "state").as_deref(), Some("abc"));
    assert_eq!(query_param(&location, "code"), None);
}

#[tokio::test]
async fn a_consent_form_answers_only_once() {
    let t = TestServer::start_with_user().await;
    let app = t.create_app(web_app()).await;
    let url = t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", &app.app.client_id),
        ("redirect_uri", WEB_REDIRECT),
    ]);
    let response = t.http.get(url.clone()).send().await.unwrap();
    let cookie = form_cookie(response.headers());
    let page = response.text().await.unwrap();
    let fields = [
        ("username", USERNAME),
        ("password", PASSWORD),
        ("decision", "approve"),
    ];
    let (first, location, _) = t.submit_page(&url, cookie.as_deref(), &page, &fields).await;
    assert_eq!(first, StatusCode::SEE_OTHER);
    assert!(location.is_some());
    let (second, location, _) = t.submit_page(&url, cookie.as_deref(), &page, &fields).await;
    assert_eq!(second, StatusCode::BAD_REQUEST);
    assert!(location.is_none());
}

#[tokio::test]
async fn revoking_an_access_token_makes_it_inactive() {
    let t = TestServer::start().await;
    let app = t.create_app(api_app()).await;
    let secret = app.client_secret.clone().unwrap();
    let basic = Some((app.app.client_id.as_str(), secret.as_str()));
    let (_, _, body) = t
        .token(&[("grant_type", "client_credentials")], basic)
        .await;
    let access = body["access_token"].as_str().unwrap();
    assert!(t.is_active(access).await);
    let (status, _, _) = t
        .post_form("oauth/revoke", &[("token", access)], basic)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!t.is_active(access).await);
}

#[tokio::test]
async fn metadata_names_the_issuer_and_endpoints() {
    let t = TestServer::start().await;
    for path in [
        ".well-known/oauth-authorization-server",
        ".well-known/openid-configuration",
    ] {
        let meta: Value = t
            .http
            .get(t.url(path))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(meta["issuer"], t.server.issuer().as_str());
        let token_endpoint = meta["token_endpoint"].as_str().unwrap();
        assert_eq!(token_endpoint, t.url("oauth/token").as_str());
        assert_eq!(
            meta["code_challenge_methods_supported"],
            serde_json::json!(["S256"])
        );
    }
}

#[tokio::test]
async fn ws_aliases_serve_the_same_endpoints() {
    let t = TestServer::start_with_user().await;
    let app = t.create_app(web_app()).await;
    let secret = app.client_secret.clone().unwrap();
    let mut url = t.url("ws/oauth/authorize");
    url.query_pairs_mut().extend_pairs([
        ("response_type", "code"),
        ("client_id", app.app.client_id.as_str()),
        ("redirect_uri", WEB_REDIRECT),
    ]);
    let code = t.approve_code(&url).await;
    let (status, _, body) = t
        .post_form(
            "ws/oauth/token",
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", WEB_REDIRECT),
            ],
            Some((&app.app.client_id, &secret)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn restart_keeps_apps_and_tokens() {
    let t = TestServer::start().await;
    let app = t.create_app(api_app()).await;
    let secret = app.client_secret.clone().unwrap();
    let (_, _, body) = t
        .token(
            &[("grant_type", "client_credentials")],
            Some((&app.app.client_id, &secret)),
        )
        .await;
    let access = body["access_token"].as_str().unwrap().to_string();
    let old_key = t.admin_key.clone();

    let t = t.restart().await;
    assert_eq!(t.admin_key, old_key, "the first admin key is kept");
    let apps = t.admin.list_apps().await.unwrap();
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0].client_id, app.app.client_id);
    assert!(t.is_active(&access).await, "the token survived the restart");
    let (status, _, _) = t
        .token(
            &[("grant_type", "client_credentials")],
            Some((&app.app.client_id, &secret)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "the secret still works");
}

fn oauth2_http() -> reqwest::Client {
    // The oauth2 crate expects redirects not to be followed (SSRF protection).
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn oauth2_crate_client_credentials_grant() {
    let t = TestServer::start().await;
    let app = t.create_app(api_app()).await;
    let client = BasicClient::new(ClientId::new(app.app.client_id.clone()))
        .set_client_secret(ClientSecret::new(app.client_secret.clone().unwrap()))
        .set_token_uri(TokenUrl::new(t.url("oauth/token").to_string()).unwrap());
    let token = client
        .exchange_client_credentials()
        .add_scope(OAuthScope::new("control".into()))
        .request_async(&oauth2_http())
        .await
        .expect("the oauth2 crate gets a token");
    assert!(token.access_token().secret().starts_with("oca_"));
    assert_eq!(token.scopes().unwrap()[0].as_str(), "control");
    assert!(t.is_active(token.access_token().secret()).await);
}

#[tokio::test]
async fn oauth2_crate_authorization_code_with_pkce() {
    let t = TestServer::start_with_user().await;
    let app = t.create_app(native_app()).await;
    let client = BasicClient::new(ClientId::new(app.app.client_id.clone()))
        .set_auth_uri(AuthUrl::new(t.url("oauth/authorize").to_string()).unwrap())
        .set_token_uri(TokenUrl::new(t.url("oauth/token").to_string()).unwrap())
        .set_redirect_uri(RedirectUrl::new("http://[::1]:6000/x".into()).unwrap());
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (authorize_url, csrf_state) = client
        .authorize_url(CsrfToken::new_random)
        .add_scope(OAuthScope::new("monitoring".into()))
        .add_scope(OAuthScope::new("offline_access".into()))
        .set_pkce_challenge(challenge)
        .url();

    let (_, location, page) = t
        .consent(&authorize_url, USERNAME, PASSWORD, "approve")
        .await;
    let location = location.unwrap_or_else(|| panic!("no redirect: {page}"));
    assert_eq!(
        query_param(&location, "state").as_deref(),
        Some(csrf_state.secret().as_str())
    );
    let code = query_param(&location, "code").unwrap();

    let token = client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(verifier)
        .request_async(&oauth2_http())
        .await
        .expect("the oauth2 crate exchanges the code");
    assert!(t.is_active(token.access_token().secret()).await);
    let refresh = token
        .refresh_token()
        .expect("offline_access gives a refresh token");

    let refreshed = client
        .exchange_refresh_token(refresh)
        .request_async(&oauth2_http())
        .await
        .expect("the oauth2 crate refreshes");
    assert_ne!(
        refreshed.access_token().secret(),
        token.access_token().secret()
    );
}
