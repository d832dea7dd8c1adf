//! A secret string (client secret, token) that never shows itself in `Debug` output.

use subtle::ConstantTimeEq;

/// Holds a credential in memory only. `Debug` prints `***`; read it with [`expose`].
///
/// [`expose`]: SecretString::expose
#[derive(Clone)]
pub struct SecretString(String);

impl SecretString {
    pub fn new(value: impl Into<String>) -> SecretString {
        SecretString(value.into())
    }

    /// The secret itself: only for putting it on the wire or on the clipboard.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for SecretString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl PartialEq for SecretString {
    fn eq(&self, other: &SecretString) -> bool {
        // Constant time, so that comparing secrets never leaks how much matched.
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for SecretString {}

impl From<String> for SecretString {
    fn from(value: String) -> SecretString {
        SecretString(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> SecretString {
        SecretString(value.to_string())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_the_secret() {
        let secret = SecretString::new("ocs_very_secret");
        assert_eq!(format!("{secret:?}"), "***");
        assert_eq!(secret.expose(), "ocs_very_secret");
    }

    #[test]
    fn equal_secrets_compare_equal_and_different_ones_do_not() {
        assert_eq!(SecretString::new("a"), SecretString::new("a"));
        assert_ne!(SecretString::new("a"), SecretString::new("ab"));
    }
}
