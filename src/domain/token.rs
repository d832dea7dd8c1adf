//! Issued tokens and authorization codes, as stored (only hashes of the secrets).

use super::{GrantType, Scope};
use serde::{Deserialize, Serialize};

/// Prefixes make a leaked token recognisable (e.g. by secret scanners).
pub const ACCESS_TOKEN_PREFIX: &str = "oca_";
pub const REFRESH_TOKEN_PREFIX: &str = "ocr_";
pub const CLIENT_ID_PREFIX: &str = "oc_";
pub const CLIENT_SECRET_PREFIX: &str = "ocs_";
pub const ADMIN_KEY_PREFIX: &str = "ocak_";
pub const TOKEN_ID_PREFIX: &str = "tok_";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    Access,
    Refresh,
}

impl TokenKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Access => "access",
            TokenKind::Refresh => "refresh",
        }
    }

    pub fn prefix(self) -> &'static str {
        match self {
            TokenKind::Access => ACCESS_TOKEN_PREFIX,
            TokenKind::Refresh => REFRESH_TOKEN_PREFIX,
        }
    }

    /// The RFC 7009 / 7662 `token_type_hint` value.
    pub fn type_hint(self) -> &'static str {
        match self {
            TokenKind::Access => "access_token",
            TokenKind::Refresh => "refresh_token",
        }
    }

    pub fn from_token(token: &str) -> Option<TokenKind> {
        if token.starts_with(ACCESS_TOKEN_PREFIX) {
            Some(TokenKind::Access)
        } else if token.starts_with(REFRESH_TOKEN_PREFIX) {
            Some(TokenKind::Refresh)
        } else {
            None
        }
    }
}

/// Whether a token can still be used, at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenStatus {
    Active,
    Expired,
    Revoked,
}

/// One issued token. `hash` is the SHA-256 (hex) of the token; the token itself is
/// never stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    /// Public identifier for the admin API (`tok_…`); not a credential.
    pub id: String,
    #[serde(skip)]
    pub hash: String,
    pub kind: TokenKind,
    pub client_id: String,
    /// The user the token acts for, or the client ID for client credentials.
    pub subject: String,
    pub scopes: Vec<Scope>,
    pub grant: GrantType,
    pub issued_at: i64,
    pub expires_at: i64,
    /// Tokens issued from one authorization code or device code, and every refresh
    /// rotation after it, share a family; reuse of a spent credential revokes it.
    pub family_id: String,
    pub revoked_at: Option<i64>,
    /// When the refresh family ends, whatever rotation does: its start plus the
    /// server's absolute family lifetime. `None` for tokens of grants without refresh
    /// (and rows written before the limit existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_expires_at: Option<i64>,
    /// Issued before tokens carried their row's ID (`token_format`): the store finds
    /// it by `hash` alone, through an index that holds only such rows. New tokens are
    /// found by `id` and then compared by hash.
    #[serde(skip)]
    pub found_by_hash: bool,
}

impl TokenRecord {
    pub fn status(&self, now: i64) -> TokenStatus {
        if self.revoked_at.is_some() {
            TokenStatus::Revoked
        } else if now >= self.expires_at {
            TokenStatus::Expired
        } else {
            TokenStatus::Active
        }
    }

    pub fn is_active(&self, now: i64) -> bool {
        self.status(now) == TokenStatus::Active
    }
}

/// An authorization code, stored hashed until it is exchanged once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthCode {
    pub hash: String,
    pub client_id: String,
    pub subject: String,
    pub redirect_uri: String,
    pub scopes: Vec<Scope>,
    /// PKCE (RFC 7636): the challenge and its method (`S256` or `plain`).
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub issued_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    /// The family of the tokens this code is exchanged for.
    pub family_id: String,
}
