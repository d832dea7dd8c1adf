//! A refresh family has an absolute lifetime: rotation keeps it going only until its
//! first token's time plus the server's limit (90 days by default), never past it;
//! the admin API shows when each family ends.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use oauth_console::api::TokenFilter;
use oauth_console::service::DEFAULT_REFRESH_FAMILY_LIFETIME;
use reqwest::StatusCode;
use serde_json::Value;
use support::*;

const START: i64 = 1_800_000_000;
const DAY: i64 = 24 * 3600;

async fn refresh(
    t: &TestServer,
    client_id: &str,
    secret: &str,
    token: &str,
) -> (StatusCode, Value) {
    let (status, _, body) = t
        .token(
            &[("grant_type", "refresh_token"), ("refresh_token", token)],
            Some((client_id, secret)),
        )
        .await;
    (status, body)
}

#[tokio::test]
async fn rotation_never_carries_a_family_past_its_absolute_end() {
    let (t, clock) = TestServer::start_with_clock(START).await;
    t.admin.create_user(USERNAME, PASSWORD).await.unwrap();
    let app = t.create_app(web_app()).await;
    let (client_id, secret) = (app.app.client_id.clone(), app.client_secret.unwrap());
    let (status, body) = t.code_grant_with_refresh((&client_id, &secret)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let family_end = START + DEFAULT_REFRESH_FAMILY_LIFETIME;

    // The admin API shows the family's end on its tokens.
    let page = t.admin.list_tokens(&TokenFilter::default()).await.unwrap();
    assert!(
        page.tokens
            .iter()
            .all(|t| t.family_expires_at == Some(family_end))
    );

    // Rotating every 29 days (refresh tokens live 30) keeps it going...
    let mut token = body["refresh_token"].as_str().unwrap().to_string();
    for _ in 0..3 {
        clock.advance(29 * DAY);
        let (status, body) = refresh(&t, &client_id, &secret, &token).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        token = body["refresh_token"].as_str().unwrap().to_string();
        let seen = t.introspect(&token).await;
        // ...but no rotation gives a token that outlives the family.
        assert!(seen["exp"].as_i64().unwrap() <= family_end, "{seen}");
        let access = t.introspect(body["access_token"].as_str().unwrap()).await;
        assert!(access["exp"].as_i64().unwrap() <= family_end, "{access}");
    }
    // Day 87: the token got at day 87 ends with the family at day 90, not day 117.
    assert_eq!(t.introspect(&token).await["exp"], family_end);

    clock.advance(3 * DAY);
    let (status, body) = refresh(&t, &client_id, &secret, &token).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"], "invalid_grant");
}
