//! Per-app, per-hour issuance counters, as both engines store them: one row per app and
//! hour in which it was issued access tokens, added to in the transaction that stores
//! the tokens. Reading usage never scans the tokens table.

use crate::domain::{AppUsage, TokenKind, TokenRecord, USAGE_HOURS};
use std::collections::HashMap;

const SECONDS_PER_HOUR: i64 = 3600;

/// One stored counter: access tokens of one app issued in one hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsageHour {
    /// Unix seconds / 3600.
    pub hour: i64,
    /// Access tokens issued in the hour (revocation does not lower it).
    pub issued: u64,
    /// The latest `issued_at` counted in the hour.
    pub last_issued_at: i64,
}

/// The hour (Unix seconds / 3600) that `at` falls in.
pub fn hour_of(at: i64) -> i64 {
    at.div_euclid(SECONDS_PER_HOUR)
}

/// The first and last hour of the usage window that ends with `now`'s hour.
pub fn window(now: i64) -> (i64, i64) {
    let last = hour_of(now);
    (last - (USAGE_HOURS as i64 - 1), last)
}

/// An app's usage from its stored hours: the newest issuance of any hour, the access
/// tokens of the window, and the window hour by hour (oldest first, `USAGE_HOURS`
/// entries, the last one `now`'s hour).
pub fn summarize(hours: &[UsageHour], now: i64) -> (AppUsage, Vec<u64>) {
    let (first, last) = window(now);
    let mut hourly = vec![0u64; USAGE_HOURS];
    for row in hours {
        if (first..=last).contains(&row.hour) {
            let slot = (row.hour - first) as usize;
            hourly[slot] = hourly[slot].saturating_add(row.issued);
        }
    }
    let usage = AppUsage {
        last_issued_at: hours.iter().map(|row| row.last_issued_at).max(),
        issued_24h: hourly.iter().sum(),
    };
    (usage, hourly)
}

/// Access tokens per (client, hour) among tokens being stored together: what their
/// transaction adds to the counters, one upsert per pair.
#[derive(Debug, Default)]
pub struct UsageTally<'a> {
    counts: HashMap<(&'a str, i64), (u64, i64)>,
}

impl<'a> UsageTally<'a> {
    /// Counts the access tokens among `tokens`; refresh tokens come with an access
    /// token and are not counted.
    pub fn add(&mut self, tokens: impl IntoIterator<Item = &'a TokenRecord>) {
        for token in tokens {
            if token.kind != TokenKind::Access {
                continue;
            }
            let entry = self
                .counts
                .entry((token.client_id.as_str(), hour_of(token.issued_at)))
                .or_insert((0, token.issued_at));
            entry.0 += 1;
            entry.1 = entry.1.max(token.issued_at);
        }
    }

    /// (client_id, hour) and what to add there, in key order: concurrent transactions
    /// that lock the same rows lock them in the same order.
    pub fn rows(&self) -> Vec<(&'a str, UsageHour)> {
        let mut rows: Vec<(&'a str, UsageHour)> = self
            .counts
            .iter()
            .map(|(&(client_id, hour), &(issued, last_issued_at))| {
                (
                    client_id,
                    UsageHour {
                        hour,
                        issued,
                        last_issued_at,
                    },
                )
            })
            .collect();
        rows.sort_by(|a, b| (a.0, a.1.hour).cmp(&(b.0, b.1.hour)));
        rows
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

/// Adds usage per app, as the grouped reads of both engines produce it.
pub fn usage_by_app(
    rows: impl IntoIterator<Item = (String, Option<i64>, i64)>,
) -> HashMap<String, AppUsage> {
    rows.into_iter()
        .map(|(client_id, last_issued_at, issued_24h)| {
            (
                client_id,
                AppUsage {
                    last_issued_at,
                    issued_24h: u64::try_from(issued_24h).unwrap_or(0),
                },
            )
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_window_ends_with_the_current_hour_and_ignores_older_and_later_hours() {
        let now = 1_000 * 3600 + 59;
        let row = |hour, issued| UsageHour {
            hour,
            issued,
            last_issued_at: hour * 3600 + 1,
        };
        let rows = [row(1_000, 3), row(977, 2), row(976, 50), row(1_001, 7)];
        let (usage, hourly) = summarize(&rows, now);
        assert_eq!(hourly.len(), USAGE_HOURS);
        assert_eq!(hourly[USAGE_HOURS - 1], 3);
        assert_eq!(hourly[0], 2);
        assert_eq!(usage.issued_24h, 5);
        assert_eq!(usage.last_issued_at, Some(1_001 * 3600 + 1));
        assert_eq!(summarize(&[], now).0, AppUsage::default());
    }
}
