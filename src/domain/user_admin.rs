//! JSON shapes of the admin API's users calls (`/admin/v1/users…`): who may sign in,
//! and which apps each person has authorised.

use super::Scope;
use serde::{Deserialize, Serialize};

/// A resource owner as the admin API shows them (never their password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub username: String,
    /// A disabled user cannot sign in on the consent or device pages.
    pub disabled: bool,
    pub created_at: i64,
    /// The last successful sign-in on the consent or device page; `None` if never.
    #[serde(default)]
    pub last_sign_in: Option<i64>,
    /// Tokens issued to the user (any app) that are neither expired nor revoked.
    pub active_tokens: u64,
    /// Distinct apps holding an active token of the user.
    pub authorised_apps: u64,
}

/// `GET /admin/v1/users`, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserList {
    pub users: Vec<UserSummary>,
}

/// One authorisation the user gave an app: a token family with active tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserGrant {
    pub family_id: String,
    pub client_id: String,
    /// The app's name as it is now.
    pub app_name: String,
    /// The scopes the user granted (what the family's newest token carries).
    pub scopes: Vec<Scope>,
    /// When the user authorised the app: the family's first token.
    pub granted_at: i64,
    /// The family's newest token.
    pub last_issued_at: i64,
    pub active_tokens: u64,
}

/// `GET /admin/v1/users/{name}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDetails {
    #[serde(flatten)]
    pub user: UserSummary,
    /// Newest first.
    pub grants: Vec<UserGrant>,
}

/// Body of `PATCH /admin/v1/users/{name}`: absent fields are left as they are.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// A new password (checked for a minimum length); never echoed or logged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

impl std::fmt::Debug for UserPatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserPatch")
            .field("disabled", &self.disabled)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// The answer to `PATCH /admin/v1/users/{name}`: the user as they now are, and how
/// many of their tokens the change revoked (disabling revokes them all).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserChanged {
    #[serde(flatten)]
    pub user: UserSummary,
    pub revoked_tokens: u64,
}
