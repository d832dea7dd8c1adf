//! Profiles from the config file: `--profile NAME` (or the config's `default_profile`)
//! picks a server and admin key file; `profiles list` shows them. A bad config file is
//! one error line naming file, line and key (exit 2), never a silent default.

use super::CliError;
use super::admin_args::ProfilesCommand;
use super::args::GlobalArgs;
use super::output::Output;
use super::table::{Layout, Table, note};
use crate::config::{self, Config};
use crate::domain::sanitize_for_terminal;
use serde::Serialize;
use std::path::PathBuf;

/// The config file and what it says, or the default when there is no file.
pub struct LoadedConfig {
    pub path: Option<PathBuf>,
    pub config: Config,
}

/// Reads the config file (`OAUTH_CONSOLE_CONFIG` or the user's config dir).
pub fn load_config() -> Result<LoadedConfig, CliError> {
    let Some(path) = config::default_config_path() else {
        return Ok(LoadedConfig {
            path: None,
            config: Config::default(),
        });
    };
    let config = config::load(&path).map_err(|e| CliError::Usage(e.to_string()))?;
    Ok(LoadedConfig {
        path: Some(path),
        config,
    })
}

/// What the global flags mean once the config file is taken into account.
pub struct Session {
    /// The flags with `--server` and `--admin-key-file` filled from the profile.
    pub global: GlobalArgs,
    /// The profile in use, for the console's header.
    pub profile: Option<String>,
    /// Why changes are refused, if they are: the flag, the profile or the config.
    pub read_only: Option<String>,
    /// The config file as read, once: the console takes its keys, theme and clipboard
    /// settings from here rather than reading the file again.
    pub config: Config,
}

/// Applies `--profile` (else `default_profile`, unless `--server` is given).
/// Flags given on the command line win over the profile's values.
pub fn resolve(mut global: GlobalArgs) -> Result<Session, CliError> {
    let loaded = load_config()?;
    let chosen = match &global.profile {
        Some(name) => Some(name.clone()),
        None if global.server.is_none() => loaded.config.default_profile.clone(),
        None => None,
    };
    let mut read_only = if global.read_only {
        Some("--read-only".to_string())
    } else if loaded.config.read_only {
        Some(format!("read_only in {}", describe(&loaded.path)))
    } else {
        None
    };
    if let Some(name) = &chosen {
        let Some(profile) = loaded.config.profiles.get(name) else {
            return Err(CliError::Usage(unknown_profile(name, &loaded)));
        };
        if global.server.is_none() {
            global.server = Some(profile.server.clone());
        }
        if global.admin_key_file.is_none() {
            global.admin_key_file = profile.admin_key_file.clone();
        }
        if global.ca_file.is_none() {
            global.ca_file = profile.ca_file.clone();
        }
        if read_only.is_none() && profile.read_only {
            read_only = Some(format!("profile {name:?} is read_only"));
        }
    }
    Ok(Session {
        global,
        profile: chosen,
        read_only,
        config: loaded.config,
    })
}

pub(super) fn describe(path: &Option<PathBuf>) -> String {
    path.as_ref().map_or_else(
        || "the config file".to_string(),
        |p| p.display().to_string(),
    )
}

pub(super) fn unknown_profile(name: &str, loaded: &LoadedConfig) -> String {
    let file = describe(&loaded.path);
    let exists = loaded.path.as_ref().is_some_and(|p| p.is_file());
    if !exists {
        return format!("no profile named {name:?}: the config file {file} does not exist");
    }
    let known: Vec<&str> = loaded.config.profiles.keys().map(String::as_str).collect();
    if known.is_empty() {
        format!("no profile named {name:?} in {file} (it defines none)")
    } else {
        format!(
            "no profile named {name:?} in {file} (defined: {})",
            known.join(", ")
        )
    }
}

#[derive(Serialize)]
struct ProfileList {
    config_file: Option<PathBuf>,
    default_profile: Option<String>,
    profiles: Vec<ProfileRow>,
}

#[derive(Serialize)]
struct ProfileRow {
    name: String,
    server: String,
    admin_key_file: Option<PathBuf>,
    read_only: bool,
}

pub fn run(command: ProfilesCommand, out: Output) -> Result<(), CliError> {
    match command {
        ProfilesCommand::List => {
            let loaded = load_config()?;
            let list = ProfileList {
                default_profile: loaded.config.default_profile.clone(),
                profiles: loaded
                    .config
                    .profiles
                    .iter()
                    .map(|(name, p)| ProfileRow {
                        name: name.clone(),
                        server: p.server.to_string(),
                        admin_key_file: p.admin_key_file.clone(),
                        read_only: p.read_only,
                    })
                    .collect(),
                config_file: loaded.path,
            };
            out.print(&list, profiles_table)
        }
        ProfilesCommand::Use { name } => super::default_profile::use_profile(&name, out),
    }
}

fn profiles_table(list: &ProfileList) -> String {
    let file = describe(&list.config_file);
    if list.profiles.is_empty() {
        return note(&format!(
            "No profiles defined in {}\n",
            sanitize_for_terminal(&file)
        ));
    }
    let mut table = Table::new(&["NAME", "SERVER", "ADMIN KEY FILE", "READ-ONLY"]);
    for row in &list.profiles {
        let mut name = row.name.clone();
        if list.default_profile.as_deref() == Some(row.name.as_str())
            && Layout::for_stdout() == Layout::Aligned
        {
            name.push_str(" (default)");
        }
        table.row(vec![
            name,
            row.server.clone(),
            row.admin_key_file
                .as_ref()
                .map_or_else(|| "-".to_string(), |p| p.display().to_string()),
            if row.read_only { "yes" } else { "no" }.to_string(),
        ]);
    }
    let mut text = table.render();
    text.push_str(&note(&format!("From {}\n", sanitize_for_terminal(&file))));
    text
}
