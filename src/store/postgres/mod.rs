//! PostgreSQL implementation of the store, for several server replicas on one
//! database.
//!
//! A pool of connections serves reads and writes; every write is committed with the
//! server's default `synchronous_commit` before it is acknowledged. Token inserts from
//! concurrent requests share commits (`token_batch`). What must happen once across
//! replicas — redeeming a code, rotating a refresh token, exchanging a device code —
//! is one conditional `UPDATE … RETURNING` or runs in a transaction that locks the row
//! first (`SELECT … FOR UPDATE`). Nothing is cached in memory: every read sees what
//! any replica committed.

mod accounts;
mod admin_changes;
mod apps;
mod audit;
mod codec;
mod codes;
mod device_codes;
mod error;
mod forms;
mod pool_gauge;
mod purge;
mod schema;
mod store_impl;
mod token_batch;
mod tokens;
mod usage;
mod user_admin;

pub use pool_gauge::{POOL_IN_USE_METRIC, POOL_OPEN_METRIC, POOL_WAITING_METRIC};
pub use schema::SCHEMA_VERSION;
pub use token_batch::{BatchStats, COMMIT_BATCH_SIZE_METRIC};

use crate::store::{StoreError, StoreResult};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use std::str::FromStr;
use token_batch::TokenBatcher;
use tokio_postgres::NoTls;

/// Connections per store (per replica): enough to keep a 2-core database busy, few
/// enough that several replicas stay well under `max_connections` (100 by default).
pub const DEFAULT_POOL_SIZE: usize = 16;

/// How a store talks to its database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostgresOptions {
    pub pool_size: usize,
    /// Share commits between concurrent token inserts (`token_batch`); off, each insert
    /// commits alone (kept for the benchmark that compares the two).
    pub batch_token_inserts: bool,
}

impl Default for PostgresOptions {
    fn default() -> Self {
        PostgresOptions {
            pool_size: DEFAULT_POOL_SIZE,
            batch_token_inserts: true,
        }
    }
}

/// The PostgreSQL store. Share it as `Arc<PostgresStore>` or `Arc<dyn Store>`.
pub struct PostgresStore {
    pool: Pool,
    tokens: Option<TokenBatcher>,
    /// Where it connects, without the password, for messages.
    target: String,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("target", &self.target)
            .finish_non_exhaustive()
    }
}

/// True for the URLs this store takes (`postgres://…` or `postgresql://…`).
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// `host:port/dbname` of a connection URL: enough to tell databases apart in a
/// message, with no password in it.
pub fn describe_url(url: &str) -> String {
    match tokio_postgres::Config::from_str(url) {
        Ok(config) => describe(&config),
        Err(_) => "an unreadable PostgreSQL URL".to_string(),
    }
}

fn describe(config: &tokio_postgres::Config) -> String {
    let host = config
        .get_hosts()
        .first()
        .map(|host| match host {
            tokio_postgres::config::Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".to_string());
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let dbname = config
        .get_dbname()
        .or(config.get_user())
        .unwrap_or("postgres");
    format!("postgres://{host}:{port}/{dbname}")
}

impl PostgresStore {
    /// Connects to `url`, brings the schema up to date (waiting for another replica
    /// that is migrating at the same moment), and starts the pool.
    pub async fn connect(url: &str) -> StoreResult<PostgresStore> {
        PostgresStore::connect_with(url, PostgresOptions::default()).await
    }

    pub async fn connect_with(url: &str, options: PostgresOptions) -> StoreResult<PostgresStore> {
        let config = tokio_postgres::Config::from_str(url)
            .map_err(|e| StoreError::InvalidInput(format!("invalid PostgreSQL URL: {e}")))?;
        let target = describe(&config);
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(options.pool_size.max(1))
            .build()
            .map_err(|e| StoreError::Backend(format!("cannot build the pool: {e}")))?;
        let unreachable = |e: StoreError| {
            StoreError::Backend(format!("cannot use the database at {target}: {e}"))
        };
        let mut client = pool.get().await.map_err(|e| unreachable(e.into()))?;
        schema::migrate(&mut client).await.map_err(unreachable)?;
        drop(client);
        pool_gauge::start(&pool);
        let tokens = options
            .batch_token_inserts
            .then(|| TokenBatcher::start(pool.clone()));
        Ok(PostgresStore {
            pool,
            tokens,
            target,
        })
    }

    /// `postgres://host:port/dbname`, without credentials.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// The schema version recorded in the database.
    pub async fn schema_version(&self) -> StoreResult<u32> {
        schema::schema_version(&self.client().await?).await
    }

    /// Commits shared by concurrent token inserts since connect (zero when batching is off).
    pub fn batch_stats(&self) -> BatchStats {
        self.tokens
            .as_ref()
            .map(TokenBatcher::stats)
            .unwrap_or_default()
    }

    async fn client(&self) -> StoreResult<deadpool_postgres::Object> {
        Ok(self.pool.get().await?)
    }
}
