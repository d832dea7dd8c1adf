//! An administrator's change and its audit record, in one transaction: the writer runs
//! this whole in one savepoint, so a failing change leaves no record behind and a
//! record never describes a change that was not made.

use super::{accounts, apps, audit, tokens, user_admin};
use crate::domain::AuditRecord;
use crate::store::{AdminChange, StoreError, StoreResult};
use rusqlite::Connection;

pub(super) fn write(
    conn: &Connection,
    change: &AdminChange,
    record: &AuditRecord,
) -> StoreResult<u64> {
    let touched = match change {
        AdminChange::InsertApp(app) => apps::insert(conn, app).map(|()| 1)?,
        AdminChange::UpdateApp(app) => apps::update(conn, app).map(|()| 1)?,
        AdminChange::DeleteApp { client_id } => apps::delete(conn, client_id).map(|()| 1)?,
        AdminChange::RevokeToken { id, now } => {
            if !tokens::revoke(conn, id, *now)? {
                return Err(StoreError::NotFound);
            }
            1
        }
        AdminChange::RevokeClientTokens { client_id, now } => {
            tokens::revoke_client(conn, client_id, *now)?
        }
        AdminChange::InsertUser(user) => accounts::insert_user(conn, user).map(|()| 1)?,
        AdminChange::InsertAdminKey(key) => accounts::insert_admin_key(conn, key).map(|()| 1)?,
        AdminChange::RevokeAdminKey { name, now } => {
            if !accounts::revoke_admin_key(conn, name, *now)? {
                return Err(StoreError::NotFound);
            }
            1
        }
        AdminChange::SetUserDisabled {
            username,
            disabled,
            now,
        } => user_admin::set_disabled(conn, username, *disabled, *now)?,
        AdminChange::SetUserPassword {
            username,
            password_hash,
        } => user_admin::set_password(conn, username, password_hash)?,
        AdminChange::DeleteUser { username, now } => user_admin::delete(conn, username, *now)?,
        AdminChange::RevokeUserTokens { username, now } => {
            user_admin::revoke_tokens(conn, username, *now)?
        }
        AdminChange::RevokeUserFamily {
            username,
            family_id,
            now,
        } => user_admin::revoke_family(conn, username, family_id, *now)?,
        AdminChange::RecordOnly => 0,
    };
    audit::insert(conn, record)?;
    Ok(touched)
}

/// The app whose cached copy the change makes stale, if any.
pub(super) fn app_concerned(change: &AdminChange) -> Option<&str> {
    match change {
        AdminChange::InsertApp(app) | AdminChange::UpdateApp(app) => Some(&app.client_id),
        AdminChange::DeleteApp { client_id } => Some(client_id),
        _ => None,
    }
}
