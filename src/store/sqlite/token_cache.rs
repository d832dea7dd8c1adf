//! Token rows kept in memory, so that introspecting a token seen recently reads no
//! SQLite page: a read transaction costs two `fcntl` calls and a mutex on the WAL
//! index, about a third of an introspection's CPU.
//!
//! A revocation can never be outlived, whoever makes it:
//! - **This store's writes.** Every write other than plain token inserts (revocations,
//!   rotations, admin changes, deletions, the cleanup) moves the cache to a new
//!   generation after its COMMIT and before its caller is answered; entries of an older
//!   generation are ignored.
//! - **Other processes on the same file** (the CLI or console beside `serve`). SQLite's
//!   WAL index (the `-shm` file) holds a counter that every commit, by any connection,
//!   increments (`iChange`, offset 8 of the header, documented in SQLite's "WAL-mode
//!   file format"). The writer knows the value its own commit leaves there. A lookup
//!   trusts the cache only while the counter still holds that value: after anyone
//!   else's commit it reads SQLite, until the writer's next transaction sees the
//!   foreign commit and moves to a new generation.
//!
//! A fill is tagged with the generation seen before its read, so a read that raced
//! with a revocation cannot put the old row back under the new generation. Only rows
//! found by the ID the token carries are kept, and only after the presented token
//! matched; a lookup still compares the hash every time.

use crate::domain::TokenRecord;
use rusqlite::Connection;
use std::collections::HashMap;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

/// Rows kept at most; when full the cache starts again empty (~300 B a row).
const MAX_ENTRIES: usize = 16_384;

/// Where the WAL index header keeps its commit counter (a native-endian u32).
const CHANGE_COUNTER_OFFSET: u64 = 8;

/// `known_change` before the writer has committed anything.
const UNKNOWN: u64 = u64::MAX;

pub(super) struct TokenCache {
    entries: Mutex<HashMap<String, Entry>>,
    generation: AtomicU64,
    /// The commit counter as the writer's last commit left it, or `UNKNOWN`.
    known_change: AtomicU64,
    /// The WAL index; without it (no `-shm` file) nothing is cached.
    wal_index: Option<File>,
    hits: AtomicU64,
}

/// Where the writer's open transaction started: the commit counter, and the
/// connection's count of changed rows.
pub(super) struct GroupStart {
    counter: u64,
    changes: u64,
}

struct Entry {
    record: TokenRecord,
    generation: u64,
}

impl TokenCache {
    /// For the database at `path`, whose WAL index the writer has already created.
    pub(super) fn open(path: &Path) -> TokenCache {
        let mut shm = path.as_os_str().to_owned();
        shm.push("-shm");
        let wal_index = File::open(&shm).ok();
        if wal_index.is_none() {
            tracing::warn!(path = %path.display(), "no WAL index to watch: token rows are not cached");
        }
        TokenCache {
            entries: Mutex::new(HashMap::new()),
            generation: AtomicU64::new(0),
            known_change: AtomicU64::new(UNKNOWN),
            wal_index,
            hits: AtomicU64::new(0),
        }
    }

    fn change_counter(&self) -> Option<u64> {
        let mut bytes = [0u8; 4];
        self.wal_index
            .as_ref()?
            .read_exact_at(&mut bytes, CHANGE_COUNTER_OFFSET)
            .ok()?;
        Some(u64::from(u32::from_ne_bytes(bytes)))
    }

    /// The generation a lookup or a fill may use now, or `None` when someone else has
    /// committed since the writer's last commit (or the counter cannot be read).
    /// Loads `known_change` before `generation`: the writer stores them the other way
    /// round, so a fresh `known_change` comes with the generation it moved to.
    pub(super) fn stamp(&self) -> Option<u64> {
        let known = self.known_change.load(Ordering::SeqCst);
        let generation = self.generation.load(Ordering::SeqCst);
        (known != UNKNOWN && self.change_counter()? == known).then_some(generation)
    }

    /// The row of `id`, if it is kept under `stamp` (taken just before).
    pub(super) fn get(&self, id: &str, stamp: Option<u64>) -> Option<TokenRecord> {
        let generation = stamp?;
        let entries = self.lock();
        let entry = entries.get(id).filter(|e| e.generation == generation)?;
        self.hits.fetch_add(1, Ordering::Relaxed);
        Some(entry.record.clone())
    }

    /// Keeps `record`, read after `stamp` was taken.
    pub(super) fn fill(&self, record: &TokenRecord, stamp: Option<u64>) {
        let Some(generation) = stamp else {
            return;
        };
        let mut entries = self.lock();
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            record.id.clone(),
            Entry {
                record: record.clone(),
                generation,
            },
        );
    }

    /// The writer has begun a transaction on `conn` (it holds the write lock, so the
    /// counter is still): a counter other than the one its last commit left means
    /// another process committed in between, and any row may have changed.
    pub(super) fn group_began(&self, conn: &Connection) -> GroupStart {
        let counter = self.change_counter().unwrap_or(UNKNOWN);
        if counter == UNKNOWN || counter != self.known_change.load(Ordering::SeqCst) {
            self.generation.fetch_add(1, Ordering::SeqCst);
        }
        GroupStart {
            counter,
            changes: conn.total_changes(),
        }
    }

    /// The writer committed on `conn` the transaction that began at `start`;
    /// `changes_rows` when the group held anything but token inserts. Called before any caller of the group is answered. A transaction
    /// that changed no row wrote nothing, and SQLite does not count it: the counter is
    /// then where it started. (Were that guess ever wrong, the counter would differ
    /// from the one recorded and lookups would read SQLite: the safe side.)
    pub(super) fn group_committed(&self, conn: &Connection, start: GroupStart, changes_rows: bool) {
        if changes_rows {
            self.generation.fetch_add(1, Ordering::SeqCst);
        }
        let wrote = conn.total_changes() != start.changes;
        let after = match start.counter {
            UNKNOWN => UNKNOWN,
            counter if wrote => (counter + 1) & u64::from(u32::MAX),
            counter => counter,
        };
        self.known_change.store(after, Ordering::SeqCst);
    }

    /// Lookups answered from memory since open.
    pub(super) fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        // A plain map: a panic elsewhere cannot leave it half-changed in a way that
        // matters, so a poisoned lock is still usable.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
