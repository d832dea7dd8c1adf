//! Sustained client-credentials issuance against running servers, for the tests that
//! kill a server mid-stream and then look for every token a client was given.

use oauth_console::domain::{AppDraft, GrantType, Platform, Scope};
use std::time::Instant;

/// An API services app allowed Monitoring and Control by client credentials.
pub fn api_services_app() -> AppDraft {
    AppDraft {
        name: "Billing sync".into(),
        platform: Platform::ApiServices,
        redirect_urls: vec![],
        scopes: vec![Scope::Monitoring, Scope::Control],
        grant_types: vec![GrantType::ClientCredentials],
        access_token_ttl: None,
        refresh_token_ttl: None,
    }
}

/// When a worker stops asking.
#[derive(Clone, Copy)]
pub struct Stop {
    pub deadline: Instant,
    /// Failed requests (refused, cut off, not JSON) after which a worker gives up.
    pub failures: usize,
    /// Tokens after which a worker stops; `None` for no limit.
    pub tokens: Option<usize>,
}

/// Asks `base` for tokens as `client` from one task until `stop`; answers every
/// access token the server acknowledged (a body cut off by a kill was not).
pub async fn issue(
    http: reqwest::Client,
    base: url::Url,
    client: (String, String),
    stop: Stop,
) -> Vec<String> {
    let (id, secret) = client;
    let mut acknowledged = Vec::new();
    let mut failures = 0;
    while Instant::now() < stop.deadline
        && failures < stop.failures
        && stop.tokens.is_none_or(|most| acknowledged.len() < most)
    {
        let answer = http
            .post(base.join("oauth/token").unwrap())
            .basic_auth(&id, Some(&secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await;
        let body = match answer {
            Ok(response) if response.status().is_success() => {
                response.json::<serde_json::Value>().await.ok()
            }
            _ => None,
        };
        match body.as_ref().and_then(|b| b["access_token"].as_str()) {
            Some(token) => acknowledged.push(token.to_string()),
            None => failures += 1,
        }
    }
    acknowledged
}
