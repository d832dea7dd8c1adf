//! Client apps.

use super::codec::{get, grants_to_text, json, json_to_text, list, parsed, scopes_to_text};
use crate::domain::ClientApp;
use crate::store::{StoreError, StoreResult};
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

/// The columns `from_row` reads, in its order.
macro_rules! columns {
    () => {
        "client_id, name, platform, redirect_urls, scopes, grant_types, secret_hash, \
         previous_secret_hash, previous_secret_expires_at, created_at, updated_at, \
         access_token_ttl, refresh_token_ttl"
    };
}

fn from_row(row: &Row) -> StoreResult<ClientApp> {
    Ok(ClientApp {
        client_id: get(row, 0)?,
        name: get(row, 1)?,
        platform: parsed(row, 2)?,
        redirect_urls: json(row, 3)?,
        scopes: list(row, 4)?,
        grant_types: list(row, 5)?,
        secret_hash: get(row, 6)?,
        previous_secret_hash: get(row, 7)?,
        previous_secret_expires_at: get(row, 8)?,
        created_at: get(row, 9)?,
        updated_at: get(row, 10)?,
        access_token_ttl: get(row, 11)?,
        refresh_token_ttl: get(row, 12)?,
    })
}

pub(super) async fn insert(client: &impl GenericClient, app: &ClientApp) -> StoreResult<()> {
    let statement = client
        .prepare_cached(concat!(
            "INSERT INTO apps (",
            columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        ))
        .await?;
    client
        .execute(
            &statement,
            &[
                &app.client_id,
                &app.name,
                &app.platform.as_str(),
                &json_to_text(&app.redirect_urls)?,
                &scopes_to_text(&app.scopes),
                &grants_to_text(&app.grant_types),
                &app.secret_hash,
                &app.previous_secret_hash,
                &app.previous_secret_expires_at,
                &app.created_at,
                &app.updated_at,
                &app.access_token_ttl,
                &app.refresh_token_ttl,
            ],
        )
        .await?;
    Ok(())
}

/// Replaces every stored field of the app with this `client_id`.
pub(super) async fn update(client: &impl GenericClient, app: &ClientApp) -> StoreResult<()> {
    let statement = client
        .prepare_cached(
            "UPDATE apps SET name = $2, platform = $3, redirect_urls = $4, scopes = $5, \
             grant_types = $6, secret_hash = $7, previous_secret_hash = $8, \
             previous_secret_expires_at = $9, created_at = $10, updated_at = $11, \
             access_token_ttl = $12, refresh_token_ttl = $13 \
             WHERE client_id = $1",
        )
        .await?;
    let changed = client
        .execute(
            &statement,
            &[
                &app.client_id,
                &app.name,
                &app.platform.as_str(),
                &json_to_text(&app.redirect_urls)?,
                &scopes_to_text(&app.scopes),
                &grants_to_text(&app.grant_types),
                &app.secret_hash,
                &app.previous_secret_hash,
                &app.previous_secret_expires_at,
                &app.created_at,
                &app.updated_at,
                &app.access_token_ttl,
                &app.refresh_token_ttl,
            ],
        )
        .await?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Deletes the app; its tokens, (device) codes and usage go with it (`ON DELETE CASCADE`),
/// in the same statement. `NotFound` (and no change) if unknown.
pub(super) async fn delete(client: &impl GenericClient, client_id: &str) -> StoreResult<()> {
    let statement = client
        .prepare_cached("DELETE FROM apps WHERE client_id = $1")
        .await?;
    if client.execute(&statement, &[&client_id]).await? == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(super) async fn get_one(
    client: &impl GenericClient,
    client_id: &str,
) -> StoreResult<Option<ClientApp>> {
    let statement = client
        .prepare_cached(concat!(
            "SELECT ",
            columns!(),
            " FROM apps WHERE client_id = $1"
        ))
        .await?;
    client
        .query_opt(&statement, &[&client_id])
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Oldest first; ties in creation time keep insertion order.
pub(super) async fn list_all(client: &impl GenericClient) -> StoreResult<Vec<ClientApp>> {
    let statement = client
        .prepare_cached(concat!(
            "SELECT ",
            columns!(),
            " FROM apps ORDER BY created_at, seq"
        ))
        .await?;
    client
        .query(&statement, &[])
        .await?
        .iter()
        .map(from_row)
        .collect()
}
