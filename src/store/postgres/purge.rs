//! The cleanup's deletions: expired tokens and codes, revoked access tokens and old
//! audit records, and usage hours past the window (`usage::purge`), in bounded batches
//! so no statement holds locks for long.

use super::usage;
use crate::store::usage_hours::hour_of;
use crate::store::{PurgeCounts, PurgePolicy, StoreResult};
use deadpool_postgres::GenericClient;

async fn delete_batch(
    client: &impl GenericClient,
    table: &str,
    key: &str,
    condition: &str,
    cutoff: i64,
    limit: u32,
) -> StoreResult<u64> {
    // `table`, `key` and `condition` are constants of this file, never input.
    let sql = format!(
        "DELETE FROM {table} WHERE {key} IN \
         (SELECT {key} FROM {table} WHERE {condition} LIMIT $2)"
    );
    let statement = client.prepare_cached(&sql).await?;
    Ok(client
        .execute(&statement, &[&cutoff, &i64::from(limit)])
        .await?)
}

pub(super) async fn purge(
    client: &impl GenericClient,
    policy: &PurgePolicy,
) -> StoreResult<PurgeCounts> {
    let limit = policy.limit.max(1);
    let expired = delete_batch(
        client,
        "tokens",
        "id",
        "expires_at <= $1",
        policy.tokens_expired_before,
        limit,
    )
    .await?;
    let revoked = delete_batch(
        client,
        "tokens",
        "id",
        "kind = 'access' AND revoked_at <= $1",
        policy.access_revoked_before,
        limit,
    )
    .await?;
    let codes = delete_batch(
        client,
        "auth_codes",
        "hash",
        "expires_at <= $1",
        policy.codes_expired_before,
        limit,
    )
    .await?;
    let device_codes = delete_batch(
        client,
        "device_codes",
        "hash",
        "expires_at <= $1",
        policy.codes_expired_before,
        limit,
    )
    .await?;
    let audit = match policy.audit_before {
        Some(before) => delete_batch(client, "audit", "id", "at <= $1", before, limit).await?,
        None => 0,
    };
    // An hour that began before the cutoff's hour ended at or before the cutoff.
    let usage_hours = usage::purge(client, hour_of(policy.usage_before), limit).await?;
    Ok(PurgeCounts {
        tokens: expired + revoked,
        codes,
        device_codes,
        audit,
        usage_hours,
    })
}
