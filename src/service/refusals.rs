//! Refused admin calls (401, 403) go to the audit log, so that someone probing the
//! admin API shows up where administrators look. A flood of them must not flood the
//! log: at most `MAX_PER_WINDOW` records a window; the rest are counted, and the next
//! record written says how many were left out.

use super::accounts::audit_record;
use super::{Service, ServiceResult};
use crate::store::AdminChange;
use std::sync::Mutex;

/// At most this many refusal records per window.
pub const MAX_PER_WINDOW: u32 = 10;
/// Seconds per window.
pub const WINDOW_SECONDS: i64 = 60;

/// The action refused admin calls are recorded under.
pub const REFUSED_ACTION: &str = "admin.refused";

#[derive(Debug, Default)]
pub(super) struct RefusalWindow {
    started: i64,
    written: u32,
    /// Refusals not recorded since the last record.
    suppressed: u64,
}

impl RefusalWindow {
    /// Whether a refusal at `now` may be recorded; if so, how many were left out.
    fn admit(&mut self, now: i64) -> Option<u64> {
        if now - self.started >= WINDOW_SECONDS {
            self.started = now;
            self.written = 0;
        }
        if self.written >= MAX_PER_WINDOW {
            self.suppressed += 1;
            return None;
        }
        self.written += 1;
        Some(std::mem::take(&mut self.suppressed))
    }
}

/// A refused admin call: who (a key's name, or "unauthenticated"), what was asked
/// (method and path, never the query or the body), and the status answered.
#[derive(Debug, Clone)]
pub struct RefusedCall {
    pub actor: String,
    pub method: String,
    pub path: String,
    pub status: u16,
    pub reason: String,
}

impl Service {
    /// Records a refused admin call, unless this window's quota is spent. Returns
    /// whether a record was written.
    pub async fn record_refused_call(&self, call: RefusedCall) -> ServiceResult<bool> {
        let now = self.now();
        let admitted = match self.refusals.lock() {
            Ok(mut window) => window.admit(now),
            Err(_) => None,
        };
        let Some(suppressed) = admitted else {
            return Ok(false);
        };
        let mut after = serde_json::json!({
            "status": call.status,
            "method": call.method,
            "reason": call.reason,
        });
        if suppressed > 0 {
            after["suppressed_before"] = suppressed.into();
        }
        let record = audit_record(
            &call.actor,
            REFUSED_ACTION,
            &call.path,
            None,
            Some(after),
            now,
        );
        self.store
            .write_admin_change(AdminChange::RecordOnly, record)
            .await?;
        Ok(true)
    }
}

pub(super) type Refusals = Mutex<RefusalWindow>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_admits_its_quota_then_counts_the_rest_for_the_next_record() {
        let mut window = RefusalWindow::default();
        for _ in 0..MAX_PER_WINDOW {
            assert_eq!(window.admit(1_000), Some(0));
        }
        assert_eq!(window.admit(1_001), None);
        assert_eq!(window.admit(1_002), None);
        assert_eq!(window.admit(1_000 + WINDOW_SECONDS), Some(2));
    }
}
