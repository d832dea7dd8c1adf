//! The cleanup: what expired or was revoked long enough ago is deleted, so that the
//! database does not grow without bound under a steady load.

use super::{Service, ServiceResult};
use crate::store::{PurgeCounts, PurgePolicy};

/// Rows per table per store call: small enough that token requests queued behind a
/// batch wait milliseconds, not seconds.
const BATCH: u32 = 5_000;

/// How long hourly usage counters are kept (each app's newest is kept anyway): twice
/// the window the console shows.
const USAGE_RETENTION: i64 = 48 * 3600;

impl Service {
    /// One pass: deletes in batches until nothing past keeping is left, and answers
    /// how many rows went.
    pub async fn clean_up(&self) -> ServiceResult<PurgeCounts> {
        let now = self.now();
        let keep = self.config.token_retention;
        let policy = PurgePolicy {
            tokens_expired_before: now.saturating_sub(keep),
            access_revoked_before: now.saturating_sub(keep),
            codes_expired_before: now.saturating_sub(keep),
            audit_before: self.config.audit_retention.map(|r| now.saturating_sub(r)),
            usage_before: now.saturating_sub(USAGE_RETENTION),
            limit: BATCH,
        };
        let mut total = PurgeCounts::default();
        loop {
            let pass = self.store.purge_expired(policy).await?;
            total.tokens += pass.tokens;
            total.codes += pass.codes;
            total.device_codes += pass.device_codes;
            total.audit += pass.audit;
            total.usage_hours += pass.usage_hours;
            let full = u64::from(BATCH);
            if pass.tokens < full
                && pass.codes < full
                && pass.device_codes < full
                && pass.audit < full
                && pass.usage_hours < full
            {
                break;
            }
        }
        if total != PurgeCounts::default() {
            tracing::info!(
                tokens = total.tokens,
                codes = total.codes,
                device_codes = total.device_codes,
                audit = total.audit,
                usage_hours = total.usage_hours,
                "cleanup deleted expired rows"
            );
        }
        Ok(total)
    }
}
