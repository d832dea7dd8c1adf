//! Client apps.

use super::codec::{
    grants_to_text, json_from_text, json_to_text, list_from_text, parse_text, scopes_to_text,
};
use super::usage;
use crate::domain::ClientApp;
use crate::store::{StoreError, StoreResult};
use rusqlite::{Connection, Row, params};

/// The columns `from_row` reads, in its order.
macro_rules! columns {
    () => {
        "client_id, name, platform, redirect_urls, scopes, grant_types, secret_hash, \
         previous_secret_hash, previous_secret_expires_at, created_at, updated_at, \
         access_token_ttl, refresh_token_ttl"
    };
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<ClientApp> {
    Ok(ClientApp {
        client_id: row.get(0)?,
        name: row.get(1)?,
        platform: parse_text(2, &row.get::<_, String>(2)?)?,
        redirect_urls: json_from_text(3, &row.get::<_, String>(3)?)?,
        scopes: list_from_text(4, &row.get::<_, String>(4)?)?,
        grant_types: list_from_text(5, &row.get::<_, String>(5)?)?,
        secret_hash: row.get(6)?,
        previous_secret_hash: row.get(7)?,
        previous_secret_expires_at: row.get(8)?,
        created_at: row.get(9)?,
        updated_at: row.get(10)?,
        access_token_ttl: row.get(11)?,
        refresh_token_ttl: row.get(12)?,
    })
}

pub(super) fn insert(conn: &Connection, app: &ClientApp) -> StoreResult<()> {
    let mut statement = conn.prepare_cached(
        "INSERT INTO apps (client_id, name, platform, redirect_urls, scopes, grant_types, \
         secret_hash, previous_secret_hash, previous_secret_expires_at, created_at, \
         updated_at, access_token_ttl, refresh_token_ttl) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    statement.execute(params![
        app.client_id,
        app.name,
        app.platform.as_str(),
        json_to_text(&app.redirect_urls)?,
        scopes_to_text(&app.scopes),
        grants_to_text(&app.grant_types),
        app.secret_hash,
        app.previous_secret_hash,
        app.previous_secret_expires_at,
        app.created_at,
        app.updated_at,
        app.access_token_ttl,
        app.refresh_token_ttl,
    ])?;
    Ok(())
}

/// Replaces every stored field of the app with this `client_id`.
pub(super) fn update(conn: &Connection, app: &ClientApp) -> StoreResult<()> {
    let mut statement = conn.prepare_cached(
        "UPDATE apps SET name = ?2, platform = ?3, redirect_urls = ?4, scopes = ?5, \
         grant_types = ?6, secret_hash = ?7, previous_secret_hash = ?8, \
         previous_secret_expires_at = ?9, created_at = ?10, updated_at = ?11, \
         access_token_ttl = ?12, refresh_token_ttl = ?13 \
         WHERE client_id = ?1",
    )?;
    let changed = statement.execute(params![
        app.client_id,
        app.name,
        app.platform.as_str(),
        json_to_text(&app.redirect_urls)?,
        scopes_to_text(&app.scopes),
        grants_to_text(&app.grant_types),
        app.secret_hash,
        app.previous_secret_hash,
        app.previous_secret_expires_at,
        app.created_at,
        app.updated_at,
        app.access_token_ttl,
        app.refresh_token_ttl,
    ])?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Deletes the app, its tokens, its (device) codes and its usage; `NotFound` (and no
/// change) if unknown.
pub(super) fn delete(conn: &Connection, client_id: &str) -> StoreResult<()> {
    usage::delete_for_app(conn, client_id)?;
    conn.prepare_cached("DELETE FROM tokens WHERE client_id = ?1")?
        .execute([client_id])?;
    conn.prepare_cached("DELETE FROM auth_codes WHERE client_id = ?1")?
        .execute([client_id])?;
    conn.prepare_cached("DELETE FROM device_codes WHERE client_id = ?1")?
        .execute([client_id])?;
    let deleted = conn
        .prepare_cached("DELETE FROM apps WHERE client_id = ?1")?
        .execute([client_id])?;
    if deleted == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(super) fn get(conn: &Connection, client_id: &str) -> StoreResult<Option<ClientApp>> {
    let mut statement = conn.prepare_cached(concat!(
        "SELECT ",
        columns!(),
        " FROM apps WHERE client_id = ?1"
    ))?;
    let mut rows = statement.query_map([client_id], from_row)?;
    Ok(rows.next().transpose()?)
}

/// Oldest first; ties in creation time keep insertion order.
pub(super) fn list(conn: &Connection) -> StoreResult<Vec<ClientApp>> {
    let mut statement = conn.prepare_cached(concat!(
        "SELECT ",
        columns!(),
        " FROM apps ORDER BY created_at, rowid"
    ))?;
    let apps = statement
        .query_map([], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(apps)
}
