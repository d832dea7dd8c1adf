//! Resource owners (users) and admin API keys.

use super::codec::get;
use crate::domain::{AdminKey, User};
use crate::store::StoreResult;
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

/// The columns `user_from_row` reads, in its order.
macro_rules! user_columns {
    () => {
        "username, password_hash, created_at, disabled, last_sign_in"
    };
}

pub(super) async fn insert_user(client: &impl GenericClient, user: &User) -> StoreResult<()> {
    let statement = client
        .prepare_cached(concat!(
            "INSERT INTO users (",
            user_columns!(),
            ") VALUES ($1, $2, $3, $4, $5)"
        ))
        .await?;
    client
        .execute(
            &statement,
            &[
                &user.username,
                &user.password_hash,
                &user.created_at,
                &user.disabled,
                &user.last_sign_in,
            ],
        )
        .await?;
    Ok(())
}

fn user_from_row(row: &Row) -> StoreResult<User> {
    Ok(User {
        username: get(row, 0)?,
        password_hash: get(row, 1)?,
        created_at: get(row, 2)?,
        disabled: get(row, 3)?,
        last_sign_in: get(row, 4)?,
    })
}

/// Oldest first.
pub(super) async fn list_users(client: &impl GenericClient) -> StoreResult<Vec<User>> {
    let statement = client
        .prepare_cached(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users ORDER BY created_at, username"
        ))
        .await?;
    client
        .query(&statement, &[])
        .await?
        .iter()
        .map(user_from_row)
        .collect()
}

pub(super) async fn get_user(
    client: &impl GenericClient,
    username: &str,
) -> StoreResult<Option<User>> {
    let statement = client
        .prepare_cached(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users WHERE username = $1"
        ))
        .await?;
    client
        .query_opt(&statement, &[&username])
        .await?
        .as_ref()
        .map(user_from_row)
        .transpose()
}

/// The columns `admin_key_from_row` reads, in its order.
macro_rules! key_columns {
    () => {
        "name, hash, read_only, created_at, revoked_at"
    };
}

fn admin_key_from_row(row: &Row) -> StoreResult<AdminKey> {
    Ok(AdminKey {
        name: get(row, 0)?,
        hash: get(row, 1)?,
        read_only: get(row, 2)?,
        created_at: get(row, 3)?,
        revoked_at: get(row, 4)?,
    })
}

pub(super) async fn insert_admin_key(
    client: &impl GenericClient,
    key: &AdminKey,
) -> StoreResult<()> {
    let statement = client
        .prepare_cached(concat!(
            "INSERT INTO admin_keys (",
            key_columns!(),
            ") VALUES ($1, $2, $3, $4, $5)"
        ))
        .await?;
    client
        .execute(
            &statement,
            &[
                &key.name,
                &key.hash,
                &key.read_only,
                &key.created_at,
                &key.revoked_at,
            ],
        )
        .await?;
    Ok(())
}

/// Revoked keys are returned too: the caller decides, and can say why it refuses.
pub(super) async fn get_admin_key_by_hash(
    client: &impl GenericClient,
    hash: &str,
) -> StoreResult<Option<AdminKey>> {
    let statement = client
        .prepare_cached(concat!(
            "SELECT ",
            key_columns!(),
            " FROM admin_keys WHERE hash = $1"
        ))
        .await?;
    client
        .query_opt(&statement, &[&hash])
        .await?
        .as_ref()
        .map(admin_key_from_row)
        .transpose()
}

/// Oldest first.
pub(super) async fn list_admin_keys(client: &impl GenericClient) -> StoreResult<Vec<AdminKey>> {
    let statement = client
        .prepare_cached(concat!(
            "SELECT ",
            key_columns!(),
            " FROM admin_keys ORDER BY created_at, seq"
        ))
        .await?;
    client
        .query(&statement, &[])
        .await?
        .iter()
        .map(admin_key_from_row)
        .collect()
}

/// True if the key existed and was not revoked yet.
pub(super) async fn revoke_admin_key(
    client: &impl GenericClient,
    name: &str,
    now: i64,
) -> StoreResult<bool> {
    let statement = client
        .prepare_cached(
            "UPDATE admin_keys SET revoked_at = $2 WHERE name = $1 AND revoked_at IS NULL",
        )
        .await?;
    Ok(client.execute(&statement, &[&name, &now]).await? > 0)
}
