//! Sealed forms: what a sign-in page will answer travels inside the page, encrypted
//! and authenticated (XChaCha20-Poly1305) under a server key, so that showing a page
//! stores nothing on the server. Pure functions, no I/O: `seal` and `open`.
//!
//! Wire form: `v1.<key id>.<base64url(nonce ‖ ciphertext)>`. The key id and the
//! version are authenticated as associated data.

use crate::domain::FormKey;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const VERSION: &str = "v1";
pub const NONCE_BYTES: usize = 24;
pub const KEY_BYTES: usize = 32;
/// Longer sealed values are refused before any work: a form holds a few short fields.
pub const MAX_SEALED_CHARS: usize = 16 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("the sealed form is malformed")]
    Malformed,
    #[error("the sealed form names a key this server does not have")]
    UnknownKey,
    #[error("the sealed form was not sealed by this server, or was changed")]
    Forged,
    #[error("the form key is not usable")]
    BadKey,
}

/// What a sealed form holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormContent {
    /// Which page and step this form answers; a form for one cannot answer another.
    pub purpose: String,
    /// Random; marks the form used when it is submitted.
    pub id: String,
    /// Ties the form to the browser it was shown to (the form cookie's value).
    pub binding: String,
    /// Unix seconds after which the form is refused.
    pub expires_at: i64,
    /// The checked request and what the steps before established.
    pub fields: BTreeMap<String, String>,
}

fn cipher(key: &FormKey) -> Result<XChaCha20Poly1305, SealError> {
    if key.secret.len() != KEY_BYTES {
        return Err(SealError::BadKey);
    }
    XChaCha20Poly1305::new_from_slice(&key.secret).map_err(|_| SealError::BadKey)
}

fn associated_data(key_id: &str) -> String {
    format!("oauth-console form {VERSION} {key_id}")
}

/// Seals `plaintext` under `key` with a fresh random `nonce`.
pub fn seal_bytes(
    key: &FormKey,
    nonce: &[u8; NONCE_BYTES],
    plaintext: &[u8],
) -> Result<String, SealError> {
    if key.id.is_empty() || key.id.contains('.') {
        return Err(SealError::BadKey);
    }
    let aad = associated_data(&key.id);
    let sealed = cipher(key)?
        .encrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: plaintext,
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| SealError::BadKey)?;
    let mut raw = Vec::with_capacity(NONCE_BYTES + sealed.len());
    raw.extend_from_slice(nonce);
    raw.extend_from_slice(&sealed);
    Ok(format!(
        "{VERSION}.{}.{}",
        key.id,
        URL_SAFE_NO_PAD.encode(raw)
    ))
}

/// Opens a value `seal_bytes` made with one of `keys`. Any input is safe to pass.
pub fn open_bytes(keys: &[FormKey], sealed: &str) -> Result<Vec<u8>, SealError> {
    if sealed.len() > MAX_SEALED_CHARS {
        return Err(SealError::Malformed);
    }
    let mut parts = sealed.splitn(3, '.');
    let (Some(version), Some(key_id), Some(body)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(SealError::Malformed);
    };
    if version != VERSION {
        return Err(SealError::Malformed);
    }
    let key = keys
        .iter()
        .find(|k| k.id == key_id)
        .ok_or(SealError::UnknownKey)?;
    let raw = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| SealError::Malformed)?;
    if raw.len() < NONCE_BYTES {
        return Err(SealError::Malformed);
    }
    let (nonce, ciphertext) = raw.split_at(NONCE_BYTES);
    let aad = associated_data(key_id);
    cipher(key)?
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| SealError::Forged)
}

/// Seals a form's content.
pub fn seal(
    key: &FormKey,
    nonce: &[u8; NONCE_BYTES],
    content: &FormContent,
) -> Result<String, SealError> {
    let json = serde_json::to_vec(content).map_err(|_| SealError::Malformed)?;
    seal_bytes(key, nonce, &json)
}

/// Opens a sealed form's content (its expiry and binding are the caller's to check).
pub fn open(keys: &[FormKey], sealed: &str) -> Result<FormContent, SealError> {
    let json = open_bytes(keys, sealed)?;
    serde_json::from_slice(&json).map_err(|_| SealError::Malformed)
}

/// The id of the key a sealed value names, if it is shaped like one.
pub fn key_id_of(sealed: &str) -> Option<&str> {
    let mut parts = sealed.splitn(3, '.');
    (parts.next()? == VERSION).then_some(())?;
    parts.next()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn key(id: &str, byte: u8) -> FormKey {
        FormKey {
            id: id.into(),
            secret: vec![byte; KEY_BYTES],
            created_at: 0,
        }
    }

    fn content() -> FormContent {
        FormContent {
            purpose: "consent".into(),
            id: "f1".into(),
            binding: "b".into(),
            expires_at: 600,
            fields: [("state".to_string(), "xyz".to_string())].into(),
        }
    }

    #[test]
    fn a_sealed_form_opens_with_its_key_among_others() {
        let sealed = seal(&key("k2", 2), &[7; NONCE_BYTES], &content()).unwrap();
        assert!(!sealed.contains("xyz"), "the content is encrypted");
        let keys = [key("k3", 3), key("k2", 2)];
        assert_eq!(open(&keys, &sealed).unwrap(), content());
        assert_eq!(key_id_of(&sealed), Some("k2"));
    }

    #[test]
    fn a_changed_byte_a_wrong_key_or_a_renamed_key_is_refused() {
        let sealed = seal(&key("k2", 2), &[7; NONCE_BYTES], &content()).unwrap();
        let mut bytes = sealed.clone().into_bytes();
        let last = bytes.len() - 3;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        let changed = String::from_utf8(bytes).unwrap();
        assert_eq!(open(&[key("k2", 2)], &changed), Err(SealError::Forged));
        assert_eq!(open(&[key("k2", 9)], &sealed), Err(SealError::Forged));
        let renamed = sealed.replacen("v1.k2.", "v1.k9.", 1);
        assert_eq!(open(&[key("k9", 2)], &renamed), Err(SealError::Forged));
        assert_eq!(open(&[key("k1", 2)], &sealed), Err(SealError::UnknownKey));
    }

    #[test]
    fn junk_is_malformed_not_a_panic() {
        for junk in [
            "",
            "v1",
            "v1.k2",
            "v1.k2.",
            "v2.k2.AAAA",
            "v1.k2.!!!",
            "v1.k2.AAAA",
        ] {
            assert!(open(&[key("k2", 2)], junk).is_err(), "{junk}");
        }
        let huge = format!("v1.k2.{}", "A".repeat(MAX_SEALED_CHARS));
        assert_eq!(open(&[key("k2", 2)], &huge), Err(SealError::Malformed));
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_refused_or_opened_never_a_panic(text in ".{0,300}") {
            let _ = open(&[key("k2", 2)], &text);
            let _ = open(&[key("k2", 2)], &format!("v1.k2.{text}"));
        }

        #[test]
        fn whatever_is_sealed_opens_to_the_same(
            fields in proptest::collection::btree_map(".{0,20}", ".{0,200}", 0..8),
            nonce in proptest::array::uniform24(proptest::num::u8::ANY),
        ) {
            let content = FormContent { fields, ..content() };
            let sealed = seal(&key("k7", 7), &nonce, &content).unwrap();
            proptest::prop_assert_eq!(open(&[key("k7", 7)], &sealed).unwrap(), content);
        }
    }
}
