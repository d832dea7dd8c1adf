//! Resource owners as administrators see them: their active tokens and the apps they
//! authorised, and the changes that cut them off (disable, delete, revoke).
//!
//! A user's tokens are those of every grant but client credentials: a
//! client-credentials token carries its client ID as subject, and a username equal to
//! a client ID must never reach an app's own tokens. Every query says so with the
//! very condition of the partial index `tokens_user_subject`, so SQLite uses it.

use super::codec::list_from_text;
use crate::domain::{UserGrant, UserSummary};
use crate::store::{StoreError, StoreResult};
use rusqlite::{Connection, Row, params};

/// The tokens of the user named by the outer query's `u.username`, active at `?1`.
macro_rules! active_user_tokens {
    () => {
        "FROM tokens t WHERE t.subject = u.username \
         AND t.grant_type <> 'client_credentials' \
         AND t.revoked_at IS NULL AND t.expires_at > ?1"
    };
}

macro_rules! summary_select {
    () => {
        concat!(
            "SELECT u.username, u.disabled, u.created_at, u.last_sign_in, \
             (SELECT COUNT(*) ",
            active_user_tokens!(),
            "), (SELECT COUNT(DISTINCT t.client_id) ",
            active_user_tokens!(),
            ") FROM users u"
        )
    };
}

fn summary_from_row(row: &Row<'_>) -> rusqlite::Result<UserSummary> {
    Ok(UserSummary {
        username: row.get(0)?,
        disabled: row.get(1)?,
        created_at: row.get(2)?,
        last_sign_in: row.get(3)?,
        active_tokens: count(row.get(4)?),
        authorised_apps: count(row.get(5)?),
    })
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Oldest first.
pub(super) fn list_summaries(conn: &Connection, now: i64) -> StoreResult<Vec<UserSummary>> {
    let mut statement = conn.prepare_cached(concat!(
        summary_select!(),
        " ORDER BY u.created_at, u.rowid"
    ))?;
    let users = statement
        .query_map([now], summary_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(users)
}

pub(super) fn get_summary(
    conn: &Connection,
    username: &str,
    now: i64,
) -> StoreResult<Option<UserSummary>> {
    let mut statement =
        conn.prepare_cached(concat!(summary_select!(), " WHERE u.username = ?2"))?;
    let mut rows = statement.query_map(params![now, username], summary_from_row)?;
    Ok(rows.next().transpose()?)
}

/// The user's token families holding an active token, newest first. The scopes are
/// those of the family's newest token, its refresh token when both were issued at
/// once (an access token may carry a narrower scope than the user granted).
pub(super) fn list_grants(
    conn: &Connection,
    username: &str,
    now: i64,
) -> StoreResult<Vec<UserGrant>> {
    let mut statement = conn.prepare_cached(
        "SELECT t.family_id, t.client_id, COALESCE(a.name, t.client_id), \
         (SELECT n.scopes FROM tokens n WHERE n.family_id = t.family_id \
          ORDER BY n.issued_at DESC, n.kind DESC, n.id DESC LIMIT 1), \
         MIN(t.issued_at), MAX(t.issued_at), \
         SUM(CASE WHEN t.revoked_at IS NULL AND t.expires_at > ?2 THEN 1 ELSE 0 END) AS active \
         FROM tokens t LEFT JOIN apps a ON a.client_id = t.client_id \
         WHERE t.subject = ?1 AND t.grant_type <> 'client_credentials' \
         GROUP BY t.family_id, t.client_id \
         HAVING active > 0 \
         ORDER BY MAX(t.issued_at) DESC, t.family_id DESC",
    )?;
    let grants = statement
        .query_map(params![username, now], |row| {
            Ok(UserGrant {
                family_id: row.get(0)?,
                client_id: row.get(1)?,
                app_name: row.get(2)?,
                scopes: list_from_text(3, &row.get::<_, String>(3)?)?,
                granted_at: row.get(4)?,
                last_issued_at: row.get(5)?,
                active_tokens: count(row.get(6)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(grants)
}

/// True if the user exists.
pub(super) fn record_sign_in(conn: &Connection, username: &str, at: i64) -> StoreResult<bool> {
    let changed = conn
        .prepare_cached("UPDATE users SET last_sign_in = ?2 WHERE username = ?1")?
        .execute(params![username, at])?;
    Ok(changed > 0)
}

/// Disables or enables the user; disabling revokes their active tokens too, and the
/// count is returned. `NotFound` if there is no such user.
pub(super) fn set_disabled(
    conn: &Connection,
    username: &str,
    disabled: bool,
    now: i64,
) -> StoreResult<u64> {
    let changed = conn
        .prepare_cached("UPDATE users SET disabled = ?2 WHERE username = ?1")?
        .execute(params![username, disabled])?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    if disabled {
        revoke_tokens(conn, username, now)
    } else {
        Ok(0)
    }
}

pub(super) fn set_password(conn: &Connection, username: &str, hash: &str) -> StoreResult<u64> {
    let changed = conn
        .prepare_cached("UPDATE users SET password_hash = ?2 WHERE username = ?1")?
        .execute(params![username, hash])?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(1)
}

/// Deletes the user and revokes their active tokens (returns how many).
pub(super) fn delete(conn: &Connection, username: &str, now: i64) -> StoreResult<u64> {
    let changed = conn
        .prepare_cached("DELETE FROM users WHERE username = ?1")?
        .execute([username])?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    revoke_tokens(conn, username, now)
}

/// Revokes the user's active tokens; expired ones are unusable already.
pub(super) fn revoke_tokens(conn: &Connection, username: &str, now: i64) -> StoreResult<u64> {
    let changed = conn
        .prepare_cached(
            "UPDATE tokens SET revoked_at = ?2 \
             WHERE subject = ?1 AND grant_type <> 'client_credentials' \
             AND revoked_at IS NULL AND expires_at > ?2",
        )?
        .execute(params![username, now])?;
    Ok(changed as u64)
}

/// Revokes the active tokens of one family of the user; `NotFound` when none is.
pub(super) fn revoke_family(
    conn: &Connection,
    username: &str,
    family_id: &str,
    now: i64,
) -> StoreResult<u64> {
    let changed = conn
        .prepare_cached(
            "UPDATE tokens SET revoked_at = ?3 \
             WHERE family_id = ?2 AND subject = ?1 AND grant_type <> 'client_credentials' \
             AND revoked_at IS NULL AND expires_at > ?3",
        )?
        .execute(params![username, family_id, now])?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(changed as u64)
}
