//! The one writer: an OS thread that owns the write connection and commits queued
//! writes in groups. Each write runs in its own savepoint inside the group's
//! transaction, so one failing write fails only its caller; every caller is answered
//! only after the COMMIT, so an acknowledged write is durable, and writers that
//! arrive together share one fsync.

use super::connection::map_sqlite_error;
use crate::store::{StoreError, StoreResult};
use rusqlite::{Connection, TransactionBehavior};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use tokio::sync::oneshot;

/// The most writes committed in one transaction; bounds the latency of a group.
const MAX_GROUP: usize = 512;

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

/// One queued write: applied inside the group's transaction, answered after it.
trait PendingWrite: Send {
    /// Runs the operation; false if it failed (its savepoint is then rolled back).
    fn apply(&mut self, conn: &Connection) -> bool;
    /// Replaces the outcome with a failure that happened around the operation.
    fn fail(&mut self, error: StoreError);
    /// Answers the caller once the group's fate is known.
    fn answer(self: Box<Self>, commit: Result<(), &str>);
}

struct Job<T, F> {
    operation: Option<F>,
    outcome: Option<StoreResult<T>>,
    reply: oneshot::Sender<StoreResult<T>>,
}

impl<T, F> PendingWrite for Job<T, F>
where
    T: Send,
    F: FnOnce(&Connection) -> StoreResult<T> + Send,
{
    fn apply(&mut self, conn: &Connection) -> bool {
        let Some(operation) = self.operation.take() else {
            return false;
        };
        let outcome = operation(conn);
        let ok = outcome.is_ok();
        self.outcome = Some(outcome);
        ok
    }

    fn fail(&mut self, error: StoreError) {
        self.outcome = Some(Err(error));
    }

    fn answer(self: Box<Self>, commit: Result<(), &str>) {
        let outcome = match (commit, self.outcome) {
            // The operation's own failure explains more than the group's.
            (_, Some(Err(e))) => Err(e),
            (Ok(()), Some(Ok(value))) => Ok(value),
            (Err(why), _) => Err(StoreError::Backend(why.to_string())),
            (Ok(()), None) => Err(StoreError::Backend("write was not run".to_string())),
        };
        // The caller may have gone away (e.g. a dropped request); nothing to do then.
        let _ = self.reply.send(outcome);
    }
}

/// The handle callers hold; dropping it lets the thread finish and close the file.
pub(super) struct Writer {
    queue: Option<mpsc::Sender<Box<dyn PendingWrite>>>,
    thread: Option<JoinHandle<()>>,
    counters: Arc<Counters>,
}

impl Writer {
    pub(super) fn start(conn: Connection) -> Result<Writer, StoreError> {
        let (queue, pending) = mpsc::channel();
        let counters = Arc::new(Counters::default());
        let thread_counters = Arc::clone(&counters);
        let thread = std::thread::Builder::new()
            .name("sqlite-writer".to_string())
            .spawn(move || run(conn, pending, &thread_counters))
            .map_err(|e| StoreError::Backend(format!("cannot start the writer thread: {e}")))?;
        Ok(Writer {
            queue: Some(queue),
            thread: Some(thread),
            counters,
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
        let job = Box::new(Job {
            operation: Some(operation),
            outcome: None,
            reply,
        });
        let stopped = || StoreError::Backend("the database writer has stopped".to_string());
        // Counted before the send, so the thread never takes a job it has not seen counted.
        self.counters.queued.fetch_add(1, Ordering::SeqCst);
        let sent = match self.queue.as_ref() {
            Some(queue) => queue.send(job).is_ok(),
            None => false,
        };
        if !sent {
            self.counters.queued.fetch_sub(1, Ordering::SeqCst);
            return Err(stopped());
        }
        answer.await.map_err(|_| stopped())?
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

fn run(mut conn: Connection, pending: mpsc::Receiver<Box<dyn PendingWrite>>, counters: &Counters) {
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
        let committed = commit_group(&mut conn, &mut group);
        if committed.is_ok() {
            crate::server::metrics::record_sqlite_commit(group.len());
            counters.commits.fetch_add(1, Ordering::Relaxed);
            counters.writes.fetch_add(size, Ordering::Relaxed);
        }
        let commit = committed.as_ref().map(|_| ()).map_err(String::as_str);
        for job in group {
            job.answer(commit);
        }
    }
}

/// Applies every write of the group in one transaction and commits it.
fn commit_group(conn: &mut Connection, group: &mut [Box<dyn PendingWrite>]) -> Result<(), String> {
    let failed = |e: rusqlite::Error| format!("write not committed: {e}");
    let mut tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(failed)?;
    for job in group.iter_mut() {
        match tx.savepoint() {
            Ok(savepoint) => {
                if job.apply(&savepoint) {
                    if let Err(e) = savepoint.commit() {
                        job.fail(map_sqlite_error(e));
                    }
                } else if let Err(e) = savepoint.finish() {
                    // The rollback of this write failed: the transaction is unsound.
                    return Err(failed(e));
                }
            }
            Err(e) => job.fail(map_sqlite_error(e)),
        }
    }
    tx.commit().map_err(failed)
}
