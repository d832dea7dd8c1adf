//! Where a store lives, as the user writes it: `sqlite:PATH` (a file) or
//! `postgres://…` / `postgresql://…` (a database). Used by `serve --database` and by
//! `store copy --from/--to`.

use super::postgres::{PostgresStore, describe_url, is_postgres_url};
use super::sqlite::SqliteStore;
use super::{Store, StoreError, StoreResult};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreLocation {
    Sqlite(PathBuf),
    /// The full connection URL (it may hold a password: print `describe()` instead).
    Postgres(String),
}

impl StoreLocation {
    pub fn parse(text: &str) -> StoreResult<StoreLocation> {
        let text = text.trim();
        if is_postgres_url(text) {
            return Ok(StoreLocation::Postgres(text.to_string()));
        }
        if let Some(path) = text.strip_prefix("sqlite:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            if path.is_empty() {
                return Err(StoreError::InvalidInput(
                    "sqlite: needs a file path, e.g. sqlite:/var/lib/oauth-console/oauth-console.db"
                        .to_string(),
                ));
            }
            return Ok(StoreLocation::Sqlite(PathBuf::from(path)));
        }
        Err(StoreError::InvalidInput(format!(
            "unknown database URL {:?}: use postgres://USER@HOST:PORT/DBNAME or sqlite:PATH",
            redact(text)
        )))
    }

    /// For messages: the file, or the database without credentials.
    pub fn describe(&self) -> String {
        match self {
            StoreLocation::Sqlite(path) => format!("sqlite:{}", path.display()),
            StoreLocation::Postgres(url) => describe_url(url),
        }
    }

    /// Opens (creating the SQLite file, or migrating the database) the store.
    pub async fn open(&self) -> StoreResult<Arc<dyn Store>> {
        match self {
            StoreLocation::Sqlite(path) => {
                let path = path.clone();
                let store = tokio::task::spawn_blocking(move || SqliteStore::open(&path))
                    .await
                    .map_err(|e| StoreError::Backend(e.to_string()))??;
                Ok(Arc::new(store))
            }
            StoreLocation::Postgres(url) => Ok(Arc::new(PostgresStore::connect(url).await?)),
        }
    }
}

/// Whatever stands before an `@` may be a password: keep it out of messages.
fn redact(text: &str) -> String {
    match text.rsplit_once('@') {
        Some((_, host)) => format!("…@{host}"),
        None => text.to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_their_store_and_messages_hide_passwords() {
        assert_eq!(
            StoreLocation::parse("sqlite:/tmp/x.db").unwrap(),
            StoreLocation::Sqlite(PathBuf::from("/tmp/x.db"))
        );
        assert_eq!(
            StoreLocation::parse("sqlite:relative.db").unwrap(),
            StoreLocation::Sqlite(PathBuf::from("relative.db"))
        );
        let pg = StoreLocation::parse("postgres://app:s3cret@db.internal:6543/auth").unwrap();
        assert_eq!(pg.describe(), "postgres://db.internal:6543/auth");
        let error = StoreLocation::parse("mysql://root:s3cret@db/x").unwrap_err();
        assert!(!error.to_string().contains("s3cret"), "{error}");
        assert!(StoreLocation::parse("sqlite:").is_err());
    }
}
