//! Issued tokens: insertion, lookup (the hot path of introspection), listing and
//! revocation, and refresh-token rotation with reuse detection, made single-use
//! across processes by a row lock.

use super::codec::{get, list as text_list, parsed, scopes_to_text, token_kind};
use super::usage;
use crate::domain::{TokenKind, TokenRecord};
use crate::store::page_cursor::PageCursor;
use crate::store::{RefreshRotation, StoreResult, TokenLookup, TokenQuery};
use deadpool_postgres::GenericClient;
use std::sync::OnceLock;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

/// Page size when the query asks for 0, and the most one page may hold.
const DEFAULT_PAGE: u32 = 100;
const MAX_PAGE: u32 = 500;

/// The columns `from_row` reads, in its order.
macro_rules! columns {
    () => {
        "id, hash, kind, client_id, subject, scopes, grant_type, issued_at, expires_at, \
         family_id, revoked_at, family_expires_at, found_by_hash"
    };
}

fn from_row(row: &Row) -> StoreResult<TokenRecord> {
    Ok(TokenRecord {
        id: get(row, 0)?,
        hash: get(row, 1)?,
        kind: token_kind(row, 2)?,
        client_id: get(row, 3)?,
        subject: get(row, 4)?,
        scopes: text_list(row, 5)?,
        grant: parsed(row, 6)?,
        issued_at: get(row, 7)?,
        expires_at: get(row, 8)?,
        family_id: get(row, 9)?,
        revoked_at: get(row, 10)?,
        family_expires_at: get(row, 11)?,
        found_by_hash: get(row, 12)?,
    })
}

/// Inserts all the tokens in one statement (one array per column), which also adds
/// them to their apps' usage counters (`usage::ADD_STORED`): tokens and counts are
/// stored together or not at all, and a batch of many costs one round trip.
pub(super) async fn insert_all<'a>(
    client: &impl GenericClient,
    tokens: impl IntoIterator<Item = &'a TokenRecord>,
) -> StoreResult<()> {
    let mut columns = TokenColumns::default();
    for token in tokens {
        columns.push(token);
    }
    if columns.id.is_empty() {
        return Ok(());
    }
    let statement = client.prepare_cached(insert_sql()).await?;
    client
        .execute(
            &statement,
            &[
                &columns.id,
                &columns.hash,
                &columns.kind,
                &columns.client_id,
                &columns.subject,
                &columns.scopes,
                &columns.grant,
                &columns.issued_at,
                &columns.expires_at,
                &columns.family_id,
                &columns.revoked_at,
                &columns.family_expires_at,
                &columns.found_by_hash,
            ],
        )
        .await?;
    Ok(())
}

/// The tokens' INSERT and, in the same statement, the usage upsert.
fn insert_sql() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| {
        format!(
            concat!(
                "WITH stored AS (INSERT INTO tokens (",
                columns!(),
                ") SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], \
                 $5::text[], $6::text[], $7::text[], $8::int8[], $9::int8[], $10::text[], \
                 $11::int8[], $12::int8[], $13::bool[]) RETURNING client_id, kind, issued_at){}"
            ),
            usage::ADD_STORED
        )
    })
}

/// Tokens turned column-wise, as `UNNEST` takes them.
#[derive(Default)]
struct TokenColumns<'a> {
    id: Vec<&'a str>,
    hash: Vec<&'a str>,
    kind: Vec<&'static str>,
    client_id: Vec<&'a str>,
    subject: Vec<&'a str>,
    scopes: Vec<String>,
    grant: Vec<&'static str>,
    issued_at: Vec<i64>,
    expires_at: Vec<i64>,
    family_id: Vec<&'a str>,
    revoked_at: Vec<Option<i64>>,
    family_expires_at: Vec<Option<i64>>,
    found_by_hash: Vec<bool>,
}

impl<'a> TokenColumns<'a> {
    fn push(&mut self, token: &'a TokenRecord) {
        self.id.push(&token.id);
        self.hash.push(&token.hash);
        self.kind.push(token.kind.as_str());
        self.client_id.push(&token.client_id);
        self.subject.push(&token.subject);
        self.scopes.push(scopes_to_text(&token.scopes));
        self.grant.push(token.grant.as_str());
        self.issued_at.push(token.issued_at);
        self.expires_at.push(token.expires_at);
        self.family_id.push(&token.family_id);
        self.revoked_at.push(token.revoked_at);
        self.family_expires_at.push(token.family_expires_at);
        self.found_by_hash.push(token.found_by_hash);
    }
}

async fn get_by(
    client: &impl GenericClient,
    sql: &str,
    key: &str,
) -> StoreResult<Option<TokenRecord>> {
    let statement = client.prepare_cached(sql).await?;
    client
        .query_opt(&statement, &[&key])
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// The presented token's row: by the ID it carries, or by hash for an old token,
/// through the partial index that holds only those. `lock` adds `FOR UPDATE`.
async fn find_row(
    client: &impl GenericClient,
    lookup: &TokenLookup,
    lock: bool,
) -> StoreResult<Option<TokenRecord>> {
    let (condition, key) = match &lookup.id {
        Some(id) => ("id = $1", id),
        None => ("hash = $1 AND found_by_hash", &lookup.hash),
    };
    let lock = if lock { " FOR UPDATE" } else { "" };
    let sql = format!(
        concat!("SELECT ", columns!(), " FROM tokens WHERE {}{}"),
        condition, lock
    );
    Ok(lookup.confirm(get_by(client, &sql, key).await?))
}

pub(super) async fn find(
    client: &impl GenericClient,
    lookup: &TokenLookup,
) -> StoreResult<Option<TokenRecord>> {
    find_row(client, lookup, false).await
}

pub(super) async fn get_by_id(
    client: &impl GenericClient,
    id: &str,
) -> StoreResult<Option<TokenRecord>> {
    get_by(
        client,
        concat!("SELECT ", columns!(), " FROM tokens WHERE id = $1"),
        id,
    )
    .await
}

/// One page, newest first (`issued_at` then `id`, both descending), and the cursor of
/// the next page when there may be one.
pub(super) async fn list(
    client: &impl GenericClient,
    query: &TokenQuery,
) -> StoreResult<(Vec<TokenRecord>, Option<String>)> {
    let limit = match query.limit {
        0 => DEFAULT_PAGE,
        n => n.min(MAX_PAGE),
    };
    let after = query
        .cursor
        .as_deref()
        .map(PageCursor::decode)
        .transpose()?;
    // One more than the page: whether it exists tells if there is a next page.
    let fetch = i64::from(limit) + 1;

    // Only the conditions in use appear, so each shape gets its own indexed plan.
    let mut conditions: Vec<String> = Vec::new();
    let mut values: Vec<&(dyn ToSql + Sync)> = Vec::new();
    if let Some(client_id) = &query.client_id {
        values.push(client_id);
        conditions.push(format!("client_id = ${}", values.len()));
    }
    if let Some(subject) = &query.subject {
        // A user's tokens through the partial index `tokens_user_subject`, or an app's
        // client-credentials tokens, whose subject is its client ID.
        values.push(subject);
        let n = values.len();
        conditions.push(format!(
            "((subject = ${n} AND grant_type <> 'client_credentials') \
             OR (client_id = ${n} AND subject = ${n} AND grant_type = 'client_credentials'))"
        ));
    }
    if query.active_only {
        values.push(&query.now);
        conditions.push(format!(
            "revoked_at IS NULL AND expires_at > ${}",
            values.len()
        ));
    }
    if let Some(after) = &after {
        values.push(&after.issued_at);
        values.push(&after.id);
        conditions.push(format!(
            "(issued_at, id) < (${}, ${})",
            values.len() - 1,
            values.len()
        ));
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    values.push(&fetch);
    let sql = format!(
        concat!(
            "SELECT ",
            columns!(),
            " FROM tokens{} ORDER BY issued_at DESC, id DESC LIMIT ${}"
        ),
        filter,
        values.len()
    );
    let statement = client.prepare_cached(&sql).await?;
    let mut page = client
        .query(&statement, &values)
        .await?
        .iter()
        .map(from_row)
        .collect::<StoreResult<Vec<_>>>()?;
    let next = if page.len() > limit as usize {
        page.truncate(limit as usize);
        page.last().map(|last| {
            PageCursor {
                issued_at: last.issued_at,
                id: last.id.clone(),
            }
            .encode()
        })
    } else {
        None
    };
    Ok((page, next))
}

/// True if the token existed and was not revoked yet.
pub(super) async fn revoke(client: &impl GenericClient, id: &str, now: i64) -> StoreResult<bool> {
    let statement = client
        .prepare_cached("UPDATE tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
        .await?;
    Ok(client.execute(&statement, &[&id, &now]).await? > 0)
}

/// Revokes every token of the family not revoked yet, expired ones included.
pub(super) async fn revoke_family(
    client: &impl GenericClient,
    family_id: &str,
    now: i64,
) -> StoreResult<u64> {
    let statement = client
        .prepare_cached(
            "UPDATE tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL",
        )
        .await?;
    Ok(client.execute(&statement, &[&family_id, &now]).await?)
}

/// Revokes the client's active tokens; expired ones are unusable already and are
/// left as they are, so the count is what an administrator expects to see.
pub(super) async fn revoke_client(
    client: &impl GenericClient,
    client_id: &str,
    now: i64,
) -> StoreResult<u64> {
    let statement = client
        .prepare_cached(
            "UPDATE tokens SET revoked_at = $2 \
             WHERE client_id = $1 AND revoked_at IS NULL AND expires_at > $2",
        )
        .await?;
    Ok(client.execute(&statement, &[&client_id, &now]).await?)
}

pub(super) async fn count_active(
    client: &impl GenericClient,
    client_id: &str,
    now: i64,
) -> StoreResult<u64> {
    let statement = client
        .prepare_cached(
            "SELECT COUNT(*) FROM tokens \
             WHERE client_id = $1 AND revoked_at IS NULL AND expires_at > $2",
        )
        .await?;
    let count: i64 = get(&client.query_one(&statement, &[&client_id, &now]).await?, 0)?;
    Ok(u64::try_from(count).unwrap_or(0))
}

/// Refresh-token rotation inside the caller's transaction. The old token's row is
/// locked first (`FOR UPDATE`), so two replicas presenting the same token take turns:
/// the second sees it revoked and revokes the family. Outcomes as in SQLite:
/// - unknown token, an access token, or an expired refresh token: `NotFound`;
/// - revoked already (rotated before, or revoked): the whole family is revoked;
/// - active: it is revoked and `new_tokens` stored; `Rotated` with the old record as
///   it now stands.
pub(super) async fn rotate_refresh(
    tx: &impl GenericClient,
    presented: &TokenLookup,
    new_tokens: &[TokenRecord],
    now: i64,
) -> StoreResult<RefreshRotation> {
    let Some(mut old) = find_row(tx, presented, true).await? else {
        return Ok(RefreshRotation::NotFound);
    };
    if old.kind != TokenKind::Refresh {
        return Ok(RefreshRotation::NotFound);
    }
    if old.revoked_at.is_some() {
        let revoked = revoke_family(tx, &old.family_id, now).await?;
        return Ok(RefreshRotation::Reused {
            family_id: old.family_id,
            revoked,
        });
    }
    if now >= old.expires_at {
        return Ok(RefreshRotation::NotFound);
    }
    revoke(tx, &old.id, now).await?;
    insert_all(tx, new_tokens).await?;
    old.revoked_at = Some(now);
    Ok(RefreshRotation::Rotated(old))
}
