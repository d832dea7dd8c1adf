//! Copying a whole deployment from one store to another (`store copy`), e.g. from the
//! embedded SQLite file to PostgreSQL: apps with their secret hashes, users, admin
//! keys, tokens, codes, usage counters and the audit log, as stored, so that every
//! secret, refresh token and admin key keeps working on the target.

use super::{AuditQuery, Store, StoreError, StoreResult, TokenQuery};
use serde::Serialize;

/// Tokens read and written per round.
const TOKEN_CHUNK: u32 = 500;

/// What was copied, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CopyReport {
    pub apps: u64,
    pub users: u64,
    pub admin_keys: u64,
    pub tokens: u64,
    pub codes: u64,
    pub device_codes: u64,
    pub audit: u64,
    /// Hourly usage counters of the apps copied.
    pub usage_hours: u64,
    /// Records the target held already (same key), left as they were; only when
    /// copying into a non-empty target.
    pub skipped: u64,
}

/// Why a copy did not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(
        "the target is not empty ({0}); copy into an empty database, or pass --into-non-empty to add to it"
    )]
    TargetNotEmpty(String),
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// What the target already holds, if anything, in words.
pub async fn contents(store: &dyn Store) -> StoreResult<Option<String>> {
    let counts = [
        ("apps", store.list_apps().await?.len()),
        ("users", store.list_users().await?.len()),
        ("admin keys", store.list_admin_keys().await?.len()),
        ("audit records", store.list_audit(1, None).await?.len()),
        (
            "tokens",
            store
                .list_tokens(TokenQuery {
                    limit: 1,
                    ..TokenQuery::default()
                })
                .await?
                .0
                .len(),
        ),
    ];
    let held: Vec<String> = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(what, _)| (*what).to_string())
        .collect();
    Ok((!held.is_empty()).then(|| format!("it holds {}", held.join(", "))))
}

/// Copies everything from `from` into `to`. Refuses a target that holds anything
/// unless `into_non_empty`; then records it already has are skipped and counted.
pub async fn copy_store(
    from: &dyn Store,
    to: &dyn Store,
    into_non_empty: bool,
) -> Result<CopyReport, CopyError> {
    if !into_non_empty && let Some(held) = contents(to).await? {
        return Err(CopyError::TargetNotEmpty(held));
    }
    let mut report = CopyReport::default();
    // Apps first: tokens and codes refer to them.
    let mut copied_apps = Vec::new();
    for app in from.list_apps().await? {
        let client_id = app.client_id.clone();
        let before = report.apps;
        count(
            to.insert_app(app).await,
            &mut report.apps,
            &mut report.skipped,
        )?;
        if report.apps > before {
            copied_apps.push(client_id);
        }
    }
    for user in from.list_users().await? {
        count(
            to.insert_user(user).await,
            &mut report.users,
            &mut report.skipped,
        )?;
    }
    for key in from.list_admin_keys().await? {
        count(
            to.insert_admin_key(key).await,
            &mut report.admin_keys,
            &mut report.skipped,
        )?;
    }
    copy_tokens(from, to, &mut report).await?;
    // After the tokens, which the target counted as they came: the source's counters
    // are the true history (hours whose tokens are gone included). An app the target
    // had already keeps its own.
    for client_id in &copied_apps {
        let hours = from.list_usage_hours(client_id).await?;
        report.usage_hours += hours.len() as u64;
        to.replace_usage_hours(client_id, hours).await?;
    }
    for code in from.list_codes().await? {
        count(
            to.insert_code(code).await,
            &mut report.codes,
            &mut report.skipped,
        )?;
    }
    for code in from.list_device_codes().await? {
        count(
            to.insert_device_code(code).await,
            &mut report.device_codes,
            &mut report.skipped,
        )?;
    }
    copy_audit(from, to, &mut report).await?;
    Ok(report)
}

/// Counts a write: done, or skipped because the target has the record already.
fn count(outcome: StoreResult<()>, done: &mut u64, skipped: &mut u64) -> StoreResult<()> {
    match outcome {
        Ok(()) => *done += 1,
        Err(StoreError::Conflict) => *skipped += 1,
        Err(e) => return Err(e),
    }
    Ok(())
}

async fn copy_tokens(from: &dyn Store, to: &dyn Store, report: &mut CopyReport) -> StoreResult<()> {
    let mut cursor = None;
    loop {
        let (page, next) = from
            .list_tokens(TokenQuery {
                limit: TOKEN_CHUNK,
                cursor,
                ..TokenQuery::default()
            })
            .await?;
        let size = page.len() as u64;
        match to.insert_tokens(page.clone()).await {
            Ok(()) => report.tokens += size,
            // Some are there already: the rest one by one.
            Err(StoreError::Conflict) => {
                for token in page {
                    count(
                        to.insert_tokens(vec![token]).await,
                        &mut report.tokens,
                        &mut report.skipped,
                    )?;
                }
            }
            Err(e) => return Err(e),
        }
        match next {
            Some(next) => cursor = Some(next),
            None => return Ok(()),
        }
    }
}

/// Oldest first, so the target's ids (its own) keep the order.
async fn copy_audit(from: &dyn Store, to: &dyn Store, report: &mut CopyReport) -> StoreResult<()> {
    let mut records = Vec::new();
    let mut before_id = None;
    loop {
        let page = from
            .list_audit_filtered(AuditQuery {
                limit: 500,
                before_id,
                ..AuditQuery::default()
            })
            .await?;
        let Some(last) = page.last() else { break };
        before_id = Some(last.id);
        records.extend(page);
    }
    for record in records.into_iter().rev() {
        to.insert_audit(record).await?;
        report.audit += 1;
    }
    Ok(())
}
