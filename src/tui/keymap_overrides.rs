//! Keymap overrides from the config file (`[keys] copy_id = ["y", "c"]`): stable action
//! names, key strings, and the checks that keep an override from stealing a key that
//! another action needs. A bad entry is a warning and is not applied; the defaults stay.

use super::action::{Action, Tab};
use super::keymap::{Binding, Context, KEYMAP};
use super::token_flow::FlowAction;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

pub type Key = (KeyCode, KeyModifiers);

/// The stable name of an action in the config file; `None` for actions that cannot be
/// rebound (the data-carrying ones).
pub fn action_name(action: &Action) -> Option<&'static str> {
    use Action as A;
    Some(match action {
        A::Quit => "quit",
        A::NextTab => "next_tab",
        A::PrevTab => "prev_tab",
        A::GoToTab(Tab::ClientApps) => "tab_client_apps",
        A::GoToTab(Tab::ScopesAndGrants) => "tab_scopes_and_grants",
        A::GoToTab(Tab::ActiveTokens) => "tab_active_tokens",
        A::GoToTab(Tab::AuditLog) => "tab_audit_log",
        A::ToggleHelp => "help",
        A::Back => "back",
        A::Refresh => "refresh",
        A::MoveUp => "move_up",
        A::MoveDown => "move_down",
        A::MoveLeft => "move_left",
        A::MoveRight => "move_right",
        A::First => "first",
        A::Last => "last",
        A::PageUp => "page_up",
        A::PageDown => "page_down",
        A::StartFilter => "filter",
        A::AcceptFilter => "accept_filter",
        A::NewApp => "new_app",
        A::EditSelected => "edit",
        A::DeleteSelected => "delete",
        A::CopySelectedId => "copy_id",
        A::OpenDetails => "details",
        A::CycleSort => "sort",
        A::RotateSelectedSecret => "rotate_secret",
        A::ToggleCell => "toggle_cell",
        A::RevokeSelectedToken => "revoke_token",
        A::RevokeSelectedAppTokens => "revoke_app_tokens",
        A::Confirmed => "confirm",
        A::CopySecretModalId => "copy_new_client_id",
        A::CopySecretModalSecret => "copy_new_secret",
        A::FormNext => "form_next",
        A::FormPrev => "form_prev",
        A::FormActivate => "form_activate",
        A::FormToggle => "form_toggle",
        A::FormSave => "save",
        A::FormRemoveUrl => "remove_url",
        A::OpenPalette => "palette",
        A::PaletteRun => "palette_run",
        A::EndSelectedSecretGrace => "end_secret_grace",
        A::OpenAuditRecord => "audit_record",
        // Token flows; the dialogs' own field moves keep their keys.
        A::Flow(flow) => match flow {
            FlowAction::Open => "get_token",
            FlowAction::Start => "start_flow",
            FlowAction::CopyUrl => "copy_url",
            FlowAction::CopyUserCode => "copy_user_code",
            FlowAction::OpenBrowser => "open_browser",
            FlowAction::FocusPaste => "paste_url",
            FlowAction::ToggleSessionFocus => "session_tokens",
            FlowAction::CopyAccessToken => "copy_access_token",
            FlowAction::Refresh => "refresh_session_token",
            FlowAction::Introspect => "introspect",
            FlowAction::Revoke => "revoke_session_token",
            _ => return None,
        },
        _ => return None,
    })
}

/// Actions that change something on the server: hidden and refused in read-only mode.
pub fn is_write(action: &Action) -> bool {
    use Action as A;
    matches!(
        action,
        A::NewApp
            | A::EditSelected
            | A::DeleteSelected
            | A::RotateSelectedSecret
            | A::ToggleCell
            | A::RevokeSelectedToken
            | A::RevokeSelectedAppTokens
            | A::FormSave
            | A::EndSelectedSecretGrace
            | A::DeleteApp { .. }
            | A::RotateSecret { .. }
            | A::RevokeToken { .. }
            | A::RevokeAppTokens { .. }
            | A::EndSecretGrace { .. }
    )
}

/// Parses `"q"`, `"G"`, `"ctrl-s"`, `"shift-tab"`, `"enter"`, `"esc"`, `"f5"`, `"space"`.
/// Shift with a character is the capital itself, as the dispatch sees it.
pub fn parse_key(text: &str) -> Option<Key> {
    if text.chars().count() == 1 {
        return text
            .chars()
            .next()
            .map(|c| (KeyCode::Char(c), KeyModifiers::NONE));
    }
    let mut modifiers = KeyModifiers::NONE;
    let mut rest = text;
    // The key itself may be `-` (`ctrl--`), so split modifiers off the front.
    while let Some((head, tail)) = rest.split_once('-') {
        if tail.is_empty() {
            break;
        }
        modifiers |= match head.to_ascii_lowercase().as_str() {
            "ctrl" | "control" | "c" => KeyModifiers::CONTROL,
            "alt" | "meta" | "m" | "a" => KeyModifiers::ALT,
            "shift" | "s" => KeyModifiers::SHIFT,
            _ => return None,
        };
        rest = tail;
    }
    let code = if rest.chars().count() == 1 {
        let c = rest.chars().next()?;
        if modifiers.contains(KeyModifiers::SHIFT) {
            modifiers.remove(KeyModifiers::SHIFT);
            KeyCode::Char(c.to_ascii_uppercase())
        } else if modifiers.contains(KeyModifiers::CONTROL) {
            // Terminals report Ctrl-S as `s`: bind the lower case.
            KeyCode::Char(c.to_ascii_lowercase())
        } else {
            KeyCode::Char(c)
        }
    } else {
        let lower = rest.to_ascii_lowercase();
        match lower.as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" if modifiers.contains(KeyModifiers::SHIFT) => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" | "ins" => KeyCode::Insert,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            f if f.starts_with('f') => match f[1..].parse::<u8>() {
                Ok(n) if (1..=24).contains(&n) => KeyCode::F(n),
                _ => return None,
            },
            _ => return None,
        }
    };
    Some((code, modifiers))
}

/// How a key is written in the footer, help and palette.
pub fn key_label(key: &Key) -> String {
    let (code, modifiers) = key;
    let mut out = String::new();
    if modifiers.contains(KeyModifiers::CONTROL) {
        out.push_str("Ctrl-");
    }
    if modifiers.contains(KeyModifiers::ALT) {
        out.push_str("Alt-");
    }
    if modifiers.contains(KeyModifiers::SHIFT) {
        out.push_str("Shift-");
    }
    let name = match code {
        KeyCode::Char(' ') => "space".to_string(),
        KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
            c.to_ascii_uppercase().to_string()
        }
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "⏎".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "S-Tab".into(),
        KeyCode::Backspace => "Bksp".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::Insert => "Ins".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    out.push_str(&name);
    out
}

/// One problem in `[keys]`, shown at start (toast in the console, a line in the CLI).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyWarning(pub String);

impl std::fmt::Display for KeyWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The overrides that passed every check: action name → its keys and their label.
#[derive(Debug, Clone, Default)]
pub struct KeyOverrides {
    by_action: HashMap<&'static str, (Vec<Key>, String)>,
}

impl KeyOverrides {
    /// The keys `binding` answers to now.
    pub fn keys_of<'a>(&'a self, binding: &'a Binding) -> &'a [Key] {
        match self.lookup(binding) {
            Some((keys, _)) => keys,
            None => binding.keys,
        }
    }

    /// How `binding`'s keys are written now.
    pub fn label_of(&self, binding: &Binding) -> Cow<'static, str> {
        match self.lookup(binding) {
            Some((_, label)) => Cow::Owned(label.clone()),
            None => Cow::Borrowed(binding.label),
        }
    }

    fn lookup(&self, binding: &Binding) -> Option<&(Vec<Key>, String)> {
        // Ctrl-C always quits and the help overlay always closes with Esc: an override
        // must not take away the way out.
        if matches!(binding.context, Context::Always | Context::Help) {
            return None;
        }
        action_name(&binding.action).and_then(|name| self.by_action.get(name))
    }

    /// Checks `[keys]` from the config: unknown names, unparsable keys and conflicts
    /// are warnings, and those overrides are left out.
    pub fn from_config(keys: &BTreeMap<String, Vec<String>>) -> (KeyOverrides, Vec<KeyWarning>) {
        let mut warnings = Vec::new();
        let mut proposed: HashMap<&'static str, (Vec<Key>, String)> = HashMap::new();
        for (name, texts) in keys {
            let Some(known) = known_name(name) else {
                warnings.push(KeyWarning(format!(
                    "[keys] {name}: no such action; see the palette (:) for names"
                )));
                continue;
            };
            let mut parsed = Vec::new();
            let mut bad = None;
            for text in texts {
                match parse_key(text) {
                    Some(key) if !parsed.contains(&key) => parsed.push(key),
                    Some(_) => {}
                    None => bad = Some(text.clone()),
                }
            }
            if let Some(text) = bad {
                warnings.push(KeyWarning(format!(
                    "[keys] {name}: cannot read the key {text:?} (try \"x\", \"ctrl-s\", \"f5\", \"enter\")"
                )));
                continue;
            }
            if parsed.is_empty() {
                warnings.push(KeyWarning(format!("[keys] {name}: no keys given")));
                continue;
            }
            let label = parsed.iter().map(key_label).collect::<Vec<_>>().join("/");
            proposed.insert(known, (parsed, label));
        }
        // Drop conflicting overrides until none is left: dropping one brings its
        // defaults back, which may collide with another override.
        loop {
            let overrides = KeyOverrides {
                by_action: proposed.clone(),
            };
            let mut names: Vec<&'static str> = proposed.keys().copied().collect();
            names.sort_unstable();
            let clash = names
                .into_iter()
                .find_map(|name| overrides.conflict(name).map(|c| (name, c)));
            let Some((name, (key, other, context))) = clash else {
                return (overrides, warnings);
            };
            warnings.push(KeyWarning(format!(
                "[keys] {name}: {} is already {other} ({}); not applied",
                key_label(&key),
                context.title()
            )));
            proposed.remove(name);
        }
    }

    /// A key of the overridden action `name` that another action also answers to where
    /// both are active at once: `(key, other action, context)`.
    fn conflict(&self, name: &str) -> Option<(Key, &'static str, Context)> {
        for binding in KEYMAP
            .iter()
            .filter(|b| action_name(&b.action) == Some(name))
        {
            for key in self.keys_of(binding) {
                for other in KEYMAP.iter().filter(|o| {
                    co_active(binding.context, o.context) && action_name(&o.action) != Some(name)
                }) {
                    if self.keys_of(other).contains(key) {
                        let other_name = action_name(&other.action).unwrap_or(other.description);
                        return Some((*key, other_name, other.context));
                    }
                }
            }
        }
        None
    }
}

/// The `'static` spelling of a known action name.
fn known_name(name: &str) -> Option<&'static str> {
    KEYMAP
        .iter()
        .filter_map(|b| action_name(&b.action))
        .find(|known| *known == name)
}

/// Whether bindings in `a` and `b` can answer the same key press.
fn co_active(a: Context, b: Context) -> bool {
    use Context as C;
    let tabs = |c: Context| {
        matches!(
            c,
            C::ClientApps | C::ScopesAndGrants | C::ActiveTokens | C::AuditLog
        )
    };
    let group = |c: Context| match c {
        C::Form | C::FormChoice => 1,
        C::List | C::Global => 2,
        c if tabs(c) => 2,
        _ => 0,
    };
    if a == b || a == C::Always || b == C::Always {
        return true;
    }
    if tabs(a) && tabs(b) {
        return false;
    }
    group(a) != 0 && group(a) == group(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_strings_parse_as_the_dispatch_sees_them() {
        let k = |c| (KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(parse_key("q"), Some(k('q')));
        assert_eq!(parse_key("G"), Some(k('G')));
        assert_eq!(parse_key("shift-g"), Some(k('G')));
        assert_eq!(
            parse_key("ctrl-s"),
            Some((KeyCode::Char('s'), KeyModifiers::CONTROL))
        );
        assert_eq!(
            parse_key("shift-tab"),
            Some((KeyCode::BackTab, KeyModifiers::NONE))
        );
        assert_eq!(
            parse_key("enter"),
            Some((KeyCode::Enter, KeyModifiers::NONE))
        );
        assert_eq!(parse_key("esc"), Some((KeyCode::Esc, KeyModifiers::NONE)));
        assert_eq!(parse_key("F5"), Some((KeyCode::F(5), KeyModifiers::NONE)));
        assert_eq!(
            parse_key("ctrl--"),
            Some((KeyCode::Char('-'), KeyModifiers::CONTROL))
        );
        assert_eq!(parse_key("hyper-x"), None);
        assert_eq!(parse_key("f99"), None);
        assert_eq!(parse_key("banana"), None);
        assert_eq!(parse_key(""), None);
    }

    #[test]
    fn every_named_action_has_one_name() {
        let mut seen: HashMap<&str, String> = HashMap::new();
        for binding in KEYMAP {
            if let Some(name) = action_name(&binding.action) {
                let shown = format!("{:?}", binding.action);
                let before = seen.entry(name).or_insert_with(|| shown.clone());
                assert_eq!(*before, shown, "{name} names two actions");
            }
        }
    }
}
