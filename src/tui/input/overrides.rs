//! `[keys]` from the config: rebinds actions by name. Checked once at start against the
//! keymap table, which is passed in, so this module knows no screen.

use super::binding::{Binding, Context, Keymap, all};
use super::keys::{Key, key_label, parse_key};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

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
        binding
            .action
            .name()
            .and_then(|name| self.by_action.get(name))
    }

    /// Checks `[keys]` from the config: unknown names, unparsable keys and conflicts
    /// are warnings, and those overrides are left out.
    pub fn from_config(
        keys: &BTreeMap<String, Vec<String>>,
        keymap: &'static Keymap,
    ) -> (KeyOverrides, Vec<KeyWarning>) {
        let mut warnings = Vec::new();
        let mut proposed: HashMap<&'static str, (Vec<Key>, String)> = HashMap::new();
        for (name, texts) in keys {
            let Some(known) = known_name(keymap, name) else {
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
                .find_map(|name| overrides.conflict(keymap, name).map(|c| (name, c)));
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
    fn conflict(
        &self,
        keymap: &'static Keymap,
        name: &str,
    ) -> Option<(Key, &'static str, Context)> {
        for binding in all(keymap).filter(|b| b.action.name() == Some(name)) {
            for key in self.keys_of(binding) {
                for other in all(keymap).filter(|o| {
                    co_active(binding.context, o.context) && o.action.name() != Some(name)
                }) {
                    if self.keys_of(other).contains(key) {
                        let other_name = other.action.name().unwrap_or(other.description);
                        return Some((*key, other_name, other.context));
                    }
                }
            }
        }
        None
    }
}

/// The `'static` spelling of a known action name.
fn known_name(keymap: &'static Keymap, name: &str) -> Option<&'static str> {
    all(keymap)
        .filter_map(|b| b.action.name())
        .find(|known| *known == name)
}

/// Whether bindings in `a` and `b` can answer the same key press.
fn co_active(a: Context, b: Context) -> bool {
    use Context as C;
    let tabs = |c: Context| {
        matches!(
            c,
            C::ClientApps | C::ScopesAndGrants | C::ActiveTokens | C::AuditLog | C::Users
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
    use crate::tui::keymap::bindings;

    #[test]
    fn every_named_action_has_one_name() {
        let mut seen: HashMap<&str, String> = HashMap::new();
        for binding in bindings() {
            if let Some(name) = binding.action.name() {
                let shown = format!("{:?}", binding.action);
                let before = seen.entry(name).or_insert_with(|| shown.clone());
                assert_eq!(*before, shown, "{name} names two actions");
            }
        }
    }
}
