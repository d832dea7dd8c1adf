//! The `:` command palette: every action of the screen under it, with its keys and
//! description, fuzzy-filtered as the user types. Built from the keymap table, so it
//! lists exactly what the keys do (overrides and read-only mode included).

use super::state::{PaletteEntry, PaletteState};
use crate::tui::action::{Action, Outcome};
use crate::tui::input::binding::Context;
use crate::tui::keymap::{self, bindings};
use crate::tui::state::State;

/// Actions that make no sense from the palette (they steer the palette itself or a
/// filter line that is not open).
fn listed(action: &Action) -> bool {
    !matches!(
        action,
        Action::Back | Action::AcceptFilter | Action::OpenPalette | Action::PaletteRun
    )
}

/// Every action of the screen under the palette, in keymap order, one line each.
pub fn all_entries(state: &State) -> Vec<PaletteEntry> {
    // Most specific first; `Always` (Ctrl-C) last so `quit` shows its usual key.
    let mut contexts = keymap::contexts_under_help(state);
    contexts.retain(|c| *c != Context::Always);
    contexts.push(Context::Always);
    let mut entries: Vec<PaletteEntry> = Vec::new();
    let bindings = contexts
        .iter()
        .flat_map(|context| bindings().filter(move |b| b.context == *context));
    for binding in bindings.filter(|b| listed(&b.action) && keymap::offered(state, b)) {
        // Actions without a config name are listed too, told apart by description.
        let name = binding.action.name().unwrap_or("");
        if entries.iter().any(|e| {
            (e.name, e.description) == (name, binding.description)
                || (!name.is_empty() && e.name == name)
        }) {
            continue;
        }
        entries.push(PaletteEntry {
            name,
            keys: state.keys.label_of(binding),
            description: binding.description,
            action: binding.action.clone(),
            matched: Vec::new(),
        });
    }
    entries
}

/// The entries matching what was typed, best first.
pub fn entries(state: &State) -> Vec<PaletteEntry> {
    let query = state
        .palette
        .as_ref()
        .map(|p| p.input.value().to_lowercase())
        .unwrap_or_default();
    let mut scored: Vec<(i64, usize, PaletteEntry)> = all_entries(state)
        .into_iter()
        .enumerate()
        .filter_map(|(i, mut entry)| {
            let haystack = format!("{} {}", entry.description, entry.name.replace('_', " "));
            let (score, matched) = fuzzy_match(&query, &haystack.to_lowercase())?;
            entry.matched = matched;
            Some((score, i, entry))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, _, entry)| entry).collect()
}

/// Scores `query` as a subsequence of `haystack` (both lower case): `None` when it is
/// not one; higher for letters in a row and at word starts, and for early matches.
/// The positions (in characters) of `haystack` that matched come with the score.
pub fn fuzzy_match(query: &str, haystack: &str) -> Option<(i64, Vec<usize>)> {
    let hay: Vec<char> = haystack.chars().collect();
    let mut matched = Vec::new();
    let mut score = 0i64;
    let mut at = 0usize;
    let mut previous: Option<usize> = None;
    for q in query.chars().filter(|c| !c.is_whitespace()) {
        let found = (at..hay.len()).find(|&i| hay[i] == q)?;
        score += 1;
        if previous.is_some_and(|p| p + 1 == found) {
            score += 5;
        }
        if found == 0 || !hay[found - 1].is_alphanumeric() {
            score += 3;
        }
        if previous.is_none() {
            score -= found.min(20) as i64;
        }
        previous = Some(found);
        matched.push(found);
        at = found + 1;
    }
    Some((score, matched))
}

pub fn update(state: &mut State, action: Action) -> Outcome {
    match action {
        Action::OpenPalette => state.palette = Some(PaletteState::default()),
        Action::PaletteRun => return run_selected(state),
        _ => {}
    }
    Outcome::done()
}

/// Moves the highlight by `delta`, staying on the list.
pub fn move_selection(state: &mut State, delta: isize) {
    let count = entries(state).len();
    if let Some(palette) = &mut state.palette {
        let last = count.saturating_sub(1) as isize;
        palette.selected = (palette.selected as isize + delta).clamp(0, last) as usize;
    }
}

/// After typing: the best match is highlighted again.
pub fn edited(state: &mut State) {
    if let Some(palette) = &mut state.palette {
        palette.selected = 0;
    }
}

/// Enter: closes the palette and runs the highlighted action.
fn run_selected(state: &mut State) -> Outcome {
    let chosen = state
        .palette
        .as_ref()
        .and_then(|p| entries(state).into_iter().nth(p.selected));
    state.palette = None;
    match chosen {
        Some(entry) => Outcome::then(entry.action),
        None => Outcome::done(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fuzzy_score(query: &str, haystack: &str) -> Option<i64> {
        fuzzy_match(query, haystack).map(|(score, _)| score)
    }

    #[test]
    fn letters_in_order_match_and_closer_ones_rank_higher() {
        assert!(fuzzy_score("cpy", "copy id").is_some());
        assert!(fuzzy_score("ypc", "copy id").is_none());
        let tight = fuzzy_score("del", "delete");
        let loose = fuzzy_score("del", "details of the last");
        assert!(tight > loose, "{tight:?} {loose:?}");
        assert_eq!(fuzzy_score("", "anything"), Some(0));
    }

    #[test]
    fn the_matched_letters_are_reported_where_they_are() {
        assert_eq!(fuzzy_match("cpy", "copy id"), Some((11, vec![0, 2, 3])));
        assert_eq!(fuzzy_match("di", "copy id").map(|m| m.1), None);
        assert_eq!(fuzzy_match("id", "copy id").map(|m| m.1), Some(vec![5, 6]));
    }
}
