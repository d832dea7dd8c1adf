//! Form sealing keys and single-use marks of submitted forms.

use crate::domain::FormKey;
use crate::store::StoreResult;
use rusqlite::{Connection, params};

/// Every key, newest first.
pub(super) fn list_keys(conn: &Connection) -> StoreResult<Vec<FormKey>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, secret, created_at FROM form_keys ORDER BY created_at DESC, id",
    )?;
    let keys = statement
        .query_map([], |row| {
            Ok(FormKey {
                id: row.get(0)?,
                secret: row.get(1)?,
                created_at: row.get(2)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(keys)
}

/// Stores `key` and drops the keys made before `retire_before`.
pub(super) fn insert_key(conn: &Connection, key: &FormKey, retire_before: i64) -> StoreResult<()> {
    conn.prepare_cached("DELETE FROM form_keys WHERE created_at < ?1")?
        .execute([retire_before])?;
    conn.prepare_cached("INSERT INTO form_keys (id, secret, created_at) VALUES (?1, ?2, ?3)")?
        .execute(params![key.id, key.secret, key.created_at])?;
    Ok(())
}

/// Marks the form `id` used; false when it was already. Expired marks are purged on
/// the way (a form past its expiry is refused before it gets here).
pub(super) fn use_form(
    conn: &Connection,
    id: &str,
    expires_at: i64,
    now: i64,
) -> StoreResult<bool> {
    conn.prepare_cached("DELETE FROM used_forms WHERE expires_at <= ?1")?
        .execute([now])?;
    let inserted = conn
        .prepare_cached("INSERT OR IGNORE INTO used_forms (id, expires_at) VALUES (?1, ?2)")?
        .execute(params![id, expires_at])?;
    Ok(inserted == 1)
}
