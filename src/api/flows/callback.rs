//! Reading the redirect that ends an authorization request: from the loopback
//! listener's query string, or from a URL the user pasted.

use super::{FlowError, IssuedTokens, PendingAuthorization, SecretString};
use crate::domain::unix_now;
use std::collections::HashMap;
use url::Url;

/// Parses `code`/`error` out of a redirect's query (or, for implicit, fragment)
/// parameters. `state` must be this request's; a repeated parameter is refused.
fn parameters(
    encoded: &str,
    pending: &PendingAuthorization,
) -> Result<HashMap<String, String>, FlowError> {
    let mut params = HashMap::new();
    for (key, value) in url::form_urlencoded::parse(encoded.as_bytes()) {
        if params.insert(key.to_string(), value.to_string()).is_some() {
            return Err(FlowError::InvalidCallback(format!("{key} is repeated")));
        }
    }
    let Some(state) = params.get("state") else {
        return Err(
            if params.contains_key("code") || params.contains_key("error") {
                FlowError::StateMismatch
            } else {
                FlowError::InvalidCallback("it carries no code, error or state".into())
            },
        );
    };
    if SecretString::new(state.clone()) != pending.state {
        return Err(FlowError::StateMismatch);
    }
    // RFC 9207: a server that names itself must be the one we asked (mix-up defence),
    // and one that said it always does (§2.4) must have.
    match params.get("iss") {
        Some(iss) if iss.trim_end_matches('/') != pending.issuer.trim_end_matches('/') => {
            return Err(FlowError::InvalidCallback(format!(
                "it comes from issuer {iss:?}, not {:?}",
                pending.issuer
            )));
        }
        None if pending.iss_required => {
            return Err(FlowError::InvalidCallback(
                "it carries no iss, though the server says it always sends one (RFC 9207)".into(),
            ));
        }
        _ => {}
    }
    if let Some(error) = params.get("error") {
        return Err(FlowError::oauth(
            error.clone(),
            params.get("error_description").cloned(),
        ));
    }
    Ok(params)
}

/// The authorization code in a redirect's query string (without the `?`).
pub fn code_from_query(
    query: &str,
    pending: &PendingAuthorization,
) -> Result<SecretString, FlowError> {
    let params = parameters(query, pending)?;
    params
        .get("code")
        .filter(|c| !c.is_empty())
        .map(|c| SecretString::new(c.clone()))
        .ok_or_else(|| FlowError::InvalidCallback("it carries no code".into()))
}

/// The authorization code in a URL the user pasted from the browser's address bar.
/// A bare query string (`code=…&state=…`) is accepted too.
pub fn code_from_pasted_url(
    pasted: &str,
    pending: &PendingAuthorization,
) -> Result<SecretString, FlowError> {
    code_from_query(&query_part(pasted)?, pending)
}

/// The tokens in the fragment of a pasted implicit-grant redirect (legacy).
pub fn tokens_from_pasted_fragment(
    pasted: &str,
    pending: &PendingAuthorization,
) -> Result<IssuedTokens, FlowError> {
    let pasted = pasted.trim();
    let fragment = match pasted.split_once('#') {
        Some((_, fragment)) => fragment,
        // An error may come back in the query instead (RFC 6749 §4.2.2.1 says the
        // fragment, but some servers use the query for errors).
        None => &query_part(pasted)?,
    };
    let params = parameters(fragment, pending)?;
    let access_token = params
        .get("access_token")
        .filter(|t| !t.is_empty())
        .ok_or_else(|| FlowError::InvalidCallback("it carries no access_token".into()))?;
    let expires_at = match params.get("expires_in") {
        Some(s) => Some(
            unix_now().saturating_add(
                s.parse::<i64>()
                    .map_err(|_| FlowError::InvalidCallback(format!("expires_in {s:?}")))?,
            ),
        ),
        None => None,
    };
    let scopes = match params.get("scope") {
        Some(s) => s
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        None => pending.scopes.clone(),
    };
    Ok(IssuedTokens {
        access_token: SecretString::new(access_token.clone()),
        refresh_token: None,
        expires_at,
        scopes,
        token_type: params
            .get("token_type")
            .cloned()
            .unwrap_or_else(|| "Bearer".into()),
    })
}

fn query_part(pasted: &str) -> Result<String, FlowError> {
    let pasted = pasted.trim();
    if pasted.is_empty() {
        return Err(FlowError::InvalidCallback("nothing was pasted".into()));
    }
    match Url::parse(pasted) {
        Ok(url) => url
            .query()
            .map(String::from)
            .ok_or_else(|| FlowError::InvalidCallback("the URL has no query (?code=…)".into())),
        Err(_) => Ok(pasted.trim_start_matches('?').to_string()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::api::flows::ServerMetadata;
    use crate::domain::ResponseType;

    fn pending(response_type: ResponseType) -> PendingAuthorization {
        let metadata: ServerMetadata = serde_json::from_value(serde_json::json!({
            "issuer": "http://127.0.0.1:9",
            "authorization_endpoint": "http://127.0.0.1:9/oauth/authorize",
            "token_endpoint": "http://127.0.0.1:9/oauth/token",
        }))
        .unwrap();
        PendingAuthorization::new(
            &metadata,
            response_type,
            "oc_app",
            None,
            "https://app.example/cb",
            &["monitoring".to_string()],
        )
        .unwrap()
    }

    #[test]
    fn the_authorize_url_carries_pkce_s256_and_state() {
        let p = pending(ResponseType::Code);
        let query: HashMap<String, String> = p.url.query_pairs().into_owned().collect();
        assert_eq!(query["response_type"], "code");
        assert_eq!(query["code_challenge_method"], "S256");
        assert_eq!(query["state"], p.state.expose());
        assert_eq!(query["redirect_uri"], "https://app.example/cb");
        assert_eq!(query["scope"], "monitoring");
    }

    #[test]
    fn a_pasted_url_with_this_flows_state_gives_its_code() {
        let p = pending(ResponseType::Code);
        let url = format!("https://app.example/cb?code=abc&state={}", p.state.expose());
        assert_eq!(code_from_pasted_url(&url, &p).unwrap().expose(), "abc");
        let bare = format!("code=abc&state={}", p.state.expose());
        assert_eq!(code_from_pasted_url(&bare, &p).unwrap().expose(), "abc");
    }

    #[test]
    fn a_pasted_url_with_another_state_is_refused() {
        let p = pending(ResponseType::Code);
        let url = "https://app.example/cb?code=abc&state=forged";
        assert_eq!(
            code_from_pasted_url(url, &p).unwrap_err(),
            FlowError::StateMismatch
        );
        let no_state = "https://app.example/cb?code=abc";
        assert_eq!(
            code_from_pasted_url(no_state, &p).unwrap_err(),
            FlowError::StateMismatch
        );
    }

    #[test]
    fn a_pasted_error_redirect_reports_the_servers_error() {
        let p = pending(ResponseType::Code);
        let url = format!(
            "https://app.example/cb?error=access_denied&error_description=no&state={}",
            p.state.expose()
        );
        let error = code_from_pasted_url(&url, &p).unwrap_err();
        assert_eq!(error.oauth_code(), Some("access_denied"));
    }

    #[test]
    fn repeated_parameters_and_foreign_issuers_are_refused() {
        let p = pending(ResponseType::Code);
        let s = p.state.expose();
        let repeated = format!("code=a&code=b&state={s}");
        assert!(matches!(
            code_from_pasted_url(&repeated, &p),
            Err(FlowError::InvalidCallback(_))
        ));
        let foreign = format!("code=a&state={s}&iss=https%3A%2F%2Fevil.example");
        assert!(matches!(
            code_from_pasted_url(&foreign, &p),
            Err(FlowError::InvalidCallback(_))
        ));
    }

    #[test]
    fn an_answer_without_iss_is_refused_when_the_server_advertises_it() {
        let mut p = pending(ResponseType::Code);
        let s = p.state.expose().to_string();
        let bare = format!("code=a&state={s}");
        // A server that never said it sends iss: accepted without one.
        assert_eq!(code_from_pasted_url(&bare, &p).unwrap().expose(), "a");
        p.iss_required = true;
        let error = code_from_pasted_url(&bare, &p).unwrap_err();
        assert!(
            matches!(&error, FlowError::InvalidCallback(why) if why.contains("RFC 9207")),
            "{error:?}"
        );
        let named = format!("code=a&state={s}&iss=http%3A%2F%2F127.0.0.1%3A9");
        assert_eq!(code_from_pasted_url(&named, &p).unwrap().expose(), "a");
    }

    #[test]
    fn implicit_tokens_are_read_from_the_fragment() {
        let p = pending(ResponseType::Token);
        assert!(
            p.url
                .query_pairs()
                .any(|(k, v)| k == "response_type" && v == "token")
        );
        let url = format!(
            "https://app.example/cb#access_token=oca_x&token_type=Bearer&expires_in=60&state={}",
            p.state.expose()
        );
        let tokens = tokens_from_pasted_fragment(&url, &p).unwrap();
        assert_eq!(tokens.access_token.expose(), "oca_x");
        assert_eq!(tokens.scopes, vec!["monitoring".to_string()]);
        assert!(tokens.refresh_token.is_none());
        let forged = "https://app.example/cb#access_token=oca_x&state=forged";
        assert_eq!(
            tokens_from_pasted_fragment(forged, &p).unwrap_err(),
            FlowError::StateMismatch
        );
    }
}
