//! The client app: what an administrator registers, and what a draft of one holds.

use super::{GrantType, Platform, Scope};
use serde::{Deserialize, Serialize};

/// A registered OAuth client. Times are Unix seconds (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientApp {
    /// Public, random, url-safe; starts with `oc_`.
    pub client_id: String,
    pub name: String,
    pub platform: Platform,
    pub redirect_urls: Vec<String>,
    pub scopes: Vec<Scope>,
    pub grant_types: Vec<GrantType>,
    /// SHA-256 of the secret (hex); confidential clients only. Never leaves the server.
    #[serde(skip)]
    pub secret_hash: Option<String>,
    /// The secret replaced by the last rotation, honoured until `previous_secret_expires_at`.
    #[serde(skip)]
    pub previous_secret_hash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_secret_expires_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Per-app access token lifetime in seconds; the server default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token_ttl: Option<i64>,
    /// Per-app refresh token lifetime in seconds; the server default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token_ttl: Option<i64>,
}

impl ClientApp {
    pub fn has_grant(&self, grant: GrantType) -> bool {
        self.grant_types.contains(&grant)
    }

    pub fn has_scope(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }

    /// The editable part of the app, e.g. to start an edit form from.
    pub fn draft(&self) -> AppDraft {
        AppDraft {
            name: self.name.clone(),
            platform: self.platform,
            redirect_urls: self.redirect_urls.clone(),
            scopes: self.scopes.clone(),
            grant_types: self.grant_types.clone(),
            access_token_ttl: self.access_token_ttl,
            refresh_token_ttl: self.refresh_token_ttl,
        }
    }
}

/// What a create or full update request carries: every editable field of an app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppDraft {
    pub name: String,
    pub platform: Platform,
    #[serde(default)]
    pub redirect_urls: Vec<String>,
    #[serde(default)]
    pub scopes: Vec<Scope>,
    #[serde(default)]
    pub grant_types: Vec<GrantType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token_ttl: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token_ttl: Option<i64>,
}

impl AppDraft {
    /// Sorts and de-duplicates the sets, trims the name and URLs: what gets stored.
    pub fn normalized(mut self) -> AppDraft {
        self.name = self.name.trim().to_string();
        self.redirect_urls = self
            .redirect_urls
            .into_iter()
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty())
            .collect();
        self.redirect_urls.dedup();
        self.scopes.sort();
        self.scopes.dedup();
        self.grant_types.sort();
        self.grant_types.dedup();
        self
    }
}

/// A partial update (`PATCH`): only the fields present change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_urls: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<Scope>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant_types: Option<Vec<GrantType>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token_ttl: Option<Option<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token_ttl: Option<Option<i64>>,
}

impl AppPatch {
    /// The draft that results from applying this patch to `base`. The platform never changes.
    pub fn apply_to(&self, base: &AppDraft) -> AppDraft {
        AppDraft {
            name: self.name.clone().unwrap_or_else(|| base.name.clone()),
            platform: base.platform,
            redirect_urls: self
                .redirect_urls
                .clone()
                .unwrap_or_else(|| base.redirect_urls.clone()),
            scopes: self.scopes.clone().unwrap_or_else(|| base.scopes.clone()),
            grant_types: self
                .grant_types
                .clone()
                .unwrap_or_else(|| base.grant_types.clone()),
            access_token_ttl: self.access_token_ttl.unwrap_or(base.access_token_ttl),
            refresh_token_ttl: self.refresh_token_ttl.unwrap_or(base.refresh_token_ttl),
        }
    }
}
