//! The audit log: append-only, read newest first.

use super::codec::{get, json_to_text, optional_json};
use crate::domain::AuditRecord;
use crate::store::{AuditQuery, StoreResult};
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

/// Page size when 0 is asked for, and the most one page may hold.
const DEFAULT_PAGE: u32 = 100;
const MAX_PAGE: u32 = 500;

fn from_row(row: &Row) -> StoreResult<AuditRecord> {
    Ok(AuditRecord {
        id: get(row, 0)?,
        at: get(row, 1)?,
        actor: get(row, 2)?,
        action: get(row, 3)?,
        target: get(row, 4)?,
        before: optional_json(row, 5)?,
        after: optional_json(row, 6)?,
    })
}

fn page_size(limit: u32) -> i64 {
    i64::from(match limit {
        0 => DEFAULT_PAGE,
        n => n.min(MAX_PAGE),
    })
}

/// Appends the record; the store assigns its id (the record's own is ignored).
pub(super) async fn insert(client: &impl GenericClient, record: &AuditRecord) -> StoreResult<()> {
    let before = record.before.as_ref().map(json_to_text).transpose()?;
    let after = record.after.as_ref().map(json_to_text).transpose()?;
    let statement = client
        .prepare_cached(
            "INSERT INTO audit (at, actor, action, target, before_json, after_json) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .await?;
    client
        .execute(
            &statement,
            &[
                &record.at,
                &record.actor,
                &record.action,
                &record.target,
                &before,
                &after,
            ],
        )
        .await?;
    Ok(())
}

/// Newest first; with `before_id`, only records older than that one.
pub(super) async fn list(
    client: &impl GenericClient,
    limit: u32,
    before_id: Option<i64>,
) -> StoreResult<Vec<AuditRecord>> {
    list_filtered(
        client,
        &AuditQuery {
            limit,
            before_id,
            ..AuditQuery::default()
        },
    )
    .await
}

/// Newest first, only records matching every filter of `query`.
pub(super) async fn list_filtered(
    client: &impl GenericClient,
    query: &AuditQuery,
) -> StoreResult<Vec<AuditRecord>> {
    let before = query.before_id.unwrap_or(i64::MAX);
    let limit = page_size(query.limit);
    // Only the filters in use appear, so each shape gets its own indexed plan.
    let mut sql = String::from(
        "SELECT id, at, actor, action, target, before_json, after_json FROM audit WHERE id < $1",
    );
    let mut values: Vec<&(dyn ToSql + Sync)> = vec![&before];
    for (column, filter) in [
        ("actor", &query.actor),
        ("action", &query.action),
        ("target", &query.target),
    ] {
        if let Some(value) = filter {
            values.push(value);
            sql.push_str(&format!(" AND {column} = ${}", values.len()));
        }
    }
    values.push(&limit);
    sql.push_str(&format!(" ORDER BY id DESC LIMIT ${}", values.len()));
    let statement = client.prepare_cached(&sql).await?;
    client
        .query(&statement, &values)
        .await?
        .iter()
        .map(from_row)
        .collect()
}
