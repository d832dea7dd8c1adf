//! Randomness, hashing and comparison for every credential the server hands out.

use super::ServiceError;
use base64::Engine;
use base64::alphabet::Alphabet;
use base64::engine::GeneralPurpose;
use base64::engine::general_purpose::{NO_PAD, URL_SAFE_NO_PAD};
use rand::TryRngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// `len` bytes straight from the operating system's RNG.
pub fn random_bytes(len: usize) -> Result<Vec<u8>, ServiceError> {
    let mut buf = vec![0u8; len];
    OsRng
        .try_fill_bytes(&mut buf)
        .map_err(|e| ServiceError::Internal(format!("OS random number generator failed: {e}")))?;
    Ok(buf)
}

/// `prefix` followed by `len` random bytes in base64url without padding.
pub fn random_token(prefix: &str, len: usize) -> Result<String, ServiceError> {
    Ok(format!(
        "{prefix}{}",
        URL_SAFE_NO_PAD.encode(random_bytes(len)?)
    ))
}

/// Lowercase hex SHA-256: what the store keeps instead of a credential.
pub fn sha256_hex(secret: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(secret.as_bytes());
    let mut out = String::with_capacity(64);
    for byte in digest {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    out
}

/// The base64url alphabet in ASCII order: encoded IDs sort as their bytes do.
const SORTABLE: Alphabet =
    match Alphabet::new("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz") {
        Ok(alphabet) => alphabet,
        Err(_) => panic!("the sortable alphabet is valid base64"),
    };
const SORTABLE_ENGINE: GeneralPurpose = GeneralPurpose::new(&SORTABLE, NO_PAD);

/// `prefix`, then the time in microseconds and `random_len` random bytes, in URL-safe
/// characters that sort by time: an ID made later sorts after one made earlier, so the
/// store's index on such IDs grows at its end instead of being written all over.
/// Not for credentials (the time part is guessable); IDs are public names.
pub fn time_ordered_id(prefix: &str, random_len: usize) -> Result<String, ServiceError> {
    let micros = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros());
    time_ordered_id_at(prefix, micros as u64, random_len)
}

/// `time_ordered_id` as if made at `micros` (Unix time in microseconds), e.g. for
/// rows written with an earlier issue time.
pub fn time_ordered_id_at(
    prefix: &str,
    micros: u64,
    random_len: usize,
) -> Result<String, ServiceError> {
    let mut bytes = Vec::with_capacity(6 + random_len);
    // 48 bits of microseconds last until the year 10889.
    bytes.extend_from_slice(&micros.to_be_bytes()[2..]);
    bytes.extend_from_slice(&random_bytes(random_len)?);
    Ok(format!("{prefix}{}", SORTABLE_ENGINE.encode(bytes)))
}

/// The PKCE S256 transform (RFC 7636 §4.2): base64url(SHA-256(verifier)).
pub fn pkce_s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Compares two strings without leaking, through timing, where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// Does `secret` hash to `expected_hash`? Constant time in the hash comparison.
pub fn secret_matches(secret: &str, expected_hash: &str) -> bool {
    constant_time_eq(&sha256_hex(secret), expected_hash)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_prefix_and_256_bits() {
        let token = random_token("oca_", 32).unwrap();
        assert!(token.starts_with("oca_"));
        assert_eq!(token.len(), 4 + 43);
        assert_ne!(token, random_token("oca_", 32).unwrap());
    }

    #[test]
    fn time_ordered_ids_sort_by_time_and_differ() {
        let first = time_ordered_id("tok_", 10).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let second = time_ordered_id("tok_", 10).unwrap();
        assert!(
            first.starts_with("tok_") && first.len() == 4 + 22,
            "{first}"
        );
        assert!(first < second, "{first} !< {second}");
        assert_ne!(second, time_ordered_id("tok_", 10).unwrap());
        assert!(
            second[4..]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
    }

    #[test]
    fn sha256_hex_matches_known_vector() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(secret_matches("abc", &sha256_hex("abc")));
        assert!(!secret_matches("abd", &sha256_hex("abc")));
    }

    #[test]
    fn pkce_s256_matches_rfc7636_appendix_b() {
        assert_eq!(
            pkce_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
