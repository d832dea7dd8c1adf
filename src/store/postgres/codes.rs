//! Authorization codes: stored hashed, redeemed once. The first use is one
//! conditional `UPDATE`: of two replicas presenting a code at once, exactly one
//! changes the row; the other then finds it used, and records the reuse.

use super::codec::{get, list, scopes_to_text};
use crate::domain::AuthCode;
use crate::store::{CodeRedemption, StoreResult};
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

/// The columns `from_row` reads, in its order.
macro_rules! columns {
    () => {
        "hash, client_id, subject, redirect_uri, scopes, code_challenge, \
         code_challenge_method, issued_at, expires_at, used_at, family_id"
    };
}

fn from_row(row: &Row) -> StoreResult<AuthCode> {
    Ok(AuthCode {
        hash: get(row, 0)?,
        client_id: get(row, 1)?,
        subject: get(row, 2)?,
        redirect_uri: get(row, 3)?,
        scopes: list(row, 4)?,
        code_challenge: get(row, 5)?,
        code_challenge_method: get(row, 6)?,
        issued_at: get(row, 7)?,
        expires_at: get(row, 8)?,
        used_at: get(row, 9)?,
        family_id: get(row, 10)?,
    })
}

pub(super) async fn insert(client: &impl GenericClient, code: &AuthCode) -> StoreResult<()> {
    let statement = client
        .prepare_cached(concat!(
            "INSERT INTO auth_codes (",
            columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        ))
        .await?;
    client
        .execute(
            &statement,
            &[
                &code.hash,
                &code.client_id,
                &code.subject,
                &code.redirect_uri,
                &scopes_to_text(&code.scopes),
                &code.code_challenge,
                &code.code_challenge_method,
                &code.issued_at,
                &code.expires_at,
                &code.used_at,
                &code.family_id,
            ],
        )
        .await?;
    Ok(())
}

/// Marks the code used the first time it is presented. `Fresh` carries the code as it
/// now stands (`used_at` = `now`); `Reused` carries it with its first use. Expiry is
/// the caller's to check.
pub(super) async fn redeem(
    client: &impl GenericClient,
    hash: &str,
    now: i64,
) -> StoreResult<CodeRedemption> {
    let first_use = client
        .prepare_cached(concat!(
            "UPDATE auth_codes SET used_at = $2 WHERE hash = $1 AND used_at IS NULL RETURNING ",
            columns!()
        ))
        .await?;
    if let Some(row) = client.query_opt(&first_use, &[&hash, &now]).await? {
        return Ok(CodeRedemption::Fresh(from_row(&row)?));
    }
    // Used before: record the reuse (committed before the caller revokes the family).
    let reuse = client
        .prepare_cached(concat!(
            "UPDATE auth_codes SET reused_at = COALESCE(reused_at, $2) WHERE hash = $1 RETURNING ",
            columns!()
        ))
        .await?;
    Ok(match client.query_opt(&reuse, &[&hash, &now]).await? {
        Some(row) => CodeRedemption::Reused(from_row(&row)?),
        None => CodeRedemption::NotFound,
    })
}

pub(super) async fn family_reused(
    client: &impl GenericClient,
    family_id: &str,
) -> StoreResult<bool> {
    let statement = client
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM auth_codes WHERE family_id = $1 AND reused_at IS NOT NULL)",
        )
        .await?;
    get(&client.query_one(&statement, &[&family_id]).await?, 0)
}

/// Every code, oldest first.
pub(super) async fn list_all(client: &impl GenericClient) -> StoreResult<Vec<AuthCode>> {
    let statement = client
        .prepare_cached(concat!(
            "SELECT ",
            columns!(),
            " FROM auth_codes ORDER BY issued_at, hash"
        ))
        .await?;
    client
        .query(&statement, &[])
        .await?
        .iter()
        .map(from_row)
        .collect()
}
