//! Failure throttling by key (an account, a client address, a client ID): a few
//! failures are free, then each one makes the next attempt wait twice as long as the
//! last. Quiet for a window after the wait, a key starts afresh. An attempt counts as
//! a failure from the moment it is admitted, so attempts sent at once cannot all slip
//! past; `succeeded` takes it back. Pure: the caller passes the time.

use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures allowed before the first wait.
    pub free_failures: u32,
    /// Seconds without failures (after any wait) that forget a key's failures.
    pub window: i64,
    /// Seconds of the first wait; each further failure doubles it.
    pub first_wait: i64,
    /// The longest wait, in seconds.
    pub max_wait: i64,
}

impl ThrottlePolicy {
    /// 5 failures in 15 minutes, then 1, 2, 4 … minutes, up to an hour.
    pub const SIGN_IN: ThrottlePolicy = ThrottlePolicy {
        free_failures: 5,
        window: 15 * 60,
        first_wait: 60,
        max_wait: 3600,
    };

    fn wait_after(&self, failures: u32) -> i64 {
        if failures < self.free_failures {
            return 0;
        }
        let doublings = (failures - self.free_failures).min(30);
        self.first_wait
            .saturating_mul(1_i64 << doublings)
            .min(self.max_wait)
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    /// The last failure, or the end of the wait it caused, whichever is later.
    quiet_from: i64,
    /// No attempt is admitted before this.
    blocked_until: i64,
}

pub struct Throttle {
    policy: ThrottlePolicy,
    entries: Mutex<HashMap<String, Entry>>,
    max_keys: usize,
}

/// An attempt refused: try again in this many seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub i64);

impl Throttle {
    pub fn new(policy: ThrottlePolicy, max_keys: usize) -> Throttle {
        Throttle {
            policy,
            entries: Mutex::new(HashMap::new()),
            max_keys: max_keys.max(1),
        }
    }

    fn forgotten(&self, entry: &Entry, now: i64) -> bool {
        now >= entry.blocked_until && now - entry.quiet_from >= self.policy.window
    }

    /// Admits an attempt for every key, counting it as a failure of each, or refuses it
    /// with the longest wait among them (and then counts nothing).
    pub fn admit(&self, keys: &[&str], now: i64) -> Result<(), RetryAfter> {
        let Ok(mut entries) = self.entries.lock() else {
            return Err(RetryAfter(1));
        };
        let mut wait = 0;
        for key in keys {
            if let Some(entry) = entries.get(*key)
                && !self.forgotten(entry, now)
            {
                wait = wait.max(entry.blocked_until - now);
            }
        }
        if wait > 0 {
            return Err(RetryAfter(wait));
        }
        for key in keys {
            if !entries.contains_key(*key) && entries.len() >= self.max_keys {
                self.make_room(&mut entries, now);
            }
            let entry = entries.entry((*key).to_string()).or_insert(Entry {
                failures: 0,
                quiet_from: now,
                blocked_until: now,
            });
            if self.forgotten(entry, now) {
                entry.failures = 0;
            }
            entry.failures += 1;
            let blocked = now.saturating_add(self.policy.wait_after(entry.failures));
            entry.blocked_until = blocked;
            entry.quiet_from = blocked;
        }
        Ok(())
    }

    /// The attempt admitted for `key` succeeded: it was not a failure after all. With
    /// `forget`, the key's earlier failures go too (an account after its right password).
    pub fn succeeded(&self, key: &str, forget: bool, now: i64) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if forget {
            entries.remove(key);
            return;
        }
        if let Some(entry) = entries.get_mut(key) {
            entry.failures = entry.failures.saturating_sub(1);
            if self.policy.wait_after(entry.failures) == 0 {
                entry.blocked_until = now;
            }
        }
    }

    /// Drops forgotten keys; if none are, the one quiet the longest.
    fn make_room(&self, entries: &mut HashMap<String, Entry>, now: i64) {
        entries.retain(|_, e| !self.forgotten(e, now));
        if entries.len() >= self.max_keys
            && let Some(oldest) = entries
                .iter()
                .min_by_key(|(_, e)| e.quiet_from)
                .map(|(k, _)| k.clone())
        {
            entries.remove(&oldest);
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.lock().map(|e| e.len()).unwrap_or(0)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn throttle() -> Throttle {
        Throttle::new(ThrottlePolicy::SIGN_IN, 1000)
    }

    #[test]
    fn five_failures_are_free_the_sixth_waits_a_minute_then_two() {
        let t = throttle();
        for _ in 0..5 {
            t.admit(&["alice"], 1000).unwrap();
        }
        assert_eq!(t.admit(&["alice"], 1000), Err(RetryAfter(60)));
        assert_eq!(t.admit(&["alice"], 1059), Err(RetryAfter(1)));
        t.admit(&["alice"], 1060).unwrap();
        assert_eq!(t.admit(&["alice"], 1061), Err(RetryAfter(119)));
    }

    #[test]
    fn a_success_forgets_the_account_and_takes_back_only_its_own_attempt_elsewhere() {
        let t = throttle();
        for _ in 0..4 {
            t.admit(&["alice", "10.0.0.1"], 0).unwrap();
        }
        t.admit(&["alice", "10.0.0.1"], 0).unwrap();
        t.succeeded("alice", true, 0);
        t.succeeded("10.0.0.1", false, 0);
        // The address has 4 failures: one more is free, the next waits.
        t.admit(&["bob", "10.0.0.1"], 0).unwrap();
        assert!(t.admit(&["carol", "10.0.0.1"], 0).is_err());
        t.admit(&["alice"], 0).unwrap();
    }

    #[test]
    fn a_quiet_window_after_the_wait_starts_afresh_and_waits_are_capped() {
        let t = throttle();
        let mut now = 0;
        for _ in 0..20 {
            loop {
                match t.admit(&["k"], now) {
                    Ok(()) => break,
                    Err(RetryAfter(wait)) => {
                        assert!(wait <= 3600);
                        now += wait;
                    }
                }
            }
        }
        now += 3600 + 15 * 60;
        for _ in 0..5 {
            t.admit(&["k"], now).unwrap();
        }
    }

    #[test]
    fn the_table_never_grows_past_its_bound() {
        let t = Throttle::new(ThrottlePolicy::SIGN_IN, 100);
        for i in 0..1000 {
            let key = format!("user{i}");
            t.admit(&[key.as_str()], 0).unwrap();
        }
        assert!(t.len() <= 100);
    }
}
