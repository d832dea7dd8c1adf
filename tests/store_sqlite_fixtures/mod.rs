//! Sample records for the SQLite store tests.
#![allow(dead_code)]

use oauth_console::domain::{
    AuthCode, ClientApp, GrantType, Platform, Scope, TokenKind, TokenRecord,
};
use oauth_console::store::sqlite::SqliteStore;
use tempfile::TempDir;

pub const NOW: i64 = 1_800_000_000;

pub fn open(dir: &TempDir) -> SqliteStore {
    SqliteStore::open(&dir.path().join("oauth.db")).unwrap()
}

pub fn app(client_id: &str) -> ClientApp {
    ClientApp {
        client_id: client_id.to_string(),
        name: format!("App {client_id}"),
        platform: Platform::Web,
        redirect_urls: vec![
            "https://example.com/callback".to_string(),
            "https://example.com/other?x=1 y".to_string(),
        ],
        scopes: vec![Scope::Monitoring, Scope::OfflineAccess],
        grant_types: vec![GrantType::AuthorizationCode, GrantType::RefreshToken],
        secret_hash: Some("ab".repeat(32)),
        previous_secret_hash: None,
        previous_secret_expires_at: None,
        created_at: NOW,
        updated_at: NOW,
        access_token_ttl: Some(600),
        refresh_token_ttl: None,
    }
}

pub fn token(
    id: &str,
    client_id: &str,
    kind: TokenKind,
    issued_at: i64,
    family: &str,
) -> TokenRecord {
    TokenRecord {
        id: id.to_string(),
        hash: format!("hash-{id}"),
        kind,
        client_id: client_id.to_string(),
        subject: "alice".to_string(),
        scopes: vec![Scope::Monitoring, Scope::Control],
        grant: GrantType::AuthorizationCode,
        issued_at,
        expires_at: issued_at + 3600,
        family_id: family.to_string(),
        revoked_at: None,
        family_expires_at: None,
    }
}

pub fn code(hash: &str, client_id: &str) -> AuthCode {
    AuthCode {
        hash: hash.to_string(),
        client_id: client_id.to_string(),
        subject: "alice".to_string(),
        redirect_uri: "https://example.com/callback".to_string(),
        scopes: vec![Scope::Monitoring],
        code_challenge: Some("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".to_string()),
        code_challenge_method: Some("S256".to_string()),
        issued_at: NOW,
        expires_at: NOW + 60,
        used_at: None,
        family_id: "fam-code".to_string(),
    }
}
