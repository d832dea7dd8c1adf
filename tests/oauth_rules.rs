//! The rules of RFC 6749, 7636, 8252, 7009, 7662 and 9700 that the server enforces.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use oauth_console::domain::{GrantType, Platform, Scope};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::*;

const NATIVE_REDIRECT: &str = "http://127.0.0.1:5555/cb";

/// An authorization URL for a native app with the given extra parameters.
fn native_url(t: &TestServer, client_id: &str, extra: &[(&str, &str)]) -> url::Url {
    let mut params = vec![
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", NATIVE_REDIRECT),
    ];
    params.extend_from_slice(extra);
    t.authorize_url(&params)
}

/// The error a redirect carries, asserting that it went back to `redirect`.
fn redirected_error(location: Option<url::Url>, redirect: &str) -> String {
    let location = location.expect("the error is redirected");
    assert!(location.as_str().starts_with(redirect), "{location}");
    query_param(&location, "error")
        .or_else(|| fragment_param(&location, "error"))
        .expect("the redirect names an error")
}

#[tokio::test]
async fn public_client_without_pkce_is_refused() {
    let t = TestServer::start().await;
    let app = t.create_app(native_app()).await;
    let (status, location, _) = t
        .get_authorize(&native_url(&t, &app.app.client_id, &[]))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        redirected_error(location, NATIVE_REDIRECT),
        "invalid_request"
    );
}

#[tokio::test]
async fn plain_pkce_is_refused() {
    let t = TestServer::start().await;
    let app = t.create_app(native_app()).await;
    let (verifier, _) = pkce_pair();
    for extra in [
        vec![
            ("code_challenge", verifier.as_str()),
            ("code_challenge_method", "plain"),
        ],
        // No method means plain (RFC 7636 §4.3).
        vec![("code_challenge", verifier.as_str())],
    ] {
        let (_, location, _) = t
            .get_authorize(&native_url(&t, &app.app.client_id, &extra))
            .await;
        assert_eq!(
            redirected_error(location, NATIVE_REDIRECT),
            "invalid_request"
        );
    }
}

async fn native_code(t: &TestServer, client_id: &str, challenge: Option<&str>) -> String {
    let mut extra = vec![("scope", "monitoring offline_access")];
    if let Some(c) = challenge {
        extra.push(("code_challenge", c));
        extra.push(("code_challenge_method", "S256"));
    }
    t.approve_code(&native_url(t, client_id, &extra)).await
}

async fn exchange(
    t: &TestServer,
    client_id: &str,
    code: &str,
    verifier: Option<&str>,
) -> (StatusCode, Value) {
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", NATIVE_REDIRECT),
        ("client_id", client_id),
    ];
    if let Some(v) = verifier {
        form.push(("code_verifier", v));
    }
    let (status, _, body) = t.token(&form, None).await;
    (status, body)
}

#[tokio::test]
async fn a_wrong_code_verifier_is_invalid_grant() {
    let t = TestServer::start_with_user().await;
    let app = t.create_app(native_app()).await;
    let (_, challenge) = pkce_pair();
    let (other_verifier, _) = pkce_pair();
    let code = native_code(&t, &app.app.client_id, Some(&challenge)).await;
    let (status, body) = exchange(&t, &app.app.client_id, &code, Some(&other_verifier)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn pkce_downgrade_is_refused_when_the_verifier_is_dropped() {
    let t = TestServer::start_with_user().await;
    let app = t.create_app(native_app()).await;
    let (_, challenge) = pkce_pair();
    let code = native_code(&t, &app.app.client_id, Some(&challenge)).await;
    let (status, body) = exchange(&t, &app.app.client_id, &code, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn pkce_downgrade_is_refused_when_a_verifier_appears_from_nowhere() {
    let t = TestServer::start_with_user().await;
    let app = t.create_app(web_app()).await;
    let secret = app.client_secret.clone().unwrap();
    let url = t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", &app.app.client_id),
        ("redirect_uri", WEB_REDIRECT),
    ]);
    let code = t.approve_code(&url).await;
    let (verifier, _) = pkce_pair();
    let (status, _, body) = t
        .token(
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", WEB_REDIRECT),
                ("code_verifier", &verifier),
            ],
            Some((&app.app.client_id, &secret)),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn a_reused_code_is_refused_and_revokes_what_it_issued() {
    let t = TestServer::start_with_user().await;
    let app = t.create_app(native_app()).await;
    let (verifier, challenge) = pkce_pair();
    let code = native_code(&t, &app.app.client_id, Some(&challenge)).await;
    let (status, tokens) = exchange(&t, &app.app.client_id, &code, Some(&verifier)).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap();
    assert!(t.is_active(access).await);

    let (status, body) = exchange(&t, &app.app.client_id, &code, Some(&verifier)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(t.introspect(access).await, json!({"active": false}));
    assert_eq!(t.introspect(refresh).await, json!({"active": false}));
}

#[tokio::test]
async fn a_redirect_uri_one_character_off_gets_an_error_page_not_a_redirect() {
    let t = TestServer::start().await;
    let app = t.create_app(web_app()).await;
    for wrong in [
        "https://app.example.com/callbacK",
        "https://app.example.com/callback/",
        "https://app.example.com/callback?x=1",
        "http://app.example.com/callback",
    ] {
        let url = t.authorize_url(&[
            ("response_type", "code"),
            ("client_id", &app.app.client_id),
            ("redirect_uri", wrong),
        ]);
        let (status, location, page) = t.get_authorize(&url).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{wrong}");
        assert!(location.is_none(), "never redirect to {wrong}");
        assert!(page.contains("not registered"), "{page}");
    }
}

#[tokio::test]
async fn native_apps_accept_any_loopback_port_but_not_localhost() {
    let t = TestServer::start().await;
    let app = t.create_app(native_app()).await;
    let (_, challenge) = pkce_pair();
    for (redirect, accepted) in [
        ("http://127.0.0.1:5555/cb", true),
        ("http://[::1]:6000/x", true),
        ("http://127.0.0.1:41234/", true),
        ("http://localhost:5555/cb", false),
        ("https://127.0.0.1:5555/cb", false),
    ] {
        let url = t.authorize_url(&[
            ("response_type", "code"),
            ("client_id", &app.app.client_id),
            ("redirect_uri", redirect),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ]);
        let (status, location, page) = t.get_authorize(&url).await;
        if accepted {
            assert_eq!(status, StatusCode::OK, "{redirect}: {page}");
            assert!(scrape_csrf(&page).is_some());
        } else {
            assert_eq!(status, StatusCode::BAD_REQUEST, "{redirect}");
            assert!(location.is_none());
        }
    }
}

#[tokio::test]
async fn unknown_client_gets_an_error_page() {
    let t = TestServer::start().await;
    let url = t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", "oc_nobody"),
        ("redirect_uri", WEB_REDIRECT),
    ]);
    let (status, location, _) = t.get_authorize(&url).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(location.is_none());
}

#[tokio::test]
async fn implicit_is_refused_unless_the_app_enables_it() {
    let t = TestServer::start().await;
    let app = t.create_app(spa_app(false)).await;
    let url = t.authorize_url(&[
        ("response_type", "token"),
        ("client_id", &app.app.client_id),
        ("redirect_uri", SPA_REDIRECT),
    ]);
    let (status, location, _) = t.get_authorize(&url).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        redirected_error(location, SPA_REDIRECT),
        "unauthorized_client"
    );
}

#[tokio::test]
async fn scopes_beyond_the_apps_are_invalid_scope() {
    let t = TestServer::start().await;
    let app = t.create_app(api_app()).await;
    let secret = app.client_secret.clone().unwrap();
    let (status, _, body) = t
        .token(
            &[
                ("grant_type", "client_credentials"),
                ("scope", "monitoring management"),
            ],
            Some((&app.app.client_id, &secret)),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_scope");

    let web = t.create_app(web_app()).await;
    let url = t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", &web.app.client_id),
        ("redirect_uri", WEB_REDIRECT),
        ("scope", "control"),
    ]);
    let (_, location, _) = t.get_authorize(&url).await;
    assert_eq!(redirected_error(location, WEB_REDIRECT), "invalid_scope");
}

#[tokio::test]
async fn revocation_answers_200_for_unknown_tokens() {
    let t = TestServer::start().await;
    let app = t.create_app(api_app()).await;
    let secret = app.client_secret.clone().unwrap();
    let (status, _, body) = t
        .post_form(
            "oauth/revoke",
            &[("token", "oca_not-a-token")],
            Some((&app.app.client_id, &secret)),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, Value::Null, "empty body");
}

#[tokio::test]
async fn a_client_cannot_revoke_another_clients_token() {
    let t = TestServer::start().await;
    let owner = t.create_app(api_app()).await;
    let other = t.create_app(api_app()).await;
    let owner_secret = owner.client_secret.clone().unwrap();
    let other_secret = other.client_secret.clone().unwrap();
    let (_, _, body) = t
        .token(
            &[("grant_type", "client_credentials")],
            Some((&owner.app.client_id, &owner_secret)),
        )
        .await;
    let access = body["access_token"].as_str().unwrap();
    let (status, _, _) = t
        .post_form(
            "oauth/revoke",
            &[("token", access)],
            Some((&other.app.client_id, &other_secret)),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(t.is_active(access).await);
}

#[tokio::test]
async fn introspection_requires_authentication() {
    let t = TestServer::start().await;
    let response = t
        .http
        .post(t.url("oauth/introspect"))
        .form(&[("token", "oca_whatever")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(response.headers().get("www-authenticate").is_some());
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_client");
}

#[tokio::test]
async fn introspecting_an_unknown_token_answers_exactly_active_false() {
    let t = TestServer::start().await;
    let app = t.create_app(api_app()).await;
    let secret = app.client_secret.clone().unwrap();
    let (status, _, body) = t
        .post_form(
            "oauth/introspect",
            &[("token", "oca_unknown")],
            Some((&app.app.client_id, &secret)),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"active": false}));
    assert_eq!(t.introspect("ocr_unknown").await, json!({"active": false}));
}

#[tokio::test]
async fn repeated_parameters_are_rejected() {
    let t = TestServer::start().await;
    let app = t.create_app(api_app()).await;
    let secret = app.client_secret.clone().unwrap();
    let (status, _, body) = t
        .token(
            &[
                ("grant_type", "client_credentials"),
                ("scope", "monitoring"),
                ("scope", "control"),
            ],
            Some((&app.app.client_id, &secret)),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_request");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("scope")
    );

    let web = t.create_app(web_app()).await;
    let url = t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", &web.app.client_id),
        ("redirect_uri", WEB_REDIRECT),
        ("redirect_uri", "https://evil.example.com/"),
    ]);
    let (status, location, _) = t.get_authorize(&url).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(location.is_none());
}

#[tokio::test]
async fn oversized_bodies_are_rejected_with_an_oauth_error() {
    let t = TestServer::start().await;
    let app = t.create_app(api_app()).await;
    let secret = app.client_secret.clone().unwrap();
    let big = "a".repeat(100 * 1024);
    let (status, _, body) = t
        .token(
            &[("grant_type", "client_credentials"), ("padding", &big)],
            Some((&app.app.client_id, &secret)),
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["error"], "invalid_request");
}

#[tokio::test]
async fn unsupported_grant_types_are_named_as_such() {
    let t = TestServer::start().await;
    let app = t.create_app(api_app()).await;
    let secret = app.client_secret.clone().unwrap();
    for grant in ["password", "urn:ietf:params:oauth:grant-type:jwt-bearer"] {
        let (status, _, body) = t
            .token(
                &[("grant_type", grant)],
                Some((&app.app.client_id, &secret)),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"], "unsupported_grant_type");
    }
}

#[tokio::test]
async fn a_wrong_secret_is_401_invalid_client_with_a_basic_challenge() {
    let t = TestServer::start().await;
    let app = t.create_app(api_app()).await;
    let (status, headers, body) = t
        .token(
            &[("grant_type", "client_credentials")],
            Some((&app.app.client_id, "ocs_wrong")),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "invalid_client");
    assert!(
        headers["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Basic")
    );
    assert_eq!(headers["cache-control"], "no-store");
}

#[tokio::test]
async fn two_client_authentication_methods_at_once_are_invalid_request() {
    let t = TestServer::start().await;
    let app = t.create_app(api_app()).await;
    let secret = app.client_secret.clone().unwrap();
    let (status, _, body) = t
        .token(
            &[
                ("grant_type", "client_credentials"),
                ("client_secret", &secret),
            ],
            Some((&app.app.client_id, &secret)),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_request");
}

#[tokio::test]
async fn public_clients_cannot_use_client_credentials() {
    let t = TestServer::start().await;
    let app = t.create_app(native_app()).await;
    let (status, _, body) = t
        .token(
            &[
                ("grant_type", "client_credentials"),
                ("client_id", &app.app.client_id),
            ],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "unauthorized_client");
}

#[tokio::test]
async fn the_consent_page_escapes_the_app_name_and_lists_the_scopes() {
    let t = TestServer::start().await;
    let mut draft = draft(
        Platform::Web,
        &[WEB_REDIRECT],
        &[Scope::Monitoring, Scope::Control],
        &[GrantType::AuthorizationCode],
    );
    draft.name = "<script>alert(1)</script> & Co".into();
    let app = t.create_app(draft).await;
    let url = t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", &app.app.client_id),
        ("redirect_uri", WEB_REDIRECT),
        ("scope", "monitoring control"),
    ]);
    let (status, _, page) = t.get_authorize(&url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("<script>"), "{page}");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"));
    assert!(
        page.contains(Scope::Monitoring.for_people()) && page.contains(Scope::Control.for_people()),
        "each scope in words: {page}"
    );
    assert!(page.contains(r#"name="username""#) && page.contains(r#"name="password""#));
    assert!(page.contains(r#"name="decision" value="approve""#));
    assert!(page.contains(r#"name="decision" value="deny""#));
}

#[tokio::test]
async fn a_client_introspecting_another_clients_token_learns_nothing() {
    let t = TestServer::start().await;
    let owner = t.create_app(api_app()).await;
    let other = t.create_app(api_app()).await;
    let owner_secret = owner.client_secret.clone().unwrap();
    let other_secret = other.client_secret.clone().unwrap();
    let (_, _, body) = t
        .token(
            &[("grant_type", "client_credentials")],
            Some((&owner.app.client_id, &owner_secret)),
        )
        .await;
    let access = body["access_token"].as_str().unwrap();
    let (_, _, own) = t
        .post_form(
            "oauth/introspect",
            &[("token", access)],
            Some((&owner.app.client_id, &owner_secret)),
        )
        .await;
    assert_eq!(own["active"], true);
    let (_, _, foreign) = t
        .post_form(
            "oauth/introspect",
            &[("token", access)],
            Some((&other.app.client_id, &other_secret)),
        )
        .await;
    assert_eq!(foreign, json!({"active": false}));
}
