//! SQLite implementation of the store (WAL, synchronous=FULL, group commit).
//!
//! One writer thread owns the only write connection and commits queued writes in
//! groups (`writer`); reads run on a small pool of read-only connections (`readers`).
//! Multi-step operations (code redemption, refresh rotation, family revocation) run
//! whole inside the writer, so they cannot race with each other.

mod accounts;
mod admin_changes;
mod app_cache;
mod apps;
mod audit;
mod checkpointer;
mod codec;
mod codes;
mod connection;
mod device_codes;
mod forms;
mod group;
mod purge;
mod readers;
mod schema;
mod store_impl;
mod token_cache;
mod tokens;
mod usage;
mod user_admin;
mod writer;

#[doc(hidden)]
pub use schema::SCHEMA_VERSION;
pub use writer::{COMMIT_WRITES_METRIC, WriterStats};

use crate::store::{StoreError, StoreResult};
use checkpointer::Checkpointer;
use readers::ReaderPool;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use writer::Writer;

/// The SQLite store. Share it as `Arc<SqliteStore>` or `Arc<dyn Store>`; dropping the
/// last handle waits for the write in flight and closes the file.
pub struct SqliteStore {
    path: PathBuf,
    // Readers and the checkpointer close first, so the writer, closing last, can
    // checkpoint the WAL and remove it.
    readers: Arc<ReaderPool>,
    _checkpointer: Checkpointer,
    writer: Writer,
    /// Apps read recently, for client authentication (see `app_cache`).
    apps: app_cache::AppCache,
    /// Token rows read recently, for introspection (see `token_cache`).
    tokens: Arc<token_cache::TokenCache>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens the database at `path`, creating the file (not its directory) if needed,
    /// and brings its schema up to date. A file that is not a database, or that a newer
    /// build wrote, is a `Backend` error naming the path.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let mut conn = connection::open_writer(path)?;
        schema::migrate(&mut conn, path)?;
        let readers = ReaderPool::new(path.to_path_buf());
        let checkpointer = Checkpointer::start(path)?;
        let tokens = Arc::new(token_cache::TokenCache::open(path));
        let writer = Writer::start(conn, checkpointer.nudge(), Arc::clone(&tokens))?;
        Ok(SqliteStore {
            path: path.to_path_buf(),
            writer,
            _checkpointer: checkpointer,
            readers,
            apps: app_cache::AppCache::default(),
            tokens,
        })
    }

    /// The file this store reads and writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Transactions committed by the writer since open. Fewer commits than writes
    /// means concurrent writes shared commits.
    pub fn commit_count(&self) -> u64 {
        self.writer.stats().commits
    }

    /// Writes queued for the writer that it has not yet taken into a group: lets a
    /// test know that concurrent writes are waiting, instead of sleeping on it.
    pub fn queued_writes(&self) -> u64 {
        self.writer.queued()
    }

    /// Token lookups answered from memory since open (see `token_cache`).
    pub fn token_cache_hits(&self) -> u64 {
        self.tokens.hits()
    }

    pub fn writer_stats(&self) -> WriterStats {
        self.writer.stats()
    }

    /// The schema version recorded in the file.
    pub async fn schema_version(&self) -> StoreResult<u32> {
        self.read(schema::schema_version).await
    }

    async fn write<T, F>(&self, operation: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        self.writer.write(operation).await
    }

    async fn read<T, F>(&self, operation: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        self.readers.read(operation).await
    }
}
