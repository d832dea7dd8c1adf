//! How domain values are written into columns and read back. A value this build
//! cannot read back (e.g. written by a newer build) becomes a conversion error that
//! names the column, never a panic.

use crate::domain::{GrantType, Scope, TokenKind, scope_param};
use rusqlite::types::Type;
use std::str::FromStr;

/// Space-separated, as in OAuth's `scope` parameter.
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

pub(super) fn list_from_text<T>(column: usize, text: &str) -> rusqlite::Result<Vec<T>>
where
    T: FromStr<Err = String>,
{
    text.split(' ')
        .filter(|part| !part.is_empty())
        .map(|part| part.parse::<T>().map_err(|e| bad_column(column, e)))
        .collect()
}

pub(super) fn parse_text<T>(column: usize, text: &str) -> rusqlite::Result<T>
where
    T: FromStr<Err = String>,
{
    text.parse::<T>().map_err(|e| bad_column(column, e))
}

pub(super) fn token_kind_from_text(column: usize, text: &str) -> rusqlite::Result<TokenKind> {
    match text {
        "access" => Ok(TokenKind::Access),
        "refresh" => Ok(TokenKind::Refresh),
        other => Err(bad_column(column, format!("unknown token kind {other:?}"))),
    }
}

pub(super) fn json_to_text<T: serde::Serialize + ?Sized>(value: &T) -> rusqlite::Result<String> {
    serde_json::to_string(value).map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))
}

pub(super) fn json_from_text<T: serde::de::DeserializeOwned>(
    column: usize,
    text: &str,
) -> rusqlite::Result<T> {
    serde_json::from_str(text).map_err(|e| bad_column(column, e.to_string()))
}

pub(super) fn bad_column(column: usize, why: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, Type::Text, why.into())
}
