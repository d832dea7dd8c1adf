//! The audit log: append-only, read newest first.

use super::codec::{json_from_text, json_to_text};
use crate::domain::AuditRecord;
use crate::store::{AuditQuery, StoreResult};
use rusqlite::types::Value;
use rusqlite::{Connection, Row, params, params_from_iter};

/// Page size when 0 is asked for, and the most one page may hold.
const DEFAULT_PAGE: u32 = 100;
const MAX_PAGE: u32 = 500;

fn from_row(row: &Row<'_>) -> rusqlite::Result<AuditRecord> {
    let json = |index: usize| -> rusqlite::Result<Option<serde_json::Value>> {
        row.get::<_, Option<String>>(index)?
            .map(|text| json_from_text(index, &text))
            .transpose()
    };
    Ok(AuditRecord {
        id: row.get(0)?,
        at: row.get(1)?,
        actor: row.get(2)?,
        action: row.get(3)?,
        target: row.get(4)?,
        before: json(5)?,
        after: json(6)?,
    })
}

/// Appends the record; the store assigns its id (the record's own is ignored).
pub(super) fn insert(conn: &Connection, record: &AuditRecord) -> StoreResult<()> {
    let before = record.before.as_ref().map(json_to_text).transpose()?;
    let after = record.after.as_ref().map(json_to_text).transpose()?;
    conn.prepare_cached(
        "INSERT INTO audit (at, actor, action, target, before_json, after_json) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        record.at,
        record.actor,
        record.action,
        record.target,
        before,
        after
    ])?;
    Ok(())
}

/// Newest first; with `before_id`, only records older than that one.
pub(super) fn list(
    conn: &Connection,
    limit: u32,
    before_id: Option<i64>,
) -> StoreResult<Vec<AuditRecord>> {
    let limit = match limit {
        0 => DEFAULT_PAGE,
        n => n.min(MAX_PAGE),
    };
    let mut statement = conn.prepare_cached(
        "SELECT id, at, actor, action, target, before_json, after_json FROM audit \
         WHERE id < ?1 ORDER BY id DESC LIMIT ?2",
    )?;
    let records = statement
        .query_map(params![before_id.unwrap_or(i64::MAX), limit], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(records)
}

/// Newest first, only records matching every filter of `query`.
pub(super) fn list_filtered(
    conn: &Connection,
    query: &AuditQuery,
) -> StoreResult<Vec<AuditRecord>> {
    let limit = match query.limit {
        0 => DEFAULT_PAGE,
        n => n.min(MAX_PAGE),
    };
    // Only the filters in use appear, so each shape gets its own indexed plan.
    let mut sql = String::from(
        "SELECT id, at, actor, action, target, before_json, after_json FROM audit WHERE id < ?",
    );
    let mut values = vec![Value::Integer(query.before_id.unwrap_or(i64::MAX))];
    for (column, filter) in [
        ("actor", &query.actor),
        ("action", &query.action),
        ("target", &query.target),
    ] {
        if let Some(value) = filter {
            sql.push_str(&format!(" AND {column} = ?"));
            values.push(Value::Text(value.clone()));
        }
    }
    sql.push_str(" ORDER BY id DESC LIMIT ?");
    values.push(Value::Integer(i64::from(limit)));
    let mut statement = conn.prepare_cached(&sql)?;
    let records = statement
        .query_map(params_from_iter(values), from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(records)
}
