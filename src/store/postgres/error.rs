//! Mapping PostgreSQL and pool errors onto `StoreError`: a unique violation is a
//! `Conflict`, a foreign-key violation (e.g. a token for an unknown app) is `NotFound`,
//! everything else a `Backend` error that says it came from PostgreSQL.

use crate::store::StoreError;
use tokio_postgres::error::SqlState;

impl From<tokio_postgres::Error> for StoreError {
    fn from(error: tokio_postgres::Error) -> StoreError {
        if let Some(db) = error.as_db_error() {
            if *db.code() == SqlState::UNIQUE_VIOLATION {
                return StoreError::Conflict;
            }
            if *db.code() == SqlState::FOREIGN_KEY_VIOLATION {
                return StoreError::NotFound;
            }
            return StoreError::Backend(format!("postgres: {}: {}", db.severity(), db.message()));
        }
        StoreError::Backend(format!("postgres: {error}"))
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(error: deadpool_postgres::PoolError) -> StoreError {
        match error {
            deadpool_postgres::PoolError::Backend(e) => StoreError::from(e),
            other => StoreError::Backend(format!("postgres connection pool: {other}")),
        }
    }
}
