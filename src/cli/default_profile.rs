//! `profiles use NAME`: makes NAME the config file's `default_profile`, editing that
//! one line so the rest of the file (comments, order, other settings) stays as the
//! user wrote it.

use super::CliError;
use super::output::Output;
use super::profiles::{describe, load_config, unknown_profile};
use crate::config;
use crate::domain::sanitize_for_terminal;
use serde::Serialize;
use std::path::Path;

#[derive(Serialize)]
struct DefaultProfile {
    default_profile: String,
    config_file: std::path::PathBuf,
}

/// Sets `default_profile = NAME` in the config file; NAME must be a profile it defines.
pub fn use_profile(name: &str, out: Output) -> Result<(), CliError> {
    let loaded = load_config()?;
    if !loaded.config.profiles.contains_key(name) {
        return Err(CliError::Usage(unknown_profile(name, &loaded)));
    }
    let Some(path) = loaded.path else {
        return Err(CliError::Usage(
            "there is no config file to change: set OAUTH_CONSOLE_CONFIG".into(),
        ));
    };
    let file = describe(&Some(path.clone()));
    let text = std::fs::read_to_string(&path)
        .map_err(|e| CliError::Failed(format!("cannot read {file}: {e}")))?;
    let changed = with_default_profile(&text, name);
    // The edit must mean what was asked, or the file is left alone.
    let reread = config::parse(&path, &changed).map_err(|e| CliError::Failed(e.to_string()))?;
    if reread.default_profile.as_deref() != Some(name) {
        return Err(CliError::Failed(format!(
            "could not set default_profile in {file}; edit it by hand"
        )));
    }
    replace_file(&path, &changed)
        .map_err(|e| CliError::Failed(format!("cannot write {file}: {e}")))?;
    let chosen = DefaultProfile {
        default_profile: name.to_string(),
        config_file: path,
    };
    out.print(&chosen, |c| {
        format!(
            "Default profile: {} (in {})\n",
            sanitize_for_terminal(&c.default_profile),
            sanitize_for_terminal(&file)
        )
    })
}

/// `text` with its top-level `default_profile` set to `name`: the existing line
/// replaced, else a line added at the top (top-level keys come before any table).
fn with_default_profile(text: &str, name: &str) -> String {
    let line = format!("default_profile = {}", toml_string(name));
    let mut out = String::with_capacity(text.len() + line.len() + 1);
    let mut replaced = false;
    let mut in_table = false;
    for original in text.split_inclusive('\n') {
        let trimmed = original.trim_start();
        in_table |= trimmed.starts_with('[');
        let is_setting = !in_table
            && trimmed
                .strip_prefix("default_profile")
                .is_some_and(|rest| rest.trim_start().starts_with('='));
        if is_setting && !replaced {
            out.push_str(&line);
            out.push('\n');
            replaced = true;
        } else {
            out.push_str(original);
        }
    }
    if replaced {
        out
    } else {
        format!("{line}\n{text}")
    }
}

/// A TOML basic string.
fn toml_string(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes beside `path` and renames over it, keeping its permissions: a crash never
/// leaves half a config file.
fn replace_file(path: &Path, text: &str) -> std::io::Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".{}.tmp", std::process::id()));
    let temporary = std::path::PathBuf::from(temporary);
    let permissions = std::fs::metadata(path)?.permissions();
    std::fs::write(&temporary, text)?;
    std::fs::set_permissions(&temporary, permissions)?;
    std::fs::rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_existing_line_is_replaced_and_the_rest_kept() {
        let text = "# mine\ndefault_profile = \"dev\"\ntheme = \"light\"\n\n[profiles.dev]\nserver = \"http://127.0.0.1:1/\"\n";
        let changed = with_default_profile(text, "prod");
        assert_eq!(
            changed,
            "# mine\ndefault_profile = \"prod\"\ntheme = \"light\"\n\n[profiles.dev]\nserver = \"http://127.0.0.1:1/\"\n"
        );
    }

    #[test]
    fn without_one_a_line_goes_on_top() {
        let text = "[profiles.default_profile]\ndefault_profile = 1\n";
        let changed = with_default_profile(text, "a \"b\"");
        assert!(
            changed.starts_with("default_profile = \"a \\\"b\\\"\"\n[profiles."),
            "{changed}"
        );
        assert!(changed.ends_with("default_profile = 1\n"));
    }
}
