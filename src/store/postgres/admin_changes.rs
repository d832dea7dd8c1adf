//! An administrator's change and its audit record, in one transaction: a failing
//! change leaves no record behind and a record never describes a change not made.

use super::{accounts, apps, audit, tokens, user_admin};
use crate::domain::AuditRecord;
use crate::store::{AdminChange, StoreError, StoreResult};

pub(super) async fn write(
    client: &mut deadpool_postgres::Object,
    change: &AdminChange,
    record: &AuditRecord,
) -> StoreResult<u64> {
    let tx = client.transaction().await?;
    let touched = match change {
        AdminChange::InsertApp(app) => apps::insert(&tx, app).await.map(|()| 1)?,
        AdminChange::UpdateApp(app) => apps::update(&tx, app).await.map(|()| 1)?,
        AdminChange::DeleteApp { client_id } => apps::delete(&tx, client_id).await.map(|()| 1)?,
        AdminChange::RevokeToken { id, now } => {
            if !tokens::revoke(&tx, id, *now).await? {
                return Err(StoreError::NotFound);
            }
            1
        }
        AdminChange::RevokeClientTokens { client_id, now } => {
            tokens::revoke_client(&tx, client_id, *now).await?
        }
        AdminChange::InsertUser(user) => accounts::insert_user(&tx, user).await.map(|()| 1)?,
        AdminChange::InsertAdminKey(key) => {
            accounts::insert_admin_key(&tx, key).await.map(|()| 1)?
        }
        AdminChange::RevokeAdminKey { name, now } => {
            if !accounts::revoke_admin_key(&tx, name, *now).await? {
                return Err(StoreError::NotFound);
            }
            1
        }
        AdminChange::SetUserDisabled {
            username,
            disabled,
            now,
        } => user_admin::set_disabled(&tx, username, *disabled, *now).await?,
        AdminChange::SetUserPassword {
            username,
            password_hash,
        } => user_admin::set_password(&tx, username, password_hash).await?,
        AdminChange::DeleteUser { username, now } => {
            user_admin::delete(&tx, username, *now).await?
        }
        AdminChange::RevokeUserTokens { username, now } => {
            user_admin::revoke_tokens(&tx, username, *now).await?
        }
        AdminChange::RevokeUserFamily {
            username,
            family_id,
            now,
        } => user_admin::revoke_family(&tx, username, family_id, *now).await?,
        AdminChange::RecordOnly => 0,
    };
    audit::insert(&tx, record).await?;
    tx.commit().await?;
    Ok(touched)
}
