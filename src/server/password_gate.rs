//! Password checks run a few at a time: each argon2 verification holds ~19 MiB for
//! its duration, so the number running bounds the memory they take. A short queue
//! waits for a turn; past it, callers are told to come back (503), never queued
//! without bound.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub struct PasswordGate {
    running: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
}

/// The gate is full: try again shortly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GateFull;

/// Leaves the queue however the wait ends (a dropped request included).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl PasswordGate {
    /// `concurrency` checks at once (0: twice the cores), `max_waiting` in the queue.
    pub fn new(concurrency: usize, max_waiting: usize) -> PasswordGate {
        let concurrency = if concurrency == 0 {
            2 * std::thread::available_parallelism().map_or(2, |n| n.get())
        } else {
            concurrency
        };
        PasswordGate {
            running: Arc::new(Semaphore::new(concurrency)),
            waiting: AtomicUsize::new(0),
            max_waiting,
        }
    }

    /// A turn to check one password, held until the permit is dropped.
    pub async fn enter(&self) -> Result<OwnedSemaphorePermit, GateFull> {
        if let Ok(permit) = self.running.clone().try_acquire_owned() {
            return Ok(permit);
        }
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(GateFull);
        }
        let _waiting = Waiting(&self.waiting);
        self.running
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| GateFull)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn past_the_running_and_the_queue_callers_are_turned_away() {
        let gate = Arc::new(PasswordGate::new(2, 1));
        let a = gate.enter().await.unwrap();
        let _b = gate.enter().await.unwrap();
        let queued = {
            let gate = gate.clone();
            tokio::spawn(async move { gate.enter().await.map(drop) })
        };
        while gate.waiting.load(Ordering::Acquire) == 0 {
            tokio::task::yield_now().await;
        }
        assert_eq!(gate.enter().await.err(), Some(GateFull));
        drop(a);
        assert_eq!(queued.await.unwrap(), Ok(()));
    }
}
