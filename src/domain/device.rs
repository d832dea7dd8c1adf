//! The device authorization grant (RFC 8628): what a pending device code holds, and
//! the rules of the short user code a person types on another device.

use super::Scope;

/// Prefix of device codes, so a leaked one is recognisable.
pub const DEVICE_CODE_PREFIX: &str = "ocd_";
/// Letters a person cannot confuse with each other or with digits (RFC 8628 §6.1):
/// consonants only, so no words are spelled by accident.
pub const USER_CODE_ALPHABET: &[u8; 20] = b"BCDFGHJKLMNPQRSTVWXZ";
/// Characters in a user code, without the dash shown in the middle.
pub const USER_CODE_LEN: usize = 8;

/// Where a device authorization stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceStatus {
    /// Waiting for the user to enter the code.
    Pending,
    Approved,
    Denied,
    /// Exchanged for tokens; presenting it again revokes them.
    Consumed,
}

impl DeviceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceStatus::Pending => "pending",
            DeviceStatus::Approved => "approved",
            DeviceStatus::Denied => "denied",
            DeviceStatus::Consumed => "consumed",
        }
    }
}

impl std::str::FromStr for DeviceStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "pending" => Ok(DeviceStatus::Pending),
            "approved" => Ok(DeviceStatus::Approved),
            "denied" => Ok(DeviceStatus::Denied),
            "consumed" => Ok(DeviceStatus::Consumed),
            other => Err(format!("unknown device code status {other:?}")),
        }
    }
}

/// One device authorization. The device code itself is never stored, only its hash;
/// the user code is stored normalised (8 letters, no dash).
#[derive(Clone, PartialEq, Eq)]
pub struct DeviceCode {
    pub hash: String,
    pub user_code: String,
    pub client_id: String,
    pub scopes: Vec<Scope>,
    pub issued_at: i64,
    pub expires_at: i64,
    /// Seconds the client must wait between polls; grows by 5 on each `slow_down`.
    pub interval: i64,
    pub last_polled_at: Option<i64>,
    pub status: DeviceStatus,
    /// The user who approved it.
    pub subject: Option<String>,
    /// The family of the tokens it is exchanged for.
    pub family_id: String,
}

impl std::fmt::Debug for DeviceCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The user code is a credential while pending: never print it.
        f.debug_struct("DeviceCode")
            .field("client_id", &self.client_id)
            .field("scopes", &self.scopes)
            .field("expires_at", &self.expires_at)
            .field("interval", &self.interval)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// What a person typed, as stored: upper case, dashes and spaces dropped. `None`
/// when it cannot be a user code at all.
pub fn normalize_user_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\t'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let valid =
        code.len() == USER_CODE_LEN && code.bytes().all(|b| USER_CODE_ALPHABET.contains(&b));
    valid.then_some(code)
}

/// The form shown to people: `XXXX-XXXX`.
pub fn display_user_code(normalized: &str) -> String {
    if normalized.len() == USER_CODE_LEN && normalized.is_ascii() {
        format!("{}-{}", &normalized[..4], &normalized[4..])
    } else {
        normalized.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_codes_are_normalised_whatever_the_case_and_dash() {
        assert_eq!(
            normalize_user_code("bcdf-ghjk").as_deref(),
            Some("BCDFGHJK")
        );
        assert_eq!(
            normalize_user_code(" BCDFGHJK ").as_deref(),
            Some("BCDFGHJK")
        );
        assert_eq!(display_user_code("BCDFGHJK"), "BCDF-GHJK");
    }

    #[test]
    fn codes_with_ambiguous_letters_or_wrong_length_are_refused() {
        assert_eq!(normalize_user_code("BCDF-GHJA"), None);
        assert_eq!(normalize_user_code("BCDF-GHJ0"), None);
        assert_eq!(normalize_user_code("BCDF-GHJ"), None);
        assert_eq!(normalize_user_code(""), None);
    }
}
