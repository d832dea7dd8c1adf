//! Client apps kept in memory: every token and introspection request authenticates its
//! client, and reading the app from SQLite each time costs more than the rest of the
//! request.
//!
//! Freshness: every app write through this store drops the app's entry once the write
//! is done, so in this process a change (rotation, deletion) takes effect as soon as it
//! is acknowledged. Another process on the same file (the CLI beside `serve`) cannot
//! tell us, so an entry is trusted for at most `TIME_TO_LIVE`: a change made elsewhere
//! takes effect here within that bound. A generation counter keeps a read that began
//! before a write from putting the old app back after the write dropped it.

use crate::domain::ClientApp;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long an entry is trusted without asking the database again.
pub(super) const TIME_TO_LIVE: Duration = Duration::from_secs(1);

#[derive(Default)]
pub(super) struct AppCache {
    state: Mutex<CacheState>,
}

#[derive(Default)]
struct CacheState {
    /// Bumped by every invalidation; a fill carries the value it saw before its read.
    generation: u64,
    entries: HashMap<String, Entry>,
}

struct Entry {
    app: Arc<ClientApp>,
    fetched: Instant,
}

impl AppCache {
    /// The cached app, if it is fresh.
    pub(super) fn get(&self, client_id: &str) -> Option<Arc<ClientApp>> {
        let state = self.lock();
        let entry = state.entries.get(client_id)?;
        (entry.fetched.elapsed() < TIME_TO_LIVE).then(|| Arc::clone(&entry.app))
    }

    /// Taken before reading the database; `fill` ignores a read older than a write.
    pub(super) fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Keeps `app`, read after `generation` was taken, unless a write happened since.
    pub(super) fn fill(&self, app: Arc<ClientApp>, generation: u64, fetched: Instant) {
        let mut state = self.lock();
        if state.generation == generation {
            state
                .entries
                .insert(app.client_id.clone(), Entry { app, fetched });
        }
    }

    /// Forgets `client_id`, and makes reads in flight forget what they found.
    pub(super) fn invalidate(&self, client_id: &str) {
        let mut state = self.lock();
        state.generation = state.generation.wrapping_add(1);
        state.entries.remove(client_id);
    }

    fn lock(&self) -> MutexGuard<'_, CacheState> {
        // The state is a plain map: a panic elsewhere cannot leave it half-changed in a
        // way that matters, so a poisoned lock is still usable.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Invalidates an app when dropped: after its write is answered, and also when the
/// caller stops waiting (the queued write still runs; the TTL bounds what follows).
pub(super) struct InvalidateOnDrop<'a> {
    pub(super) cache: &'a AppCache,
    pub(super) client_id: String,
}

impl Drop for InvalidateOnDrop<'_> {
    fn drop(&mut self) {
        self.cache.invalidate(&self.client_id);
    }
}
