//! Per-app, per-hour usage counters (`app_usage`). They are added to by the very
//! statement that stores the tokens (`tokens::insert_all`), so a token is never stored
//! without its count; this module reads, copies and purges them.

use super::codec::get;
use crate::domain::AppUsage;
use crate::store::usage_hours::{summarize, usage_by_app, window};
use crate::store::{StoreResult, UsageHour};
use deadpool_postgres::GenericClient;
use std::collections::HashMap;
use tokio_postgres::Row;

/// Appended to the tokens' `INSERT … RETURNING client_id, kind, issued_at` (named
/// `stored`): one upsert per (app, hour) for the whole statement, in key order so that
/// concurrent batches lock shared rows in the same order.
pub(super) const ADD_STORED: &str = " INSERT INTO app_usage (client_id, hour, issued, last_issued_at) \
     SELECT client_id, issued_at / 3600, COUNT(*), MAX(issued_at) FROM stored \
     WHERE kind = 'access' GROUP BY client_id, issued_at / 3600 \
     ORDER BY client_id, issued_at / 3600 \
     ON CONFLICT (client_id, hour) DO UPDATE SET \
     issued = app_usage.issued + EXCLUDED.issued, \
     last_issued_at = GREATEST(app_usage.last_issued_at, EXCLUDED.last_issued_at)";

fn hour_from_row(row: &Row) -> StoreResult<UsageHour> {
    Ok(UsageHour {
        hour: get(row, 0)?,
        issued: u64::try_from(get::<i64>(row, 1)?).unwrap_or(0),
        last_issued_at: get(row, 2)?,
    })
}

/// The hours of the window and the app's newest hour: all `summarize` needs.
pub(super) async fn app_usage(
    client: &impl GenericClient,
    client_id: &str,
    now: i64,
) -> StoreResult<(AppUsage, Vec<u64>)> {
    let (first, _) = window(now);
    let statement = client
        .prepare_cached(
            "SELECT hour, issued, last_issued_at FROM app_usage WHERE client_id = $1 \
             AND (hour >= $2 OR hour = (SELECT MAX(hour) FROM app_usage WHERE client_id = $1))",
        )
        .await?;
    let hours = client
        .query(&statement, &[&client_id, &first])
        .await?
        .iter()
        .map(hour_from_row)
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(summarize(&hours, now))
}

/// Every counted app, in one pass over the counters.
pub(super) async fn list(
    client: &impl GenericClient,
    now: i64,
) -> StoreResult<HashMap<String, AppUsage>> {
    let (first, last) = window(now);
    let statement = client
        .prepare_cached(
            "SELECT client_id, MAX(last_issued_at), \
             COALESCE(SUM(issued) FILTER (WHERE hour BETWEEN $1 AND $2), 0)::int8 \
             FROM app_usage GROUP BY client_id",
        )
        .await?;
    let rows = client
        .query(&statement, &[&first, &last])
        .await?
        .iter()
        .map(|row| Ok((get(row, 0)?, get(row, 1)?, get(row, 2)?)))
        .collect::<StoreResult<Vec<(String, Option<i64>, i64)>>>()?;
    Ok(usage_by_app(rows))
}

/// Oldest first.
pub(super) async fn list_hours(
    client: &impl GenericClient,
    client_id: &str,
) -> StoreResult<Vec<UsageHour>> {
    let statement = client
        .prepare_cached(
            "SELECT hour, issued, last_issued_at FROM app_usage WHERE client_id = $1 \
             ORDER BY hour",
        )
        .await?;
    client
        .query(&statement, &[&client_id])
        .await?
        .iter()
        .map(hour_from_row)
        .collect()
}

/// Inside the caller's transaction.
pub(super) async fn replace_hours(
    tx: &impl GenericClient,
    client_id: &str,
    hours: &[UsageHour],
) -> StoreResult<()> {
    let delete = tx
        .prepare_cached("DELETE FROM app_usage WHERE client_id = $1")
        .await?;
    tx.execute(&delete, &[&client_id]).await?;
    let insert = tx
        .prepare_cached(
            "INSERT INTO app_usage (client_id, hour, issued, last_issued_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .await?;
    for row in hours {
        let issued = i64::try_from(row.issued).unwrap_or(i64::MAX);
        tx.execute(
            &insert,
            &[&client_id, &row.hour, &issued, &row.last_issued_at],
        )
        .await?;
    }
    Ok(())
}

/// Deletes at most `limit` hours that began before `before_hour`, never an app's newest.
pub(super) async fn purge(
    client: &impl GenericClient,
    before_hour: i64,
    limit: u32,
) -> StoreResult<u64> {
    let statement = client
        .prepare_cached(
            "DELETE FROM app_usage WHERE (client_id, hour) IN ( \
             SELECT old.client_id, old.hour FROM app_usage AS old WHERE old.hour < $1 \
             AND old.hour < (SELECT MAX(newest.hour) FROM app_usage AS newest \
                             WHERE newest.client_id = old.client_id) \
             LIMIT $2)",
        )
        .await?;
    Ok(client
        .execute(&statement, &[&before_hour, &i64::from(limit)])
        .await?)
}

/// Active tokens per app, in one grouped read.
pub(super) async fn count_active_by_app(
    client: &impl GenericClient,
    now: i64,
) -> StoreResult<HashMap<String, u64>> {
    let statement = client
        .prepare_cached(
            "SELECT client_id, COUNT(*) FROM tokens \
             WHERE revoked_at IS NULL AND expires_at > $1 GROUP BY client_id",
        )
        .await?;
    client
        .query(&statement, &[&now])
        .await?
        .iter()
        .map(|row| {
            let count: i64 = get(row, 1)?;
            Ok((get(row, 0)?, u64::try_from(count).unwrap_or(0)))
        })
        .collect()
}
