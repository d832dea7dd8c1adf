//! How domain values are written into columns and read back. A value this build
//! cannot read (e.g. written by a newer build) is a `Backend` error naming the column,
//! never a panic.

use crate::domain::{GrantType, Scope, TokenKind, scope_param};
use crate::store::{StoreError, StoreResult};
use std::str::FromStr;
use tokio_postgres::Row;
use tokio_postgres::types::FromSql;

/// Space-separated, as in OAuth's `scope` parameter (the same text SQLite stores).
pub(super) fn scopes_to_text(scopes: &[Scope]) -> String {
    scope_param(scopes)
}

pub(super) fn grants_to_text(grants: &[GrantType]) -> String {
    grants
        .iter()
        .map(|g| g.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Column `index` of `row`, or an error naming it.
pub(super) fn get<'a, T: FromSql<'a>>(row: &'a Row, index: usize) -> StoreResult<T> {
    row.try_get(index).map_err(|e| bad_column(row, index, e))
}

pub(super) fn list<T>(row: &Row, index: usize) -> StoreResult<Vec<T>>
where
    T: FromStr<Err = String>,
{
    let text: &str = get(row, index)?;
    text.split(' ')
        .filter(|part| !part.is_empty())
        .map(|part| part.parse::<T>().map_err(|e| bad_column(row, index, e)))
        .collect()
}

pub(super) fn parsed<T>(row: &Row, index: usize) -> StoreResult<T>
where
    T: FromStr<Err = String>,
{
    let text: &str = get(row, index)?;
    text.parse::<T>().map_err(|e| bad_column(row, index, e))
}

pub(super) fn token_kind(row: &Row, index: usize) -> StoreResult<TokenKind> {
    match get::<&str>(row, index)? {
        "access" => Ok(TokenKind::Access),
        "refresh" => Ok(TokenKind::Refresh),
        other => Err(bad_column(
            row,
            index,
            format!("unknown token kind {other:?}"),
        )),
    }
}

pub(super) fn json_to_text<T: serde::Serialize + ?Sized>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Backend(format!("cannot encode: {e}")))
}

pub(super) fn json<T: serde::de::DeserializeOwned>(row: &Row, index: usize) -> StoreResult<T> {
    let text: &str = get(row, index)?;
    serde_json::from_str(text).map_err(|e| bad_column(row, index, e))
}

pub(super) fn optional_json<T: serde::de::DeserializeOwned>(
    row: &Row,
    index: usize,
) -> StoreResult<Option<T>> {
    let text: Option<&str> = get(row, index)?;
    text.map(|text| serde_json::from_str(text).map_err(|e| bad_column(row, index, e)))
        .transpose()
}

fn bad_column(row: &Row, index: usize, why: impl std::fmt::Display) -> StoreError {
    let name = row.columns().get(index).map_or("?", |column| column.name());
    StoreError::Backend(format!("cannot read column {name}: {why}"))
}
