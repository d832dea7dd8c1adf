//! What a client holds: the type prefix (`oca_` access, `ocr_` refresh), the 22
//! characters of its row's ID (`tok_…` without `tok_`), then 43 characters of secret:
//! 256 bits from the OS RNG. Every character is base64url, so the token stays opaque
//! to clients and scanners as before.
//!
//! The ID in front lets the store read the row by its time-ordered primary key, which
//! grows at its end, instead of by a hash index whose random keys dirty a page
//! anywhere in a large B-tree on every insert. The ID alone proves nothing (it is
//! public, e.g. `jti`): the row is the token's only if the SHA-256 of the whole token
//! matches, compared in constant time (`store::TokenLookup`). Tokens issued before
//! this format (prefix and secret only) are still found, by hash.

use super::ServiceResult;
use super::crypto::{random_token, sha256_hex, time_ordered_id};
use crate::domain::{TOKEN_ID_PREFIX, TokenKind};
use crate::store::TokenLookup;

/// Characters of the ID part: 16 bytes (48 bits of time, 80 random) in base64.
const ID_CHARS: usize = 22;
/// Random bytes of the secret part, and its length in base64 without padding.
const SECRET_BYTES: usize = 32;
const SECRET_CHARS: usize = 43;

/// A new token of `kind` and the ID of the row that will store it.
pub(super) fn new_token(kind: TokenKind) -> ServiceResult<(String, String)> {
    let id = time_ordered_id(TOKEN_ID_PREFIX, 10)?;
    let id_part = id.strip_prefix(TOKEN_ID_PREFIX).unwrap_or_default();
    if id_part.len() != ID_CHARS {
        return Err(super::ServiceError::Internal(format!(
            "a token ID has {} characters, not {ID_CHARS}",
            id_part.len()
        )));
    }
    let token = random_token(&format!("{}{id_part}", kind.prefix()), SECRET_BYTES)?;
    Ok((id, token))
}

/// How the store finds what a client presented: by the ID the token carries, or,
/// for a token of the older format (or anything else), by its hash alone.
pub fn lookup(presented: &str) -> TokenLookup {
    let hash = sha256_hex(presented);
    let body =
        TokenKind::from_token(presented).and_then(|kind| presented.strip_prefix(kind.prefix()));
    match body {
        Some(body) if body.len() == ID_CHARS + SECRET_CHARS => match body.get(..ID_CHARS) {
            Some(id_part) => TokenLookup::by_id(format!("{TOKEN_ID_PREFIX}{id_part}"), hash),
            None => TokenLookup::by_hash(hash),
        },
        _ => TokenLookup::by_hash(hash),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn a_new_token_carries_its_id_and_a_256_bit_secret_in_base64url() {
        let (id, token) = new_token(TokenKind::Access).unwrap();
        assert!(token.starts_with("oca_"));
        assert_eq!(token.len(), 4 + ID_CHARS + SECRET_CHARS);
        assert!(
            token[4..]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(&token[4..4 + ID_CHARS], &id[TOKEN_ID_PREFIX.len()..]);
        let found = lookup(&token);
        assert_eq!(found.id.as_deref(), Some(id.as_str()));
        assert_eq!(found.hash, sha256_hex(&token));
    }

    #[test]
    fn two_tokens_made_at_once_differ_in_id_and_secret() {
        let (id_a, a) = new_token(TokenKind::Refresh).unwrap();
        let (id_b, b) = new_token(TokenKind::Refresh).unwrap();
        assert_ne!(id_a, id_b);
        assert_ne!(a[4 + ID_CHARS..], b[4 + ID_CHARS..]);
    }

    #[test]
    fn older_tokens_and_anything_else_are_looked_up_by_hash() {
        let old = format!("oca_{}", "A".repeat(SECRET_CHARS));
        assert_eq!(lookup(&old), TokenLookup::by_hash(sha256_hex(&old)));
        for other in [
            "",
            "oca_",
            "bearer",
            "ocs_abc",
            &format!("xyz_{}", "A".repeat(65)),
        ] {
            assert_eq!(lookup(other).id, None, "{other:?}");
        }
        // Multi-byte text of the right length in bytes is not split inside a character.
        let odd = format!(
            "oca_{}é{}",
            "A".repeat(ID_CHARS - 1),
            "B".repeat(SECRET_CHARS - 1)
        );
        assert_eq!(lookup(&odd).id, None);
    }
}
