//! Scopes an app may ask for.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scope {
    #[serde(rename = "monitoring")]
    Monitoring,
    #[serde(rename = "management")]
    Management,
    #[serde(rename = "control")]
    Control,
    /// Shown as *Refresh Token*: asks for a refresh token.
    #[serde(rename = "offline_access")]
    OfflineAccess,
}

impl Scope {
    pub const ALL: [Scope; 4] = [
        Scope::Monitoring,
        Scope::Management,
        Scope::Control,
        Scope::OfflineAccess,
    ];

    /// The OAuth scope token.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Monitoring => "monitoring",
            Scope::Management => "management",
            Scope::Control => "control",
            Scope::OfflineAccess => "offline_access",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Scope::Monitoring => "Monitoring",
            Scope::Management => "Management",
            Scope::Control => "Control",
            Scope::OfflineAccess => "Refresh Token",
        }
    }

    /// A three-letter form for narrow table cells.
    pub fn short_label(self) -> &'static str {
        match self {
            Scope::Monitoring => "Mon",
            Scope::Management => "Mgt",
            Scope::Control => "Ctl",
            Scope::OfflineAccess => "RT",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Scope::Monitoring => "Read-only access to monitoring data and organisation structure",
            Scope::Management => "Modify devices and organisations, run scripts",
            Scope::Control => "Remote access to devices",
            Scope::OfflineAccess => "Issue a refresh token (needs the refresh token grant)",
        }
    }
}

impl Scope {
    /// What the access lets an app do, in words for the person asked to allow it.
    pub fn for_people(self) -> &'static str {
        match self {
            Scope::Monitoring => "See your monitoring data and how your organisations are set up",
            Scope::Management => {
                "Change your devices and organisations, and run scripts on your devices"
            }
            Scope::Control => "Connect to your devices remotely and control them",
            Scope::OfflineAccess => "Keep this access while you are away, without asking you again",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scope {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scope::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown scope {s:?}: expected monitoring, management, control or offline_access"
                )
            })
    }
}

/// Parses an OAuth `scope` parameter (space-separated, RFC 6749 §3.3) into a sorted,
/// de-duplicated list. An unknown scope is an error naming it.
pub fn parse_scope_param(param: &str) -> Result<Vec<Scope>, String> {
    let mut scopes = Vec::new();
    for token in param.split(' ').filter(|t| !t.is_empty()) {
        scopes.push(token.parse::<Scope>()?);
    }
    scopes.sort();
    scopes.dedup();
    Ok(scopes)
}

/// The space-separated form of a scope list, as OAuth writes it.
pub fn scope_param(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}
