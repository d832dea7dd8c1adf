//! Form sealing keys and single-use marks of submitted forms, shared by every replica
//! on the database so that a form one replica rendered opens on another, once.

use super::codec::get;
use crate::domain::FormKey;
use crate::store::StoreResult;
use deadpool_postgres::GenericClient;

/// Every key, newest first.
pub(super) async fn list_keys(client: &impl GenericClient) -> StoreResult<Vec<FormKey>> {
    let statement = client
        .prepare_cached("SELECT id, secret, created_at FROM form_keys ORDER BY created_at DESC, id")
        .await?;
    client
        .query(&statement, &[])
        .await?
        .iter()
        .map(|row| {
            Ok(FormKey {
                id: get(row, 0)?,
                secret: get(row, 1)?,
                created_at: get(row, 2)?,
            })
        })
        .collect()
}

/// Stores `key` and drops the keys made before `retire_before`, in one transaction.
pub(super) async fn insert_key(
    client: &mut deadpool_postgres::Object,
    key: &FormKey,
    retire_before: i64,
) -> StoreResult<()> {
    let transaction = client.transaction().await?;
    let retire = transaction
        .prepare_cached("DELETE FROM form_keys WHERE created_at < $1")
        .await?;
    transaction.execute(&retire, &[&retire_before]).await?;
    let insert = transaction
        .prepare_cached("INSERT INTO form_keys (id, secret, created_at) VALUES ($1, $2, $3)")
        .await?;
    transaction
        .execute(&insert, &[&key.id, &key.secret, &key.created_at])
        .await?;
    transaction.commit().await?;
    Ok(())
}

/// Marks the form `id` used; false when it was already (on any replica). Expired marks
/// are purged on the way.
pub(super) async fn use_form(
    client: &impl GenericClient,
    id: &str,
    expires_at: i64,
    now: i64,
) -> StoreResult<bool> {
    let purge = client
        .prepare_cached("DELETE FROM used_forms WHERE expires_at <= $1")
        .await?;
    client.execute(&purge, &[&now]).await?;
    let insert = client
        .prepare_cached(
            "INSERT INTO used_forms (id, expires_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
        )
        .await?;
    Ok(client.execute(&insert, &[&id, &expires_at]).await? == 1)
}
