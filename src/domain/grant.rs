//! Grant types an app may be allowed to use.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

pub const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum GrantType {
    #[serde(rename = "authorization_code")]
    AuthorizationCode,
    #[serde(rename = "client_credentials")]
    ClientCredentials,
    #[serde(rename = "refresh_token")]
    RefreshToken,
    /// Legacy: RFC 9700 §2.1.2 says not to use it.
    #[serde(rename = "implicit")]
    Implicit,
    #[serde(rename = "urn:ietf:params:oauth:grant-type:device_code")]
    DeviceCode,
}

impl GrantType {
    pub const ALL: [GrantType; 5] = [
        GrantType::AuthorizationCode,
        GrantType::ClientCredentials,
        GrantType::RefreshToken,
        GrantType::Implicit,
        GrantType::DeviceCode,
    ];

    /// The `grant_type` value on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            GrantType::AuthorizationCode => "authorization_code",
            GrantType::ClientCredentials => "client_credentials",
            GrantType::RefreshToken => "refresh_token",
            GrantType::Implicit => "implicit",
            GrantType::DeviceCode => DEVICE_CODE_GRANT,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            GrantType::AuthorizationCode => "Authorization Code",
            GrantType::ClientCredentials => "Client Credentials",
            GrantType::RefreshToken => "Refresh Token",
            GrantType::Implicit => "Implicit (legacy)",
            GrantType::DeviceCode => "Device Code",
        }
    }

    /// A compact form for table cells.
    pub fn short_label(self) -> &'static str {
        match self {
            GrantType::AuthorizationCode => "code",
            GrantType::ClientCredentials => "client credentials",
            GrantType::RefreshToken => "refresh",
            GrantType::Implicit => "implicit ⚠",
            GrantType::DeviceCode => "device",
        }
    }

    /// Also accepted on the CLI: short names such as `device_code`.
    pub fn cli_name(self) -> &'static str {
        match self {
            GrantType::DeviceCode => "device_code",
            other => other.as_str(),
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            GrantType::AuthorizationCode => "User signs in and consents; PKCE protects the code",
            GrantType::ClientCredentials => "The app acts as itself with its secret",
            GrantType::RefreshToken => "Trade a refresh token for new tokens (rotated on use)",
            GrantType::Implicit => "Legacy: tokens in the URL fragment; RFC 9700 says don't",
            GrantType::DeviceCode => "Sign in on another device with a short user code",
        }
    }

    pub fn is_legacy(self) -> bool {
        self == GrantType::Implicit
    }
}

impl fmt::Display for GrantType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for GrantType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        GrantType::ALL
            .into_iter()
            .find(|g| g.as_str() == s || g.cli_name() == s)
            .ok_or_else(|| {
                format!(
                    "unknown grant type {s:?}: expected authorization_code, client_credentials, refresh_token, implicit or device_code"
                )
            })
    }
}
