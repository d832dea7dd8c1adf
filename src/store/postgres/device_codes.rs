//! Device codes (RFC 8628): stored hashed, decided once by the user, polled by the
//! client at a limited rate, exchanged once. Each transition that reads before it
//! writes locks the row first, so replicas polling and approving at once take turns.

use super::codec::{get, list, parsed, scopes_to_text};
use super::tokens;
use crate::domain::{DeviceCode, DeviceStatus, TokenRecord};
use crate::store::{DeviceConsumption, DeviceDecision, DevicePoll, StoreResult};
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

/// How much `slow_down` adds to the polling interval (RFC 8628 §3.5).
const SLOW_DOWN_STEP: i64 = 5;

/// The columns `from_row` reads, in its order.
macro_rules! columns {
    () => {
        "hash, user_code, client_id, scopes, issued_at, expires_at, poll_interval, \
         last_polled_at, status, subject, family_id"
    };
}

fn from_row(row: &Row) -> StoreResult<DeviceCode> {
    Ok(DeviceCode {
        hash: get(row, 0)?,
        user_code: get(row, 1)?,
        client_id: get(row, 2)?,
        scopes: list(row, 3)?,
        issued_at: get(row, 4)?,
        expires_at: get(row, 5)?,
        interval: get(row, 6)?,
        last_polled_at: get(row, 7)?,
        status: parsed(row, 8)?,
        subject: get(row, 9)?,
        family_id: get(row, 10)?,
    })
}

/// Purges expired codes (their user codes become free again), then inserts `code`;
/// run in the caller's transaction.
pub(super) async fn insert(tx: &impl GenericClient, code: &DeviceCode) -> StoreResult<()> {
    let purge = tx
        .prepare_cached("DELETE FROM device_codes WHERE expires_at <= $1")
        .await?;
    tx.execute(&purge, &[&code.issued_at]).await?;
    let statement = tx
        .prepare_cached(concat!(
            "INSERT INTO device_codes (",
            columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        ))
        .await?;
    tx.execute(
        &statement,
        &[
            &code.hash,
            &code.user_code,
            &code.client_id,
            &scopes_to_text(&code.scopes),
            &code.issued_at,
            &code.expires_at,
            &code.interval,
            &code.last_polled_at,
            &code.status.as_str(),
            &code.subject,
            &code.family_id,
        ],
    )
    .await?;
    Ok(())
}

pub(super) async fn get_by_user_code(
    client: &impl GenericClient,
    user_code: &str,
) -> StoreResult<Option<DeviceCode>> {
    let statement = client
        .prepare_cached(concat!(
            "SELECT ",
            columns!(),
            " FROM device_codes WHERE user_code = $1"
        ))
        .await?;
    client
        .query_opt(&statement, &[&user_code])
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Every device code, oldest first.
pub(super) async fn list_all(client: &impl GenericClient) -> StoreResult<Vec<DeviceCode>> {
    let statement = client
        .prepare_cached(concat!(
            "SELECT ",
            columns!(),
            " FROM device_codes ORDER BY issued_at, hash"
        ))
        .await?;
    client
        .query(&statement, &[])
        .await?
        .iter()
        .map(from_row)
        .collect()
}

async fn lock_by_hash(tx: &impl GenericClient, hash: &str) -> StoreResult<Option<DeviceCode>> {
    let statement = tx
        .prepare_cached(concat!(
            "SELECT ",
            columns!(),
            " FROM device_codes WHERE hash = $1 FOR UPDATE"
        ))
        .await?;
    tx.query_opt(&statement, &[&hash])
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Records the user's answer on a pending, unexpired code, in one conditional update.
pub(super) async fn decide(
    client: &impl GenericClient,
    user_code: &str,
    decision: &DeviceDecision,
    now: i64,
) -> StoreResult<Option<DeviceCode>> {
    let (status, subject) = match decision {
        DeviceDecision::Approve { subject } => (DeviceStatus::Approved, Some(subject.as_str())),
        DeviceDecision::Deny => (DeviceStatus::Denied, None),
    };
    let statement = client
        .prepare_cached(concat!(
            "UPDATE device_codes SET status = $2, subject = $3 \
             WHERE user_code = $1 AND status = 'pending' AND expires_at > $4 RETURNING ",
            columns!()
        ))
        .await?;
    client
        .query_opt(&statement, &[&user_code, &status.as_str(), &subject, &now])
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// One poll, in the caller's transaction: consumed codes revoke their family; expired
/// ones say so; a pending code polled sooner than its interval gets `SlowDown` and a
/// longer interval. Every poll of a live code is recorded.
pub(super) async fn poll(
    tx: &impl GenericClient,
    hash: &str,
    client_id: &str,
    now: i64,
) -> StoreResult<DevicePoll> {
    let Some(code) = lock_by_hash(tx, hash).await? else {
        return Ok(DevicePoll::NotFound);
    };
    if code.client_id != client_id {
        return Ok(DevicePoll::NotFound);
    }
    if code.status == DeviceStatus::Consumed {
        let revoked = tokens::revoke_family(tx, &code.family_id, now).await?;
        return Ok(DevicePoll::Reused {
            family_id: code.family_id,
            revoked,
        });
    }
    if now >= code.expires_at {
        return Ok(DevicePoll::Expired);
    }
    let too_soon = code
        .last_polled_at
        .is_some_and(|last| now - last < code.interval);
    let interval = if code.status == DeviceStatus::Pending && too_soon {
        code.interval + SLOW_DOWN_STEP
    } else {
        code.interval
    };
    let record = tx
        .prepare_cached(
            "UPDATE device_codes SET last_polled_at = $2, poll_interval = $3 WHERE hash = $1",
        )
        .await?;
    tx.execute(&record, &[&hash, &now, &interval]).await?;
    Ok(match code.status {
        DeviceStatus::Pending if too_soon => DevicePoll::SlowDown { interval },
        DeviceStatus::Pending => DevicePoll::Pending,
        DeviceStatus::Denied => DevicePoll::Denied,
        DeviceStatus::Approved => DevicePoll::Approved(code),
        // Handled above; kept so the match stays exhaustive.
        DeviceStatus::Consumed => DevicePoll::NotFound,
    })
}

/// Marks an approved code consumed and stores its tokens, or detects that another
/// exchange got there first; in the caller's transaction.
pub(super) async fn consume(
    tx: &impl GenericClient,
    hash: &str,
    new_tokens: &[TokenRecord],
    now: i64,
) -> StoreResult<DeviceConsumption> {
    let Some(code) = lock_by_hash(tx, hash).await? else {
        return Ok(DeviceConsumption::NotApproved);
    };
    match code.status {
        DeviceStatus::Consumed => {
            let revoked = tokens::revoke_family(tx, &code.family_id, now).await?;
            Ok(DeviceConsumption::Reused { revoked })
        }
        DeviceStatus::Approved if now < code.expires_at => {
            let statement = tx
                .prepare_cached("UPDATE device_codes SET status = 'consumed' WHERE hash = $1")
                .await?;
            tx.execute(&statement, &[&hash]).await?;
            tokens::insert_all(tx, new_tokens).await?;
            Ok(DeviceConsumption::Consumed)
        }
        _ => Ok(DeviceConsumption::NotApproved),
    }
}
