//! The config file and the start options applied to a fresh state: rebound keys, the
//! theme, read-only mode and the profile named in the header.

use crate::config::{Config, ThemeName};
use crate::tui::input::overrides::{KeyOverrides, KeyWarning};
use crate::tui::keymap::KEYMAP;
use crate::tui::shared::ToastKind;
use crate::tui::state::State;

/// What the runtime knows at start besides the config file.
#[derive(Debug, Clone, Default)]
pub struct StartOptions {
    /// `--profile NAME` (or the config's `default_profile`), when one is used.
    pub profile: Option<String>,
    /// `--read-only` on the command line.
    pub read_only_flag: bool,
    /// `NO_COLOR` is set (to anything non-empty).
    pub no_color: bool,
}

/// Applies the config file and the start options to a fresh state. Returns the
/// problems found in `[keys]`; the runtime shows them (the first also becomes a toast).
pub fn apply_config(state: &mut State, config: &Config, options: &StartOptions) -> Vec<KeyWarning> {
    let (keys, warnings) = KeyOverrides::from_config(&config.keys, KEYMAP);
    state.keys = keys;
    state.theme = config.theme;
    state.monochrome = options.no_color || config.theme == ThemeName::Monochrome;
    let profile_read_only = options
        .profile
        .as_ref()
        .and_then(|name| config.profiles.get(name))
        .is_some_and(|p| p.read_only);
    state.read_only_by_choice = options.read_only_flag || config.read_only || profile_read_only;
    state.read_only = state.read_only || state.read_only_by_choice;
    state.profile = options.profile.clone();
    if let Some(first) = warnings.first() {
        let more = match warnings.len() {
            1 => String::new(),
            n => format!(" (+{} more)", n - 1),
        };
        state.toast(ToastKind::Error, format!("⚠ {first}{more}"));
    }
    warnings
}
