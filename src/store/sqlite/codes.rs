//! Authorization codes: stored hashed, redeemed once.

use super::codec::{list_from_text, scopes_to_text};
use crate::domain::AuthCode;
use crate::store::{CodeRedemption, StoreResult};
use rusqlite::{Connection, Row, params};

/// The columns `from_row` reads, in its order.
macro_rules! columns {
    () => {
        "hash, client_id, subject, redirect_uri, scopes, code_challenge, \
         code_challenge_method, issued_at, expires_at, used_at, family_id"
    };
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<AuthCode> {
    Ok(AuthCode {
        hash: row.get(0)?,
        client_id: row.get(1)?,
        subject: row.get(2)?,
        redirect_uri: row.get(3)?,
        scopes: list_from_text(4, &row.get::<_, String>(4)?)?,
        code_challenge: row.get(5)?,
        code_challenge_method: row.get(6)?,
        issued_at: row.get(7)?,
        expires_at: row.get(8)?,
        used_at: row.get(9)?,
        family_id: row.get(10)?,
    })
}

pub(super) fn insert(conn: &Connection, code: &AuthCode) -> StoreResult<()> {
    conn.prepare_cached(concat!(
        "INSERT INTO auth_codes (",
        columns!(),
        ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    ))?
    .execute(params![
        code.hash,
        code.client_id,
        code.subject,
        code.redirect_uri,
        scopes_to_text(&code.scopes),
        code.code_challenge,
        code.code_challenge_method,
        code.issued_at,
        code.expires_at,
        code.used_at,
        code.family_id,
    ])?;
    Ok(())
}

/// Marks the code used the first time it is presented. `Fresh` carries the code as it
/// now stands (`used_at` = `now`); `Reused` carries it as it was, with the first use.
/// Expiry is the caller's to check.
pub(super) fn redeem(conn: &Connection, hash: &str, now: i64) -> StoreResult<CodeRedemption> {
    let mut statement = conn.prepare_cached(concat!(
        "SELECT ",
        columns!(),
        " FROM auth_codes WHERE hash = ?1"
    ))?;
    let found = statement.query_map([hash], from_row)?.next().transpose()?;
    let Some(mut code) = found else {
        return Ok(CodeRedemption::NotFound);
    };
    if code.used_at.is_some() {
        return Ok(CodeRedemption::Reused(code));
    }
    conn.prepare_cached("UPDATE auth_codes SET used_at = ?2 WHERE hash = ?1")?
        .execute(params![hash, now])?;
    code.used_at = Some(now);
    Ok(CodeRedemption::Fresh(code))
}

/// Every code, oldest first.
pub(super) fn list_all(conn: &Connection) -> StoreResult<Vec<AuthCode>> {
    let mut statement = conn.prepare_cached(concat!(
        "SELECT ",
        columns!(),
        " FROM auth_codes ORDER BY issued_at, hash"
    ))?;
    let codes = statement
        .query_map([], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(codes)
}
