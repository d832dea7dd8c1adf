//! The cleanup's deletions: expired tokens and codes, revoked access tokens and old
//! audit records, and usage hours past the window (`usage::purge`), in bounded batches
//! so the writer is never held for long.

use super::usage;
use crate::store::usage_hours::hour_of;
use crate::store::{PurgeCounts, PurgePolicy, StoreResult};
use rusqlite::{Connection, params};

fn delete_batch(
    conn: &Connection,
    table: &str,
    condition: &str,
    cutoff: i64,
    limit: u32,
) -> StoreResult<u64> {
    // `table` and `condition` are constants of this file, never input.
    let sql = format!(
        "DELETE FROM {table} WHERE rowid IN \
         (SELECT rowid FROM {table} WHERE {condition} LIMIT ?2)"
    );
    let deleted = conn.prepare_cached(&sql)?.execute(params![cutoff, limit])?;
    Ok(deleted as u64)
}

pub(super) fn purge(conn: &Connection, policy: &PurgePolicy) -> StoreResult<PurgeCounts> {
    let limit = policy.limit.max(1);
    let expired = delete_batch(
        conn,
        "tokens",
        "expires_at <= ?1",
        policy.tokens_expired_before,
        limit,
    )?;
    let revoked = delete_batch(
        conn,
        "tokens",
        "kind = 'access' AND revoked_at <= ?1",
        policy.access_revoked_before,
        limit,
    )?;
    let codes = delete_batch(
        conn,
        "auth_codes",
        "expires_at <= ?1",
        policy.codes_expired_before,
        limit,
    )?;
    let device_codes = delete_batch(
        conn,
        "device_codes",
        "expires_at <= ?1",
        policy.codes_expired_before,
        limit,
    )?;
    let audit = match policy.audit_before {
        Some(before) => delete_batch(conn, "audit", "at <= ?1", before, limit)?,
        None => 0,
    };
    // An hour that began before the cutoff's hour ended at or before the cutoff.
    let usage_hours = usage::purge(conn, hour_of(policy.usage_before), limit)?;
    Ok(PurgeCounts {
        tokens: expired + revoked,
        codes,
        device_codes,
        audit,
        usage_hours,
    })
}
