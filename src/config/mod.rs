//! The console's configuration file (DESIGN §6): `<config dir>/config.toml`, or the
//! file named by `OAUTH_CONSOLE_CONFIG`. A bad file is an error naming the file, the
//! line and the key — never a panic, never a silent default.

mod error;
mod file;

pub use error::ConfigError;
pub use file::{ClipboardSetting, Config, Profile, ThemeName};

use std::path::{Path, PathBuf};

/// Where the config file is: `OAUTH_CONSOLE_CONFIG`, else the XDG config dir.
pub fn default_config_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("OAUTH_CONSOLE_CONFIG") {
        return Some(PathBuf::from(path));
    }
    directories::ProjectDirs::from("", "", "oauth-console")
        .map(|dirs| dirs.config_dir().join("config.toml"))
}

/// Reads the config file at `path`. A missing file is the default configuration;
/// an unreadable or invalid one is an error.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => {
            return Err(ConfigError::Unreadable {
                path: path.to_path_buf(),
                reason: e.to_string(),
            });
        }
    };
    parse(path, &text)
}

/// Parses config text; `path` only names the file in errors.
pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
    let config: Config =
        toml::from_str(text).map_err(|e| ConfigError::from_toml(path, text, &e))?;
    config
        .check()
        .map_err(|(key, message)| ConfigError::Invalid {
            path: path.to_path_buf(),
            line: line_of_key(text, &key),
            key,
            message,
        })?;
    Ok(config)
}

/// The 1-based line where `key` (a dotted path like `profiles.prod.server`) is set.
fn line_of_key(text: &str, dotted: &str) -> Option<usize> {
    let last = dotted.rsplit('.').next().unwrap_or(dotted);
    text.lines()
        .position(|line| {
            let line = line.trim_start();
            line.split('=').next().map(str::trim) == Some(last)
                || line.trim_end() == format!("[{dotted}]")
        })
        .map(|i| i + 1)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_the_default() {
        let config = load(Path::new("/nonexistent/oauth-console/config.toml")).unwrap();
        assert_eq!(config, Config::default());
    }

    #[test]
    fn profiles_and_settings_are_read() {
        let text = r#"
clipboard = "osc52"
theme = "light"
mouse = false

[profiles.prod]
server = "https://auth.example.com"
admin_key_file = "/etc/oauth-console/prod.key"
read_only = true

[keys]
quit = "Q"
copy_id = ["y", "c"]
"#;
        let config = parse(Path::new("c.toml"), text).unwrap();
        assert_eq!(config.clipboard, ClipboardSetting::Osc52);
        assert_eq!(config.theme, ThemeName::Light);
        assert!(!config.mouse);
        let prod = &config.profiles["prod"];
        assert_eq!(prod.server.as_str(), "https://auth.example.com/");
        assert!(prod.read_only);
        assert_eq!(
            config.keys["copy_id"],
            vec!["y".to_string(), "c".to_string()]
        );
        assert_eq!(config.keys["quit"], vec!["Q".to_string()]);
    }

    #[test]
    fn a_bad_value_names_file_line_and_key() {
        let text = "clipboard = \"auto\"\ntheme = \"blue\"\n";
        let err = parse(Path::new("/home/a/config.toml"), text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("/home/a/config.toml"), "{err}");
        assert!(err.contains("line 2"), "{err}");
        assert!(err.contains("theme"), "{err}");
        assert!(
            err.contains("dark, light, monochrome") || err.contains("`dark`"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_key_is_an_error_not_ignored() {
        let text = "[profiles.prod]\nserver = \"https://a.example\"\nadmin_keyfile = \"x\"\n";
        let err = parse(Path::new("c.toml"), text).unwrap_err().to_string();
        assert!(err.contains("line 3"), "{err}");
        assert!(err.contains("admin_keyfile"), "{err}");
    }

    #[test]
    fn a_profile_server_must_be_a_url() {
        let text = "[profiles.prod]\nserver = \"not a url\"\n";
        let err = parse(Path::new("c.toml"), text).unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("server"), "{err}");
    }

    #[test]
    fn broken_syntax_names_the_line() {
        let text = "theme = \"dark\"\n[profiles.prod\n";
        let err = parse(Path::new("c.toml"), text).unwrap_err().to_string();
        assert!(err.contains("line 2"), "{err}");
    }
}
