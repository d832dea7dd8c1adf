//! Issued tokens: insertion, lookup (the hot path of introspection), listing and
//! revocation, and refresh-token rotation with reuse detection.

use super::codec::{list_from_text, parse_text, scopes_to_text, token_kind_from_text};
use super::usage;
use crate::domain::{TokenKind, TokenRecord};
use crate::store::page_cursor::PageCursor;
use crate::store::{RefreshRotation, StoreResult, TokenLookup, TokenQuery};
use rusqlite::types::Value;
use rusqlite::{Connection, Row, params, params_from_iter};
use std::sync::OnceLock;

/// Page size when the query asks for 0, and the most one page may hold.
const DEFAULT_PAGE: u32 = 100;
const MAX_PAGE: u32 = 500;

/// The columns `from_row` reads, in its order.
macro_rules! columns {
    () => {
        "id, hash, kind, client_id, subject, scopes, grant_type, issued_at, expires_at, \
         family_id, revoked_at, family_expires_at, found_by_hash"
    };
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<TokenRecord> {
    Ok(TokenRecord {
        id: row.get(0)?,
        hash: row.get(1)?,
        kind: token_kind_from_text(2, &row.get::<_, String>(2)?)?,
        client_id: row.get(3)?,
        subject: row.get(4)?,
        scopes: list_from_text(5, &row.get::<_, String>(5)?)?,
        grant: parse_text(6, &row.get::<_, String>(6)?)?,
        issued_at: row.get(7)?,
        expires_at: row.get(8)?,
        family_id: row.get(9)?,
        revoked_at: row.get(10)?,
        family_expires_at: row.get(11)?,
        found_by_hash: row.get(12)?,
    })
}

/// The most rows one INSERT statement carries (13 parameters each); a statement for
/// each row count up to it is prepared once and kept.
pub(super) const MAX_ROWS_PER_INSERT: usize = 32;

const COLUMN_COUNT: usize = 13;

/// `INSERT … VALUES (…), (…)` for `rows` rows, built once per row count.
fn insert_sql(rows: usize) -> &'static str {
    static SQL: OnceLock<Vec<String>> = OnceLock::new();
    let all = SQL.get_or_init(|| {
        (0..=MAX_ROWS_PER_INSERT)
            .map(|n| {
                let mut sql = String::from(
                    "INSERT INTO tokens (id, hash, kind, client_id, subject, scopes, grant_type, \
                     issued_at, expires_at, family_id, revoked_at, family_expires_at, \
                     found_by_hash) VALUES ",
                );
                let row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
                sql.push_str(&vec![row; n].join(", "));
                sql
            })
            .collect()
    });
    &all[rows.min(MAX_ROWS_PER_INSERT)]
}

/// Inserts `rows` in one statement: SQLite stores all of them or, if any fails (a
/// conflict, an app deleted meanwhile), none.
pub(super) fn insert_rows(conn: &Connection, rows: &[&TokenRecord]) -> rusqlite::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    if rows.len() > MAX_ROWS_PER_INSERT {
        return Err(rusqlite::Error::InvalidParameterCount(
            rows.len() * COLUMN_COUNT,
            MAX_ROWS_PER_INSERT * COLUMN_COUNT,
        ));
    }
    let mut statement = conn.prepare_cached(insert_sql(rows.len()))?;
    for (row, token) in rows.iter().enumerate() {
        let at = row * COLUMN_COUNT;
        statement.raw_bind_parameter(at + 1, &token.id)?;
        statement.raw_bind_parameter(at + 2, &token.hash)?;
        statement.raw_bind_parameter(at + 3, token.kind.as_str())?;
        statement.raw_bind_parameter(at + 4, &token.client_id)?;
        statement.raw_bind_parameter(at + 5, &token.subject)?;
        statement.raw_bind_parameter(at + 6, scopes_to_text(&token.scopes))?;
        statement.raw_bind_parameter(at + 7, token.grant.as_str())?;
        statement.raw_bind_parameter(at + 8, token.issued_at)?;
        statement.raw_bind_parameter(at + 9, token.expires_at)?;
        statement.raw_bind_parameter(at + 10, &token.family_id)?;
        statement.raw_bind_parameter(at + 11, token.revoked_at)?;
        statement.raw_bind_parameter(at + 12, token.family_expires_at)?;
        statement.raw_bind_parameter(at + 13, token.found_by_hash)?;
    }
    statement.raw_execute()?;
    Ok(())
}

/// Inserts all the tokens and counts them in the app's usage; the caller's savepoint
/// makes them one unit.
pub(super) fn insert_all(conn: &Connection, tokens: &[TokenRecord]) -> StoreResult<()> {
    for part in tokens.chunks(MAX_ROWS_PER_INSERT) {
        let rows: Vec<&TokenRecord> = part.iter().collect();
        insert_rows(conn, &rows)?;
    }
    usage::record(conn, tokens)?;
    Ok(())
}

/// The presented token's row: by the ID it carries, or by hash for an old token,
/// through the partial index that holds only those (its condition word for word).
pub(super) fn find(conn: &Connection, lookup: &TokenLookup) -> StoreResult<Option<TokenRecord>> {
    let found = match &lookup.id {
        Some(id) => get_by_id(conn, id)?,
        None => {
            let mut statement = conn.prepare_cached(concat!(
                "SELECT ",
                columns!(),
                " FROM tokens WHERE hash = ?1 AND found_by_hash = 1"
            ))?;
            let mut rows = statement.query_map([&lookup.hash], from_row)?;
            rows.next().transpose()?
        }
    };
    Ok(lookup.confirm(found))
}

pub(super) fn get_by_id(conn: &Connection, id: &str) -> StoreResult<Option<TokenRecord>> {
    let mut statement =
        conn.prepare_cached(concat!("SELECT ", columns!(), " FROM tokens WHERE id = ?1"))?;
    let mut rows = statement.query_map([id], from_row)?;
    Ok(rows.next().transpose()?)
}

/// One page, newest first (`issued_at` then `id`, both descending), and the cursor of
/// the next page when there may be one.
pub(super) fn list(
    conn: &Connection,
    query: &TokenQuery,
) -> StoreResult<(Vec<TokenRecord>, Option<String>)> {
    let limit = match query.limit {
        0 => DEFAULT_PAGE,
        n => n.min(MAX_PAGE),
    };
    let after = query
        .cursor
        .as_deref()
        .map(PageCursor::decode)
        .transpose()?;

    // Only the conditions in use appear, so each shape gets its own indexed plan.
    let mut conditions: Vec<&str> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    if let Some(client_id) = &query.client_id {
        conditions.push("client_id = ?");
        values.push(Value::Text(client_id.clone()));
    }
    if let Some(subject) = &query.subject {
        // A user's tokens through the partial index `tokens_user_subject` (its condition
        // word for word), or an app's client-credentials tokens, whose subject is its
        // client ID, through `tokens_client_issued`.
        conditions.push(
            "((subject = ? AND grant_type <> 'client_credentials') \
             OR (client_id = ? AND subject = ? AND grant_type = 'client_credentials'))",
        );
        values.push(Value::Text(subject.clone()));
        values.push(Value::Text(subject.clone()));
        values.push(Value::Text(subject.clone()));
    }
    if query.active_only {
        conditions.push("revoked_at IS NULL AND expires_at > ?");
        values.push(Value::Integer(query.now));
    }
    if let Some(after) = after {
        conditions.push("(issued_at, id) < (?, ?)");
        values.push(Value::Integer(after.issued_at));
        values.push(Value::Text(after.id));
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    let sql = format!(
        concat!(
            "SELECT ",
            columns!(),
            " FROM tokens{} ORDER BY issued_at DESC, id DESC LIMIT ?"
        ),
        filter
    );
    // One more than the page: whether it exists tells if there is a next page.
    values.push(Value::Integer(i64::from(limit) + 1));

    let mut statement = conn.prepare_cached(&sql)?;
    let mut page = statement
        .query_map(params_from_iter(values), from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let next = if page.len() > limit as usize {
        page.truncate(limit as usize);
        page.last().map(|last| {
            PageCursor {
                issued_at: last.issued_at,
                id: last.id.clone(),
            }
            .encode()
        })
    } else {
        None
    };
    Ok((page, next))
}

/// True if the token existed and was not revoked yet.
pub(super) fn revoke(conn: &Connection, id: &str, now: i64) -> StoreResult<bool> {
    let changed = conn
        .prepare_cached("UPDATE tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL")?
        .execute(params![id, now])?;
    Ok(changed > 0)
}

/// Revokes every token of the family not revoked yet, expired ones included.
pub(super) fn revoke_family(conn: &Connection, family_id: &str, now: i64) -> StoreResult<u64> {
    let changed = conn
        .prepare_cached(
            "UPDATE tokens SET revoked_at = ?2 WHERE family_id = ?1 AND revoked_at IS NULL",
        )?
        .execute(params![family_id, now])?;
    Ok(changed as u64)
}

/// Revokes the client's active tokens; expired ones are unusable already and are
/// left as they are, so the count is what an administrator expects to see.
pub(super) fn revoke_client(conn: &Connection, client_id: &str, now: i64) -> StoreResult<u64> {
    let changed = conn
        .prepare_cached(
            "UPDATE tokens SET revoked_at = ?2 \
             WHERE client_id = ?1 AND revoked_at IS NULL AND expires_at > ?2",
        )?
        .execute(params![client_id, now])?;
    Ok(changed as u64)
}

pub(super) fn count_active(conn: &Connection, client_id: &str, now: i64) -> StoreResult<u64> {
    let count: i64 = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM tokens \
             WHERE client_id = ?1 AND revoked_at IS NULL AND expires_at > ?2",
        )?
        .query_row(params![client_id, now], |row| row.get(0))?;
    Ok(u64::try_from(count).unwrap_or(0))
}

/// Refresh-token rotation, run inside the writer so it cannot race with itself:
/// - unknown token, an access token, or an expired refresh token: `NotFound` (the caller
///   answers `invalid_grant` either way; an expired token is no evidence of theft);
/// - revoked already (rotated before, or revoked): the whole family is revoked,
///   `Reused`;
/// - active: it is revoked and `new_tokens` stored, `Rotated` with the old record as
///   it now stands (`revoked_at` set to `now`).
pub(super) fn rotate_refresh(
    conn: &Connection,
    presented: &TokenLookup,
    new_tokens: &[TokenRecord],
    now: i64,
) -> StoreResult<RefreshRotation> {
    let Some(mut old) = find(conn, presented)? else {
        return Ok(RefreshRotation::NotFound);
    };
    if old.kind != TokenKind::Refresh {
        return Ok(RefreshRotation::NotFound);
    }
    if old.revoked_at.is_some() {
        let revoked = revoke_family(conn, &old.family_id, now)?;
        return Ok(RefreshRotation::Reused {
            family_id: old.family_id,
            revoked,
        });
    }
    if now >= old.expires_at {
        return Ok(RefreshRotation::NotFound);
    }
    revoke(conn, &old.id, now)?;
    insert_all(conn, new_tokens)?;
    old.revoked_at = Some(now);
    Ok(RefreshRotation::Rotated(old))
}
