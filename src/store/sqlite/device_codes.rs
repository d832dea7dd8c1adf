//! Device codes (RFC 8628): stored hashed, decided once by the user, polled by the
//! client at a limited rate, exchanged once. Every transition runs inside the writer.

use super::codec::{list_from_text, parse_text, scopes_to_text};
use super::tokens;
use crate::domain::{DeviceCode, DeviceStatus, TokenRecord};
use crate::store::{DeviceConsumption, DeviceDecision, DevicePoll, StoreResult};
use rusqlite::{Connection, Row, params};

/// How much `slow_down` adds to the polling interval (RFC 8628 §3.5).
const SLOW_DOWN_STEP: i64 = 5;

/// The columns `from_row` reads, in its order.
macro_rules! columns {
    () => {
        "hash, user_code, client_id, scopes, issued_at, expires_at, interval, \
         last_polled_at, status, subject, family_id"
    };
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<DeviceCode> {
    Ok(DeviceCode {
        hash: row.get(0)?,
        user_code: row.get(1)?,
        client_id: row.get(2)?,
        scopes: list_from_text(3, &row.get::<_, String>(3)?)?,
        issued_at: row.get(4)?,
        expires_at: row.get(5)?,
        interval: row.get(6)?,
        last_polled_at: row.get(7)?,
        status: parse_text(8, &row.get::<_, String>(8)?)?,
        subject: row.get(9)?,
        family_id: row.get(10)?,
    })
}

/// Purges expired codes (their user codes become free again), then inserts `code`.
pub(super) fn insert(conn: &Connection, code: &DeviceCode) -> StoreResult<()> {
    conn.prepare_cached("DELETE FROM device_codes WHERE expires_at <= ?1")?
        .execute([code.issued_at])?;
    conn.prepare_cached(concat!(
        "INSERT INTO device_codes (",
        columns!(),
        ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    ))?
    .execute(params![
        code.hash,
        code.user_code,
        code.client_id,
        scopes_to_text(&code.scopes),
        code.issued_at,
        code.expires_at,
        code.interval,
        code.last_polled_at,
        code.status.as_str(),
        code.subject,
        code.family_id,
    ])?;
    Ok(())
}

fn get_by(conn: &Connection, column: &str, value: &str) -> StoreResult<Option<DeviceCode>> {
    let sql = format!(
        concat!("SELECT ", columns!(), " FROM device_codes WHERE {} = ?1"),
        column
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = statement.query_map([value], from_row)?;
    Ok(rows.next().transpose()?)
}

pub(super) fn get_by_user_code(
    conn: &Connection,
    user_code: &str,
) -> StoreResult<Option<DeviceCode>> {
    get_by(conn, "user_code", user_code)
}

/// Every device code, oldest first.
pub(super) fn list_all(conn: &Connection) -> StoreResult<Vec<DeviceCode>> {
    let mut statement = conn.prepare_cached(concat!(
        "SELECT ",
        columns!(),
        " FROM device_codes ORDER BY issued_at, hash"
    ))?;
    let codes = statement
        .query_map([], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(codes)
}

/// Records the user's answer on a pending, unexpired code.
pub(super) fn decide(
    conn: &Connection,
    user_code: &str,
    decision: &DeviceDecision,
    now: i64,
) -> StoreResult<Option<DeviceCode>> {
    let (status, subject) = match decision {
        DeviceDecision::Approve { subject } => (DeviceStatus::Approved, Some(subject.as_str())),
        DeviceDecision::Deny => (DeviceStatus::Denied, None),
    };
    let changed = conn
        .prepare_cached(
            "UPDATE device_codes SET status = ?2, subject = ?3 \
             WHERE user_code = ?1 AND status = 'pending' AND expires_at > ?4",
        )?
        .execute(params![user_code, status.as_str(), subject, now])?;
    if changed == 0 {
        return Ok(None);
    }
    get_by_user_code(conn, user_code)
}

/// One poll: consumed codes revoke their family; expired ones say so; a pending code
/// polled sooner than its interval gets `SlowDown` and a longer interval. Every poll
/// of a live code is recorded, so the next one is measured from it.
pub(super) fn poll(
    conn: &Connection,
    hash: &str,
    client_id: &str,
    now: i64,
) -> StoreResult<DevicePoll> {
    let Some(code) = get_by(conn, "hash", hash)? else {
        return Ok(DevicePoll::NotFound);
    };
    if code.client_id != client_id {
        return Ok(DevicePoll::NotFound);
    }
    if code.status == DeviceStatus::Consumed {
        let revoked = tokens::revoke_family(conn, &code.family_id, now)?;
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
    conn.prepare_cached(
        "UPDATE device_codes SET last_polled_at = ?2, interval = ?3 WHERE hash = ?1",
    )?
    .execute(params![hash, now, interval])?;
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
/// exchange got there first.
pub(super) fn consume(
    conn: &Connection,
    hash: &str,
    new_tokens: &[TokenRecord],
    now: i64,
) -> StoreResult<DeviceConsumption> {
    let Some(code) = get_by(conn, "hash", hash)? else {
        return Ok(DeviceConsumption::NotApproved);
    };
    match code.status {
        DeviceStatus::Consumed => {
            let revoked = tokens::revoke_family(conn, &code.family_id, now)?;
            Ok(DeviceConsumption::Reused { revoked })
        }
        DeviceStatus::Approved if now < code.expires_at => {
            conn.prepare_cached("UPDATE device_codes SET status = 'consumed' WHERE hash = ?1")?
                .execute([hash])?;
            tokens::insert_all(conn, new_tokens)?;
            Ok(DeviceConsumption::Consumed)
        }
        _ => Ok(DeviceConsumption::NotApproved),
    }
}
