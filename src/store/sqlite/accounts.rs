//! Resource owners (users) and admin API keys.

use crate::domain::{AdminKey, User};
use crate::store::StoreResult;
use rusqlite::{Connection, Row, params};

/// The columns `user_from_row` reads, in its order.
macro_rules! user_columns {
    () => {
        "username, password_hash, created_at, disabled, last_sign_in"
    };
}

fn user_from_row(row: &Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        username: row.get(0)?,
        password_hash: row.get(1)?,
        created_at: row.get(2)?,
        disabled: row.get(3)?,
        last_sign_in: row.get(4)?,
    })
}

pub(super) fn insert_user(conn: &Connection, user: &User) -> StoreResult<()> {
    conn.prepare_cached(concat!(
        "INSERT INTO users (",
        user_columns!(),
        ") VALUES (?1, ?2, ?3, ?4, ?5)"
    ))?
    .execute(params![
        user.username,
        user.password_hash,
        user.created_at,
        user.disabled,
        user.last_sign_in
    ])?;
    Ok(())
}

/// Oldest first.
pub(super) fn list_users(conn: &Connection) -> StoreResult<Vec<User>> {
    let mut statement = conn.prepare_cached(concat!(
        "SELECT ",
        user_columns!(),
        " FROM users ORDER BY created_at, rowid"
    ))?;
    let users = statement
        .query_map([], user_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(users)
}

pub(super) fn get_user(conn: &Connection, username: &str) -> StoreResult<Option<User>> {
    let mut statement = conn.prepare_cached(concat!(
        "SELECT ",
        user_columns!(),
        " FROM users WHERE username = ?1"
    ))?;
    let mut rows = statement.query_map([username], user_from_row)?;
    Ok(rows.next().transpose()?)
}

/// The columns `admin_key_from_row` reads, in its order.
macro_rules! key_columns {
    () => {
        "name, hash, read_only, created_at, revoked_at"
    };
}

fn admin_key_from_row(row: &Row<'_>) -> rusqlite::Result<AdminKey> {
    Ok(AdminKey {
        name: row.get(0)?,
        hash: row.get(1)?,
        read_only: row.get(2)?,
        created_at: row.get(3)?,
        revoked_at: row.get(4)?,
    })
}

pub(super) fn insert_admin_key(conn: &Connection, key: &AdminKey) -> StoreResult<()> {
    conn.prepare_cached(concat!(
        "INSERT INTO admin_keys (",
        key_columns!(),
        ") VALUES (?1, ?2, ?3, ?4, ?5)"
    ))?
    .execute(params![
        key.name,
        key.hash,
        key.read_only,
        key.created_at,
        key.revoked_at
    ])?;
    Ok(())
}

/// Revoked keys are returned too: the caller decides, and can say why it refuses.
pub(super) fn get_admin_key_by_hash(
    conn: &Connection,
    hash: &str,
) -> StoreResult<Option<AdminKey>> {
    let mut statement = conn.prepare_cached(concat!(
        "SELECT ",
        key_columns!(),
        " FROM admin_keys WHERE hash = ?1"
    ))?;
    let mut rows = statement.query_map([hash], admin_key_from_row)?;
    Ok(rows.next().transpose()?)
}

/// Oldest first.
pub(super) fn list_admin_keys(conn: &Connection) -> StoreResult<Vec<AdminKey>> {
    let mut statement = conn.prepare_cached(concat!(
        "SELECT ",
        key_columns!(),
        " FROM admin_keys ORDER BY created_at, rowid"
    ))?;
    let keys = statement
        .query_map([], admin_key_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(keys)
}

/// True if the key existed and was not revoked yet.
pub(super) fn revoke_admin_key(conn: &Connection, name: &str, now: i64) -> StoreResult<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE admin_keys SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL",
        )?
        .execute(params![name, now])?;
    Ok(changed > 0)
}
