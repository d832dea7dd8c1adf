//! A small pool of read-only connections, used from blocking tasks. In WAL mode they
//! read a consistent snapshot without waiting for the writer.

use super::connection::open_reader;
use crate::store::{StoreError, StoreResult};
use rusqlite::Connection;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};

/// Connections opened at most; more concurrent reads wait for one to come back.
const MAX_READERS: usize = 8;

pub(super) struct ReaderPool {
    path: PathBuf,
    state: Mutex<PoolState>,
    returned: Condvar,
}

struct PoolState {
    idle: Vec<Connection>,
    /// Connections in existence, idle or lent out.
    opened: usize,
}

impl ReaderPool {
    pub(super) fn new(path: PathBuf) -> Arc<ReaderPool> {
        Arc::new(ReaderPool {
            path,
            state: Mutex::new(PoolState {
                idle: Vec::with_capacity(MAX_READERS),
                opened: 0,
            }),
            returned: Condvar::new(),
        })
    }

    /// Runs `operation` with a pooled connection on tokio's blocking threads.
    pub(super) async fn read<T, F>(self: &Arc<Self>, operation: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || pool.with_connection(operation))
            .await
            .map_err(|e| StoreError::Backend(format!("read task failed: {e}")))?
    }

    /// Runs `operation` on the calling thread: for lookups by a unique key, which take
    /// microseconds, less than the hop to a blocking thread and back would.
    pub(super) fn read_now<T>(
        &self,
        operation: impl FnOnce(&Connection) -> StoreResult<T>,
    ) -> StoreResult<T> {
        self.with_connection(operation)
    }

    fn with_connection<T>(
        &self,
        operation: impl FnOnce(&Connection) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let conn = self.take()?;
        let outcome = operation(&conn);
        self.give_back(conn);
        outcome
    }

    fn take(&self) -> StoreResult<Connection> {
        let mut state = self.lock()?;
        loop {
            if let Some(conn) = state.idle.pop() {
                return Ok(conn);
            }
            if state.opened < MAX_READERS {
                state.opened += 1;
                drop(state);
                // Opened outside the lock: it touches the disk.
                let opened = open_reader(&self.path);
                if opened.is_err() {
                    self.lock()?.opened -= 1;
                }
                return opened;
            }
            state = self.returned.wait(state).map_err(|_| poisoned())?;
        }
    }

    fn give_back(&self, conn: Connection) {
        if let Ok(mut state) = self.lock() {
            state.idle.push(conn);
            self.returned.notify_one();
        }
    }

    fn lock(&self) -> StoreResult<std::sync::MutexGuard<'_, PoolState>> {
        self.state.lock().map_err(|_| poisoned())
    }
}

fn poisoned() -> StoreError {
    StoreError::Backend("reader pool lock poisoned".to_string())
}
