//! The one reading of the wall clock outside the service (which takes its time from an
//! injectable `service::Clock`, so tests can move it).

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, in Unix seconds (UTC). A clock set before 1970 reads as 0.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_is_after_this_code_was_written() {
        // 2026-01-01T00:00:00Z
        assert!(unix_now() > 1_767_225_600);
    }
}
