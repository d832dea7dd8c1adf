//! Group commit for token inserts. Token issuance is the hottest write; each one
//! alone would cost a round trip and a WAL flush. Callers queue their tokens; a few
//! workers each take every insert waiting, store them in one statement (one
//! transaction, one flush) and answer each caller after the commit, so an
//! acknowledged token is durable. If a batch fails (e.g. one caller's ID clashes),
//! its inserts are retried one by one, so a failure is reported to its own caller only.

use super::tokens;
use crate::domain::TokenRecord;
use crate::store::{StoreError, StoreResult};
use deadpool_postgres::Pool;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::{Mutex, mpsc, oneshot};

/// The most callers answered by one commit; bounds the latency of a batch.
const MAX_BATCH: usize = 256;
/// Batches in flight at once: while one commits, the next gathers.
const WORKERS: usize = 4;
/// Inserts that may wait; more make callers wait to queue (backpressure).
const QUEUE: usize = 4096;

/// The Prometheus histogram of inserts per commit (described by `server::metrics`).
pub const COMMIT_BATCH_SIZE_METRIC: &str = "oauth_console_store_commit_batch_size";

/// What the batcher has committed, for tests and benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchStats {
    /// Transactions committed for batches.
    pub commits: u64,
    /// Inserts (callers) committed.
    pub writes: u64,
}

#[derive(Default)]
struct Counters {
    commits: AtomicU64,
    writes: AtomicU64,
}

struct Job {
    tokens: Vec<TokenRecord>,
    reply: oneshot::Sender<StoreResult<()>>,
}

pub(super) struct TokenBatcher {
    queue: mpsc::Sender<Job>,
    counters: Arc<Counters>,
}

impl TokenBatcher {
    /// Starts the workers on the current runtime; they stop when the batcher is dropped
    /// and the queue is empty.
    pub(super) fn start(pool: Pool) -> TokenBatcher {
        let (queue, receiver) = mpsc::channel(QUEUE);
        let receiver = Arc::new(Mutex::new(receiver));
        let counters = Arc::new(Counters::default());
        for _ in 0..WORKERS {
            let (pool, receiver, counters) =
                (pool.clone(), Arc::clone(&receiver), Arc::clone(&counters));
            tokio::spawn(async move {
                while let Some(batch) = next_batch(&receiver).await {
                    commit(&pool, batch, &counters).await;
                }
            });
        }
        TokenBatcher { queue, counters }
    }

    pub(super) async fn insert(&self, tokens: Vec<TokenRecord>) -> StoreResult<()> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Job { tokens, reply })
            .await
            .map_err(|_| StoreError::Backend("token writer stopped".to_string()))?;
        answer
            .await
            .map_err(|_| StoreError::Backend("token writer stopped".to_string()))?
    }

    pub(super) fn stats(&self) -> BatchStats {
        BatchStats {
            commits: self.counters.commits.load(Ordering::Relaxed),
            writes: self.counters.writes.load(Ordering::Relaxed),
        }
    }
}

/// Waits for one insert, then takes every other one already waiting (up to the cap).
async fn next_batch(receiver: &Mutex<mpsc::Receiver<Job>>) -> Option<Vec<Job>> {
    let mut receiver = receiver.lock().await;
    let first = receiver.recv().await?;
    let mut batch = vec![first];
    while batch.len() < MAX_BATCH {
        match receiver.try_recv() {
            Ok(job) => batch.push(job),
            Err(_) => break,
        }
    }
    Some(batch)
}

async fn commit(pool: &Pool, batch: Vec<Job>, counters: &Counters) {
    let together = async {
        let client = pool.get().await?;
        // One statement is one transaction: all of it (tokens and usage counts) is
        // stored, or none.
        tokens::insert_all(&client, batch.iter().flat_map(|job| &job.tokens)).await
    }
    .await;
    if together.is_ok() {
        metrics::histogram!(COMMIT_BATCH_SIZE_METRIC).record(batch.len() as f64);
        counters.commits.fetch_add(1, Ordering::Relaxed);
        counters
            .writes
            .fetch_add(batch.len() as u64, Ordering::Relaxed);
        for job in batch {
            let _ = job.reply.send(Ok(()));
        }
        return;
    }
    // Something in the batch failed: give every caller its own outcome.
    for job in batch {
        let alone = async {
            let client = pool.get().await?;
            tokens::insert_all(&client, &job.tokens).await
        }
        .await;
        if alone.is_ok() {
            counters.commits.fetch_add(1, Ordering::Relaxed);
            counters.writes.fetch_add(1, Ordering::Relaxed);
        }
        // The caller may have gone away (e.g. a dropped request); nothing to do then.
        let _ = job.reply.send(alone);
    }
}
