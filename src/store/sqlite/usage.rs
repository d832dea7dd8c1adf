//! Per-app, per-hour usage counters (`app_usage`): added to in the transaction that
//! stores the tokens, read without touching the tokens table.

use crate::domain::{AppUsage, TokenRecord};
use crate::store::usage_hours::{UsageTally, summarize, usage_by_app, window};
use crate::store::{StoreResult, UsageHour};
use rusqlite::{Connection, params};
use std::collections::HashMap;

/// Adds `issued` access tokens to the app's hour. An app deleted earlier in the same
/// transaction gets no row (its tokens are gone with it).
const ADD: &str = "INSERT INTO app_usage (client_id, hour, issued, last_issued_at) \
     SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM apps WHERE client_id = ?1) \
     ON CONFLICT (client_id, hour) DO UPDATE SET \
     issued = issued + excluded.issued, \
     last_issued_at = MAX(last_issued_at, excluded.last_issued_at)";

/// Adds what the tally counted: one cached statement per (app, hour).
pub(super) fn add(conn: &Connection, tally: &UsageTally<'_>) -> rusqlite::Result<()> {
    if tally.is_empty() {
        return Ok(());
    }
    let mut statement = conn.prepare_cached(ADD)?;
    for (client_id, row) in tally.rows() {
        let issued = i64::try_from(row.issued).unwrap_or(i64::MAX);
        statement.execute(params![client_id, row.hour, issued, row.last_issued_at])?;
    }
    Ok(())
}

/// Counts `tokens` inside the caller's transaction.
pub(super) fn record(conn: &Connection, tokens: &[TokenRecord]) -> rusqlite::Result<()> {
    let mut tally = UsageTally::default();
    tally.add(tokens);
    add(conn, &tally)
}

fn hour_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<UsageHour> {
    Ok(UsageHour {
        hour: row.get(0)?,
        issued: u64::try_from(row.get::<_, i64>(1)?).unwrap_or(0),
        last_issued_at: row.get(2)?,
    })
}

/// The hours of the window and the app's newest hour: all `summarize` needs.
pub(super) fn app_usage(
    conn: &Connection,
    client_id: &str,
    now: i64,
) -> StoreResult<(AppUsage, Vec<u64>)> {
    let (first, _) = window(now);
    let mut statement = conn.prepare_cached(
        "SELECT hour, issued, last_issued_at FROM app_usage WHERE client_id = ?1 \
         AND (hour >= ?2 OR hour = (SELECT MAX(hour) FROM app_usage WHERE client_id = ?1))",
    )?;
    let hours = statement
        .query_map(params![client_id, first], hour_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(summarize(&hours, now))
}

/// Every counted app, in one pass over the counters.
pub(super) fn list(conn: &Connection, now: i64) -> StoreResult<HashMap<String, AppUsage>> {
    let (first, last) = window(now);
    let mut statement = conn.prepare_cached(
        "SELECT client_id, MAX(last_issued_at), \
         SUM(CASE WHEN hour BETWEEN ?1 AND ?2 THEN issued ELSE 0 END) \
         FROM app_usage GROUP BY client_id",
    )?;
    let rows = statement
        .query_map(params![first, last], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?
        .collect::<rusqlite::Result<Vec<(String, Option<i64>, i64)>>>()?;
    Ok(usage_by_app(rows))
}

/// Oldest first.
pub(super) fn list_hours(conn: &Connection, client_id: &str) -> StoreResult<Vec<UsageHour>> {
    let mut statement = conn.prepare_cached(
        "SELECT hour, issued, last_issued_at FROM app_usage WHERE client_id = ?1 ORDER BY hour",
    )?;
    let hours = statement
        .query_map([client_id], hour_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(hours)
}

pub(super) fn delete_for_app(conn: &Connection, client_id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM app_usage WHERE client_id = ?1")?
        .execute([client_id])?;
    Ok(())
}

pub(super) fn replace_hours(
    conn: &Connection,
    client_id: &str,
    hours: &[UsageHour],
) -> StoreResult<()> {
    delete_for_app(conn, client_id)?;
    let mut statement = conn.prepare_cached(
        "INSERT INTO app_usage (client_id, hour, issued, last_issued_at) \
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for row in hours {
        let issued = i64::try_from(row.issued).unwrap_or(i64::MAX);
        statement.execute(params![client_id, row.hour, issued, row.last_issued_at])?;
    }
    Ok(())
}

/// Deletes at most `limit` hours that began before `before_hour`, never an app's newest.
pub(super) fn purge(conn: &Connection, before_hour: i64, limit: u32) -> StoreResult<u64> {
    let deleted = conn
        .prepare_cached(
            "DELETE FROM app_usage WHERE (client_id, hour) IN ( \
             SELECT old.client_id, old.hour FROM app_usage AS old WHERE old.hour < ?1 \
             AND old.hour < (SELECT MAX(newest.hour) FROM app_usage AS newest \
                             WHERE newest.client_id = old.client_id) \
             LIMIT ?2)",
        )?
        .execute(params![before_hour, limit])?;
    Ok(deleted as u64)
}

/// Active tokens per app, in one grouped read.
pub(super) fn count_active_by_app(
    conn: &Connection,
    now: i64,
) -> StoreResult<HashMap<String, u64>> {
    let mut statement = conn.prepare_cached(
        "SELECT client_id, COUNT(*) FROM tokens \
         WHERE revoked_at IS NULL AND expires_at > ?1 GROUP BY client_id",
    )?;
    let counts = statement
        .query_map([now], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
        })?
        .map(|row| row.map(|(id, n)| (id, u64::try_from(n).unwrap_or(0))))
        .collect::<rusqlite::Result<HashMap<_, _>>>()?;
    Ok(counts)
}
