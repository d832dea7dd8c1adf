//! Sample records for the store tests, and the stores they run on: every behaviour
//! test runs on SQLite (a temp file) and on PostgreSQL (a fresh database, when
//! `OAUTH_CONSOLE_TEST_DATABASE_URL` is set), through `on_both_stores!`.
#![allow(dead_code, unused_macros, clippy::unwrap_used, clippy::expect_used)]

use crate::pg_support::TestDatabase;
use oauth_console::domain::{
    AuditRecord, AuthCode, ClientApp, GrantType, Platform, Scope, TokenKind, TokenRecord,
};
use oauth_console::store::postgres::PostgresStore;
use oauth_console::store::sqlite::SqliteStore;
use oauth_console::store::{Store, TokenLookup};
use std::sync::Arc;
use tempfile::TempDir;

pub const NOW: i64 = 1_800_000_000;

pub fn open(dir: &TempDir) -> SqliteStore {
    SqliteStore::open(&dir.path().join("oauth.db")).unwrap()
}

/// A store and what it lives in; dropping it removes the file or the database.
pub struct TestStore {
    pub store: Arc<dyn Store>,
    // Dropped after the store (fields drop in order).
    _dir: Option<TempDir>,
    _database: Option<TestDatabase>,
}

impl TestStore {
    pub fn sqlite() -> TestStore {
        let dir = TempDir::new().unwrap();
        TestStore {
            store: Arc::new(open(&dir)),
            _dir: Some(dir),
            _database: None,
        }
    }

    /// A store on a fresh database; `None` when the PostgreSQL tests are skipped.
    pub async fn postgres(test: &str) -> Option<TestStore> {
        let database = TestDatabase::create(test).await?;
        let store = PostgresStore::connect(&database.url).await.unwrap();
        Some(TestStore {
            store: Arc::new(store),
            _dir: None,
            _database: Some(database),
        })
    }
}

/// `on_both_stores!(name)` turns `async fn name(store: Arc<dyn Store>)` into the tests
/// `name::sqlite` and `name::postgres`; a runtime flavour may follow the name.
macro_rules! on_both_stores {
    ($name:ident) => {
        on_both_stores!($name, flavor = "current_thread");
    };
    ($name:ident, $($runtime:tt)*) => {
        mod $name {
            #[tokio::test($($runtime)*)]
            async fn sqlite() {
                let held = $crate::store_fixtures::TestStore::sqlite();
                super::$name(std::sync::Arc::clone(&held.store)).await;
            }

            #[tokio::test($($runtime)*)]
            async fn postgres() {
                let Some(held) = $crate::store_fixtures::TestStore::postgres(module_path!()).await
                else {
                    return;
                };
                super::$name(std::sync::Arc::clone(&held.store)).await;
            }
        }
    };
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
        found_by_hash: false,
    }
}

/// The audit record of an admin change by "test" to `target`, at `NOW`.
pub fn audit_record(action: &str, target: &str) -> AuditRecord {
    AuditRecord {
        id: 0,
        at: NOW,
        actor: "test".to_string(),
        action: action.to_string(),
        target: target.to_string(),
        before: None,
        after: None,
    }
}

/// What presenting the token stored by `token(id, …)` looks up: its ID and its hash.
pub fn presented(id: &str) -> TokenLookup {
    TokenLookup::by_id(id, format!("hash-{id}"))
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
