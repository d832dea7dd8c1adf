//! Checkpoints the WAL on a thread of its own. SQLite's automatic checkpoint runs in
//! the connection that committed, so the one writer thread — the serial part of every
//! write — spent ~15% of its time copying pages into the database file and syncing
//! it. Here the writer only nudges after each commit, and this thread runs a PASSIVE
//! checkpoint (it never blocks the writer or readers) at most every `INTERVAL`. The
//! writer keeps an automatic checkpoint at `WRITER_FALLBACK_PAGES` as a safety net: it
//! bounds the WAL if this thread falls behind, and it resets the WAL to its start (a
//! checkpoint that runs while the writer appends never catches the WAL's very end).

use super::connection;
use crate::store::StoreError;
use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The least time between two checkpoints; SQLite's own runs about as often at the
/// rates the server reaches (every 1,000 pages of WAL).
const INTERVAL: Duration = Duration::from_millis(25);

/// WAL pages after which the writer checkpoints by itself (40 MiB at 4 KiB pages).
pub(super) const WRITER_FALLBACK_PAGES: u32 = 10_000;

enum Signal {
    Committed,
    Stop,
}

/// What the writer holds: tells the checkpointer a commit happened. Never blocks.
#[derive(Clone)]
pub(super) struct CommitNudge(SyncSender<Signal>);

impl CommitNudge {
    pub(super) fn committed(&self) {
        match self.0.try_send(Signal::Committed) {
            Ok(()) | Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => {}
        }
    }
}

/// The checkpoint thread; dropping it stops the thread and closes its connection.
pub(super) struct Checkpointer {
    signals: SyncSender<Signal>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    pub(super) fn start(path: &Path) -> Result<Checkpointer, StoreError> {
        let conn = connection::open_checkpointer(path)?;
        let (signals, received) = mpsc::sync_channel(1);
        let thread = std::thread::Builder::new()
            .name("sqlite-checkpoint".to_string())
            .spawn(move || run(&conn, &received))
            .map_err(|e| StoreError::Backend(format!("cannot start the checkpoint thread: {e}")))?;
        Ok(Checkpointer {
            signals,
            thread: Some(thread),
        })
    }

    pub(super) fn nudge(&self) -> CommitNudge {
        CommitNudge(self.signals.clone())
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        // A blocking send: the buffer holds at most one nudge, which the thread takes.
        let _ = self.signals.send(Signal::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(conn: &rusqlite::Connection, signals: &Receiver<Signal>) {
    let mut failures_logged = false;
    loop {
        match signals.recv() {
            Ok(Signal::Committed) => {}
            Ok(Signal::Stop) | Err(_) => return,
        }
        match conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            Ok(()) => failures_logged = false,
            // The writer's own checkpoint still bounds the WAL; say it once per run of failures.
            Err(e) if !failures_logged => {
                tracing::warn!(error = %e, "WAL checkpoint failed; the writer will checkpoint");
                failures_logged = true;
            }
            Err(_) => {}
        }
        // Nudges in the meantime are coalesced into the next checkpoint.
        let next = Instant::now() + INTERVAL;
        loop {
            let left = next.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match signals.recv_timeout(left) {
                Ok(Signal::Committed) | Err(RecvTimeoutError::Timeout) => {}
                Ok(Signal::Stop) | Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }
}
