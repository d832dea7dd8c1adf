//! The shape of `config.toml`.

use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::path::PathBuf;
use url::Url;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub clipboard: ClipboardSetting,
    #[serde(default)]
    pub theme: ThemeName,
    #[serde(default = "yes")]
    pub mouse: bool,
    #[serde(default)]
    pub read_only: bool,
    /// How often the console's lists reload by themselves (`5s`, `2m`; `0`: never).
    #[serde(default)]
    pub refresh: Option<String>,
    /// The server's database (`postgres://…` or `sqlite:PATH`) when neither
    /// `--database` nor `OAUTH_CONSOLE_DATABASE_URL` is given.
    #[serde(default)]
    pub database: Option<String>,
    /// The profile used when `--profile` is not given.
    #[serde(default)]
    pub default_profile: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
    /// Keymap overrides: action name → one key or a list of keys (`"ctrl-s"`, `"y"`).
    #[serde(default, deserialize_with = "one_or_many")]
    pub keys: BTreeMap<String, Vec<String>>,
}

fn yes() -> bool {
    true
}

impl Default for Config {
    fn default() -> Config {
        Config {
            clipboard: ClipboardSetting::default(),
            theme: ThemeName::default(),
            mouse: true,
            read_only: false,
            refresh: None,
            database: None,
            default_profile: None,
            profiles: BTreeMap::new(),
            keys: BTreeMap::new(),
        }
    }
}

impl Config {
    /// Rules serde cannot express; the error names the dotted key.
    pub(super) fn check(&self) -> Result<(), (String, String)> {
        if let Some(name) = &self.default_profile
            && !self.profiles.contains_key(name)
        {
            return Err((
                "default_profile".into(),
                format!("no profile named {name:?} is defined"),
            ));
        }
        Ok(())
    }
}

/// A remote oauth-console server the console can be pointed at with `--profile`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub server: Url,
    #[serde(default)]
    pub admin_key_file: Option<PathBuf>,
    #[serde(default)]
    pub read_only: bool,
    /// A private CA (PEM) that issued the server's TLS certificate.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClipboardSetting {
    #[default]
    Auto,
    System,
    Osc52,
    Off,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
    Monochrome,
}

fn one_or_many<'de, D>(deserializer: D) -> Result<BTreeMap<String, Vec<String>>, D::Error>
where
    D: Deserializer<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    let raw = BTreeMap::<String, OneOrMany>::deserialize(deserializer)?;
    Ok(raw
        .into_iter()
        .map(|(action, keys)| match keys {
            OneOrMany::One(key) => (action, vec![key]),
            OneOrMany::Many(keys) => (action, keys),
        })
        .collect())
}
