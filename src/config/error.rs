//! One clear line for every way a config file can be wrong.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {}: {reason}", .path.display())]
    Unreadable { path: PathBuf, reason: String },
    #[error("{}{}{}: {message}", .path.display(), line_suffix(*.line), key_suffix(.key))]
    Invalid {
        path: PathBuf,
        line: Option<usize>,
        key: String,
        message: String,
    },
}

fn line_suffix(line: Option<usize>) -> String {
    line.map(|l| format!(", line {l}")).unwrap_or_default()
}

fn key_suffix(key: &str) -> String {
    if key.is_empty() {
        String::new()
    } else {
        format!(", key `{key}`")
    }
}

impl ConfigError {
    /// Turns a TOML error into one line: file, line, key (when one is named), reason.
    pub(super) fn from_toml(path: &Path, text: &str, error: &toml::de::Error) -> ConfigError {
        let line = error
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
        let key = line
            .and_then(|l| text.lines().nth(l - 1))
            .and_then(|l| l.split_once('='))
            .map(|(k, _)| k.trim().trim_matches('"').to_string())
            .unwrap_or_default();
        ConfigError::Invalid {
            path: path.to_path_buf(),
            line,
            key,
            message: error.message().trim().to_string(),
        }
    }
}
