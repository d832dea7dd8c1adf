//! The one writer: an OS thread that owns the write connection and commits queued
//! writes in groups (`group`). Every caller is answered only after the COMMIT, so an
//! acknowledged write is durable, and writers that arrive together share one fsync.
//! The queue is bounded: when `MAX_QUEUED` writes wait, callers wait for room.

use super::checkpointer::CommitNudge;
use super::group::{Job, Queued, TokenInsert, commit_group};
use super::token_cache::TokenCache;
use crate::domain::TokenRecord;
use crate::store::{StoreError, StoreResult};
use rusqlite::Connection;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use tokio::sync::{Semaphore, oneshot};

/// Prometheus histogram: writes committed together in one transaction (the group
/// commit). Named here, as the PostgreSQL store names its own; `server::metrics`
/// lists it with the rest.
pub const COMMIT_WRITES_METRIC: &str = "oauth_console_sqlite_commit_writes";

/// The most writes committed in one transaction; bounds the latency of a group.
const MAX_GROUP: usize = 512;

/// The most writes queued or in the group in flight; more callers wait for room,
/// so a burst cannot grow the queue (and its memory) without bound.
const MAX_QUEUED: usize = 8 * MAX_GROUP;

/// Counters of what the writer has committed, for tests and benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriterStats {
    /// Transactions committed.
    pub commits: u64,
    /// Writes acknowledged as committed (successful or not, each in some commit).
    pub writes: u64,
}

#[derive(Default)]
struct Counters {
    commits: AtomicU64,
    writes: AtomicU64,
    /// Writes sent to the thread that are not yet in a group it has closed.
    queued: AtomicU64,
}

/// The handle callers hold; dropping it lets the thread finish and close the file.
pub(super) struct Writer {
    queue: Option<mpsc::Sender<Queued>>,
    thread: Option<JoinHandle<()>>,
    counters: Arc<Counters>,
    room: Arc<Semaphore>,
}

impl Writer {
    pub(super) fn start(
        conn: Connection,
        nudge: CommitNudge,
        tokens: Arc<TokenCache>,
    ) -> Result<Writer, StoreError> {
        let (queue, pending) = mpsc::channel();
        let counters = Arc::new(Counters::default());
        let thread_counters = Arc::clone(&counters);
        let thread = std::thread::Builder::new()
            .name("sqlite-writer".to_string())
            .spawn(move || run(conn, pending, &thread_counters, &nudge, &tokens))
            .map_err(|e| StoreError::Backend(format!("cannot start the writer thread: {e}")))?;
        Ok(Writer {
            queue: Some(queue),
            thread: Some(thread),
            counters,
            room: Arc::new(Semaphore::new(MAX_QUEUED)),
        })
    }

    /// Queues `operation` and waits until it is committed (or failed). Once queued, it
    /// runs even if the caller stops waiting: a write is never half-cancelled.
    pub(super) async fn write<T, F>(&self, operation: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job = Box::new(Job::new(operation, reply));
        self.send(|room| Queued::Write(job, room)).await?;
        answer.await.map_err(|_| stopped())?
    }

    /// Queues new tokens: the writer inserts those of a group's callers together, in
    /// multi-row statements; each caller's tokens still succeed or fail as one unit.
    pub(super) async fn insert_tokens(&self, records: Vec<TokenRecord>) -> StoreResult<()> {
        let (reply, answer) = oneshot::channel();
        let insert = TokenInsert::new(records, reply);
        self.send(|room| Queued::Tokens(insert, room)).await?;
        answer.await.map_err(|_| stopped())?
    }

    async fn send(
        &self,
        make: impl FnOnce(tokio::sync::OwnedSemaphorePermit) -> Queued,
    ) -> StoreResult<()> {
        let room = Arc::clone(&self.room)
            .acquire_owned()
            .await
            .map_err(|_| stopped())?;
        // Counted before the send, so the thread never takes a job it has not seen counted.
        self.counters.queued.fetch_add(1, Ordering::SeqCst);
        let sent = match self.queue.as_ref() {
            Some(queue) => queue.send(make(room)).is_ok(),
            None => false,
        };
        if !sent {
            self.counters.queued.fetch_sub(1, Ordering::SeqCst);
            return Err(stopped());
        }
        Ok(())
    }

    /// Writes waiting in the queue, not yet in a group the thread has closed.
    pub(super) fn queued(&self) -> u64 {
        self.counters.queued.load(Ordering::SeqCst)
    }

    pub(super) fn stats(&self) -> WriterStats {
        WriterStats {
            commits: self.counters.commits.load(Ordering::Relaxed),
            writes: self.counters.writes.load(Ordering::Relaxed),
        }
    }
}

fn stopped() -> StoreError {
    StoreError::Backend("the database writer has stopped".to_string())
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Closing the queue ends the thread after the group in flight; joining it means
        // the file is closed when the store is gone, so it can be reopened at once.
        self.queue = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(
    mut conn: Connection,
    pending: mpsc::Receiver<Queued>,
    counters: &Counters,
    nudge: &CommitNudge,
    tokens: &TokenCache,
) {
    while let Ok(first) = pending.recv() {
        let mut group = Vec::with_capacity(16);
        group.push(first);
        while group.len() < MAX_GROUP {
            match pending.try_recv() {
                Ok(next) => group.push(next),
                Err(_) => break,
            }
        }
        let size = group.len() as u64;
        // Only now is the group closed: what is still counted as queued goes in the next.
        counters.queued.fetch_sub(size, Ordering::SeqCst);
        let committed = commit_group(&mut conn, &mut group, tokens);
        if committed.is_ok() {
            metrics::histogram!(COMMIT_WRITES_METRIC).record(size as f64);
            counters.commits.fetch_add(1, Ordering::Relaxed);
            counters.writes.fetch_add(size, Ordering::Relaxed);
            nudge.committed();
        }
        let commit = committed.as_ref().map(|_| ()).map_err(String::as_str);
        for job in group {
            job.answer(commit);
        }
    }
}
