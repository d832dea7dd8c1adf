//! Application platforms: the kind of client an app is, which decides what it may do.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where the client runs. The form and the server's rules change with it (DESIGN §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Platform {
    /// Server-side web app: confidential, has a secret.
    Web,
    /// Desktop, mobile or CLI app: public, loopback redirects, PKCE required.
    Native,
    /// Browser app: public, exact redirects, PKCE required.
    SinglePage,
    /// Machine-to-machine: confidential, client credentials only.
    ApiServices,
}

impl Platform {
    pub const ALL: [Platform; 4] = [
        Platform::Web,
        Platform::Native,
        Platform::SinglePage,
        Platform::ApiServices,
    ];

    /// The wire and CLI name: `web`, `native`, `single-page`, `api-services`.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Web => "web",
            Platform::Native => "native",
            Platform::SinglePage => "single-page",
            Platform::ApiServices => "api-services",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Platform::Web => "Web",
            Platform::Native => "Native",
            Platform::SinglePage => "Single-page",
            Platform::ApiServices => "API services",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Platform::Web => "Server-side web app; keeps a client secret",
            Platform::Native => "Desktop, mobile or CLI app; loopback redirects, PKCE",
            Platform::SinglePage => "Browser app; no secret, PKCE required",
            Platform::ApiServices => "Machine-to-machine; client credentials only",
        }
    }

    /// What kind of app this is, in words for the person asked to allow it.
    pub fn for_people(self) -> &'static str {
        match self {
            Platform::Web => "a website",
            Platform::Native => "an app on a computer or phone, or a command-line tool",
            Platform::SinglePage => "an app that runs in your browser",
            Platform::ApiServices => "a service without a person behind it",
        }
    }

    /// Confidential clients hold a secret; public ones cannot keep one.
    pub fn is_confidential(self) -> bool {
        matches!(self, Platform::Web | Platform::ApiServices)
    }

    /// Public clients must use PKCE on every authorization request.
    pub fn requires_pkce(self) -> bool {
        !self.is_confidential()
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Platform {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Platform::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                format!("unknown platform {s:?}: expected web, native, single-page or api-services")
            })
    }
}
