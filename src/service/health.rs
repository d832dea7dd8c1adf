//! Readiness: can this server answer requests that need the database?

use super::Service;
use crate::store::StoreReadiness;
use std::time::Duration;

/// A database that has not answered in this long is as good as unreachable to a
/// load balancer, which has its own, short, timeout.
pub const READINESS_TIMEOUT: Duration = Duration::from_secs(2);

/// What `GET /readyz` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    /// The database did not answer (in time, or at all).
    DatabaseUnreachable,
    /// The database answers with a schema this build does not expect.
    MigrationsNotCurrent {
        database: u32,
        expected: u32,
    },
}

impl Service {
    /// Asks the store, within `READINESS_TIMEOUT`. The cause of a failure is logged,
    /// not returned: it may name hosts, and the answer goes to whoever asks.
    pub async fn readiness(&self) -> Readiness {
        match tokio::time::timeout(READINESS_TIMEOUT, self.store().check_ready()).await {
            Ok(Ok(StoreReadiness::Ready)) => Readiness::Ready,
            Ok(Ok(StoreReadiness::SchemaMismatch { database, expected })) => {
                tracing::warn!(database, expected, "not ready: the schema is not current");
                Readiness::MigrationsNotCurrent { database, expected }
            }
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "not ready: the database cannot be used");
                Readiness::DatabaseUnreachable
            }
            Err(_) => {
                tracing::warn!(
                    after = ?READINESS_TIMEOUT,
                    "not ready: the database did not answer in time"
                );
                Readiness::DatabaseUnreachable
            }
        }
    }
}
