//! RFC 8414 authorization server metadata (also served as OpenID discovery, which
//! many client libraries look for).

use super::state::AppState;
use crate::domain::{GrantType, Scope};
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

pub async fn metadata(State(state): State<AppState>) -> Json<Value> {
    let scopes: Vec<&str> = Scope::ALL.iter().map(|s| s.as_str()).collect();
    let grants: Vec<&str> = [
        GrantType::AuthorizationCode,
        GrantType::ClientCredentials,
        GrantType::RefreshToken,
        GrantType::Implicit,
        GrantType::DeviceCode,
    ]
    .iter()
    .map(|g| g.as_str())
    .collect();
    let client_auth = ["client_secret_basic", "client_secret_post", "none"];
    Json(json!({
        "issuer": state.issuer.as_str(),
        "authorization_endpoint": state.endpoint("oauth/authorize"),
        "token_endpoint": state.endpoint("oauth/token"),
        "revocation_endpoint": state.endpoint("oauth/revoke"),
        "introspection_endpoint": state.endpoint("oauth/introspect"),
        "device_authorization_endpoint": state.endpoint("oauth/device_authorization"),
        "scopes_supported": scopes,
        "response_types_supported": ["code", "token"],
        "response_modes_supported": ["query", "fragment"],
        "grant_types_supported": grants,
        "token_endpoint_auth_methods_supported": client_auth,
        "revocation_endpoint_auth_methods_supported": client_auth,
        // Public clients ("none") may not introspect: a confidential client or an admin key.
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "bearer"],
        "code_challenge_methods_supported": ["S256"],
        "authorization_response_iss_parameter_supported": true,
    }))
}
