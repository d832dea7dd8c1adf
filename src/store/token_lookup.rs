//! How the store finds the row of a token a client presents. A token carries its row's
//! ID (`service::token_format`), so the row is read by its primary key, whose
//! time-ordered values make inserts append rather than scatter; the row is the
//! token's only if the SHA-256 of what was presented equals the stored one, compared in
//! constant time. Tokens issued before carry no ID and are found by their hash.

use crate::domain::TokenRecord;
use subtle::ConstantTimeEq;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenLookup {
    /// The row's ID the token carries; `None` for a token from before IDs were carried.
    pub id: Option<String>,
    /// SHA-256 (hex) of the whole token as presented.
    pub hash: String,
}

impl TokenLookup {
    /// A token that carries its row's ID.
    pub fn by_id(id: impl Into<String>, hash: impl Into<String>) -> TokenLookup {
        TokenLookup {
            id: Some(id.into()),
            hash: hash.into(),
        }
    }

    /// A token from before IDs were carried: only its hash is known.
    pub fn by_hash(hash: impl Into<String>) -> TokenLookup {
        TokenLookup {
            id: None,
            hash: hash.into(),
        }
    }

    /// Whether `record`, read by this lookup's key, is the presented token's row: the
    /// hashes are equal (in constant time), and the row is found the way the token
    /// says (an ID-carrying token never matches an old row, nor the reverse).
    pub fn matches(&self, record: &TokenRecord) -> bool {
        let same_hash: bool = record.hash.as_bytes().ct_eq(self.hash.as_bytes()).into();
        same_hash && record.found_by_hash == self.id.is_none()
    }

    /// The record read by this lookup's key, kept only if it is the token's.
    pub fn confirm(&self, found: Option<TokenRecord>) -> Option<TokenRecord> {
        found.filter(|record| self.matches(record))
    }
}
