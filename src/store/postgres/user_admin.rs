//! Resource owners as administrators see them: their active tokens and the apps they
//! authorised, and the changes that cut them off (disable, delete, revoke).
//!
//! A user's tokens are those of every grant but client credentials: a
//! client-credentials token carries its client ID as subject, and a username equal to
//! a client ID must never reach an app's own tokens. Every query says so with the
//! condition of the partial index `tokens_user_subject`, so the planner can use it.

use super::codec::{get, list as text_list};
use crate::domain::{UserGrant, UserSummary};
use crate::store::{StoreError, StoreResult};
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

/// The tokens of the user named by the outer query's `u.username`, active at `$1`.
macro_rules! active_user_tokens {
    () => {
        "FROM tokens t WHERE t.subject = u.username \
         AND t.grant_type <> 'client_credentials' \
         AND t.revoked_at IS NULL AND t.expires_at > $1"
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

fn summary_from_row(row: &Row) -> StoreResult<UserSummary> {
    Ok(UserSummary {
        username: get(row, 0)?,
        disabled: get(row, 1)?,
        created_at: get(row, 2)?,
        last_sign_in: get(row, 3)?,
        active_tokens: count(get(row, 4)?),
        authorised_apps: count(get(row, 5)?),
    })
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Oldest first.
pub(super) async fn list_summaries(
    client: &impl GenericClient,
    now: i64,
) -> StoreResult<Vec<UserSummary>> {
    let statement = client
        .prepare_cached(concat!(
            summary_select!(),
            " ORDER BY u.created_at, u.username"
        ))
        .await?;
    client
        .query(&statement, &[&now])
        .await?
        .iter()
        .map(summary_from_row)
        .collect()
}

pub(super) async fn get_summary(
    client: &impl GenericClient,
    username: &str,
    now: i64,
) -> StoreResult<Option<UserSummary>> {
    let statement = client
        .prepare_cached(concat!(summary_select!(), " WHERE u.username = $2"))
        .await?;
    client
        .query_opt(&statement, &[&now, &username])
        .await?
        .as_ref()
        .map(summary_from_row)
        .transpose()
}

/// The user's token families holding an active token, newest first. The scopes are
/// those of the family's newest token, its refresh token when both were issued at
/// once (an access token may carry a narrower scope than the user granted).
pub(super) async fn list_grants(
    client: &impl GenericClient,
    username: &str,
    now: i64,
) -> StoreResult<Vec<UserGrant>> {
    let statement = client
        .prepare_cached(
            "SELECT t.family_id, t.client_id, COALESCE(a.name, t.client_id), \
             (SELECT n.scopes FROM tokens n WHERE n.family_id = t.family_id \
              ORDER BY n.issued_at DESC, n.kind DESC, n.id DESC LIMIT 1), \
             MIN(t.issued_at), MAX(t.issued_at), \
             COUNT(*) FILTER (WHERE t.revoked_at IS NULL AND t.expires_at > $2) \
             FROM tokens t LEFT JOIN apps a ON a.client_id = t.client_id \
             WHERE t.subject = $1 AND t.grant_type <> 'client_credentials' \
             GROUP BY t.family_id, t.client_id, a.name \
             HAVING COUNT(*) FILTER (WHERE t.revoked_at IS NULL AND t.expires_at > $2) > 0 \
             ORDER BY MAX(t.issued_at) DESC, t.family_id DESC",
        )
        .await?;
    client
        .query(&statement, &[&username, &now])
        .await?
        .iter()
        .map(|row| {
            Ok(UserGrant {
                family_id: get(row, 0)?,
                client_id: get(row, 1)?,
                app_name: get(row, 2)?,
                scopes: text_list(row, 3)?,
                granted_at: get(row, 4)?,
                last_issued_at: get(row, 5)?,
                active_tokens: count(get(row, 6)?),
            })
        })
        .collect()
}

/// True if the user exists.
pub(super) async fn record_sign_in(
    client: &impl GenericClient,
    username: &str,
    at: i64,
) -> StoreResult<bool> {
    let statement = client
        .prepare_cached("UPDATE users SET last_sign_in = $2 WHERE username = $1")
        .await?;
    Ok(client.execute(&statement, &[&username, &at]).await? > 0)
}

/// Disables or enables the user; disabling revokes their active tokens too, and the
/// count is returned. `NotFound` if there is no such user.
pub(super) async fn set_disabled(
    client: &impl GenericClient,
    username: &str,
    disabled: bool,
    now: i64,
) -> StoreResult<u64> {
    let statement = client
        .prepare_cached("UPDATE users SET disabled = $2 WHERE username = $1")
        .await?;
    if client.execute(&statement, &[&username, &disabled]).await? == 0 {
        return Err(StoreError::NotFound);
    }
    if disabled {
        revoke_tokens(client, username, now).await
    } else {
        Ok(0)
    }
}

pub(super) async fn set_password(
    client: &impl GenericClient,
    username: &str,
    hash: &str,
) -> StoreResult<u64> {
    let statement = client
        .prepare_cached("UPDATE users SET password_hash = $2 WHERE username = $1")
        .await?;
    if client.execute(&statement, &[&username, &hash]).await? == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(1)
}

/// Deletes the user and revokes their active tokens (returns how many).
pub(super) async fn delete(
    client: &impl GenericClient,
    username: &str,
    now: i64,
) -> StoreResult<u64> {
    let statement = client
        .prepare_cached("DELETE FROM users WHERE username = $1")
        .await?;
    if client.execute(&statement, &[&username]).await? == 0 {
        return Err(StoreError::NotFound);
    }
    revoke_tokens(client, username, now).await
}

/// Revokes the user's active tokens; expired ones are unusable already.
pub(super) async fn revoke_tokens(
    client: &impl GenericClient,
    username: &str,
    now: i64,
) -> StoreResult<u64> {
    let statement = client
        .prepare_cached(
            "UPDATE tokens SET revoked_at = $2 \
             WHERE subject = $1 AND grant_type <> 'client_credentials' \
             AND revoked_at IS NULL AND expires_at > $2",
        )
        .await?;
    Ok(client.execute(&statement, &[&username, &now]).await?)
}

/// Revokes the active tokens of one family of the user; `NotFound` when none is.
pub(super) async fn revoke_family(
    client: &impl GenericClient,
    username: &str,
    family_id: &str,
    now: i64,
) -> StoreResult<u64> {
    let statement = client
        .prepare_cached(
            "UPDATE tokens SET revoked_at = $3 \
             WHERE family_id = $2 AND subject = $1 AND grant_type <> 'client_credentials' \
             AND revoked_at IS NULL AND expires_at > $3",
        )
        .await?;
    let changed = client
        .execute(&statement, &[&username, &family_id, &now])
        .await?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(changed)
}
