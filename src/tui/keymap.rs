//! THE keymap: one table of `{ keys, action, description }` feeds the dispatch of key
//! presses, the footer's hints and the `?` help overlay, so they cannot drift apart.

use super::action::{Action, Tab};
use super::state::State;
use super::token_flow::{self, FlowAction as FA, FlowDialog};
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};
use std::borrow::Cow;

/// Where a binding applies. Several contexts are active at once (see `active_contexts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Always, whatever is open.
    Always,
    /// The tabs, when nothing is open over them.
    Global,
    /// Moving in the list of the current tab.
    List,
    ClientApps,
    ScopesAndGrants,
    ActiveTokens,
    /// Typing into a filter line.
    Filter,
    /// The form, even while a text field has the focus.
    Form,
    /// The form, when the focus is on a choice (not a text field).
    FormChoice,
    Confirm,
    Secret,
    Details,
    Help,
    // Operator features.
    /// The `:` command palette.
    Palette,
    /// The audit log tab.
    AuditLog,
    /// The dialog with one audit record.
    AuditRecord,
    // Token flows.
    FlowSetup,
    FlowSetupText,
    FlowBrowser,
    FlowPaste,
    FlowDevice,
    FlowClose,
    SessionTokens,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Always | Context::Global => "Anywhere",
            Context::List => "Lists",
            Context::ClientApps => "Client apps",
            Context::ScopesAndGrants => "Scopes & grants",
            Context::ActiveTokens => "Active tokens",
            Context::Filter => "Filter line",
            Context::Form | Context::FormChoice => "App form",
            Context::Confirm => "Confirm dialog",
            Context::Secret => "New secret",
            Context::Details => "App details",
            Context::Help => "Help",
            Context::Palette => "Command palette",
            Context::AuditLog => "Audit log",
            Context::AuditRecord => "Audit record",
            Context::FlowSetup | Context::FlowSetupText => "Get token",
            Context::FlowBrowser | Context::FlowPaste => "Waiting for the browser",
            Context::FlowDevice => "Device code",
            Context::FlowClose => "Token dialogs",
            Context::SessionTokens => "This session's tokens",
        }
    }
}

pub struct Binding {
    pub context: Context,
    pub keys: &'static [(KeyCode, KeyModifiers)],
    /// How the keys are written in hints and help.
    pub label: &'static str,
    pub action: Action,
    pub description: &'static str,
    /// Shown in the footer (the help overlay shows every binding).
    pub footer: bool,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

const fn b(
    context: Context,
    keys: &'static [(KeyCode, KeyModifiers)],
    label: &'static str,
    action: Action,
    description: &'static str,
    footer: bool,
) -> Binding {
    Binding {
        context,
        keys,
        label,
        action,
        description,
        footer,
    }
}

use Context as C;
use KeyCode as K;

#[rustfmt::skip]
pub static KEYMAP: &[Binding] = &[
    b(C::Always, &[(K::Char('c'), CTRL)], "Ctrl-C", Action::Quit, "quit", false),
    // Help overlay.
    b(C::Help, &[(K::Esc, NONE), (K::Char('?'), NONE), (K::Char('q'), NONE)], "Esc", Action::ToggleHelp, "close help", true),
    // Confirm dialogs.
    b(C::Confirm, &[(K::Char('y'), NONE), (K::Enter, NONE)], "y/⏎", Action::Confirmed, "yes, do it", true),
    b(C::Confirm, &[(K::Char('n'), NONE), (K::Esc, NONE)], "n/Esc", Action::Back, "no, go back", true),
    // The secret shown once. Not Enter to close: a stray Enter must not throw it away.
    b(C::Secret, &[(K::Char('y'), NONE)], "y", Action::CopySecretModalId, "copy client ID", true),
    b(C::Secret, &[(K::Char('s'), NONE)], "s", Action::CopySecretModalSecret, "copy secret", true),
    b(C::Secret, &[(K::Esc, NONE)], "Esc", Action::Back, "close (the secret is gone)", true),
    // App details.
    b(C::Details, &[(K::Char('e'), NONE)], "e", Action::EditSelected, "edit", true),
    b(C::Details, &[(K::Char('d'), NONE)], "d", Action::DeleteSelected, "delete", true),
    b(C::Details, &[(K::Char('y'), NONE)], "y", Action::CopySelectedId, "copy ID", true),
    b(C::Details, &[(K::Char('S'), NONE)], "S", Action::RotateSelectedSecret, "rotate secret", true),
    b(C::Details, &[(K::Esc, NONE), (K::Enter, NONE), (K::Char('q'), NONE)], "Esc", Action::Back, "close", true),
    // The form.
    b(C::Form, &[(K::Tab, NONE), (K::Down, NONE)], "Tab/↓", Action::FormNext, "next field", true),
    b(C::Form, &[(K::BackTab, NONE), (K::Up, NONE)], "S-Tab/↑", Action::FormPrev, "previous field", false),
    b(C::Form, &[(K::Enter, NONE)], "⏎", Action::FormActivate, "toggle / press / next", false),
    b(C::Form, &[(K::Char('s'), CTRL)], "Ctrl-S", Action::FormSave, "save", true),
    b(C::Form, &[(K::Char('d'), CTRL)], "Ctrl-D", Action::FormRemoveUrl, "remove redirect URL", false),
    b(C::Form, &[(K::Esc, NONE)], "Esc", Action::Back, "cancel", true),
    b(C::FormChoice, &[(K::Char(' '), NONE)], "space", Action::FormToggle, "toggle", true),
    b(C::FormChoice, &[(K::Char('j'), NONE)], "j", Action::FormNext, "next field", false),
    b(C::FormChoice, &[(K::Char('k'), NONE)], "k", Action::FormPrev, "previous field", false),
    b(C::FormChoice, &[(K::Left, NONE), (K::Char('h'), NONE)], "←/h", Action::MoveLeft, "previous platform", false),
    b(C::FormChoice, &[(K::Right, NONE), (K::Char('l'), NONE)], "→/l", Action::MoveRight, "next platform", false),
    // Filter line.
    b(C::Filter, &[(K::Enter, NONE)], "⏎", Action::AcceptFilter, "keep filter", true),
    b(C::Filter, &[(K::Esc, NONE)], "Esc", Action::Back, "clear filter", true),
    b(C::Filter, &[(K::Down, NONE)], "↓", Action::MoveDown, "down", false),
    b(C::Filter, &[(K::Up, NONE)], "↑", Action::MoveUp, "up", false),
    // Client apps.
    b(C::ClientApps, &[(K::Char('n'), NONE)], "n", Action::NewApp, "new", true),
    b(C::ClientApps, &[(K::Char('e'), NONE)], "e", Action::EditSelected, "edit", true),
    b(C::ClientApps, &[(K::Char('d'), NONE)], "d", Action::DeleteSelected, "delete", true),
    b(C::ClientApps, &[(K::Char('y'), NONE)], "y", Action::CopySelectedId, "copy ID", true),
    b(C::ClientApps, &[(K::Enter, NONE)], "⏎", Action::OpenDetails, "details", false),
    b(C::ClientApps, &[(K::Char('s'), NONE)], "s", Action::CycleSort, "sort", true),
    b(C::ClientApps, &[(K::Char('S'), NONE)], "S", Action::RotateSelectedSecret, "rotate secret", false),
    // Scopes & grants.
    b(C::ScopesAndGrants, &[(K::Char(' '), NONE)], "space", Action::ToggleCell, "toggle", true),
    b(C::ScopesAndGrants, &[(K::Left, NONE), (K::Char('h'), NONE)], "←/h", Action::MoveLeft, "left", false),
    b(C::ScopesAndGrants, &[(K::Right, NONE), (K::Char('l'), NONE)], "→/l", Action::MoveRight, "right", false),
    // Active tokens.
    b(C::ActiveTokens, &[(K::Char('f'), NONE)], "f", Action::StartFilter, "filter by app", false),
    b(C::ActiveTokens, &[(K::Char('r'), NONE)], "r", Action::RevokeSelectedToken, "revoke", true),
    b(C::ActiveTokens, &[(K::Char('R'), NONE)], "R", Action::RevokeSelectedAppTokens, "revoke all of app", true),
    // Token flows.
    b(C::ClientApps, &[(K::Char('t'), NONE)], "t", Action::Flow(FA::Open), "get token", true),
    b(C::Details, &[(K::Char('t'), NONE)], "t", Action::Flow(FA::Open), "get token", true),
    b(C::FlowSetup, &[(K::Enter, NONE)], "⏎", Action::Flow(FA::Start), "get token", true),
    b(C::FlowSetup, &[(K::Tab, NONE), (K::Down, NONE), (K::Char('j'), NONE)], "Tab/↓", Action::Flow(FA::NextField), "next", true),
    b(C::FlowSetup, &[(K::BackTab, NONE), (K::Up, NONE), (K::Char('k'), NONE)], "S-Tab/↑", Action::Flow(FA::PrevField), "previous", false),
    b(C::FlowSetup, &[(K::Left, NONE), (K::Char('h'), NONE)], "←/h", Action::Flow(FA::CycleFlow(-1)), "previous flow", false),
    b(C::FlowSetup, &[(K::Right, NONE), (K::Char('l'), NONE)], "→/l", Action::Flow(FA::CycleFlow(1)), "next flow", false),
    b(C::FlowSetup, &[(K::Char(' '), NONE)], "space", Action::Flow(FA::Toggle), "toggle", true),
    b(C::FlowSetup, &[(K::Esc, NONE)], "Esc", Action::Back, "close", true),
    b(C::FlowSetupText, &[(K::Enter, NONE)], "⏎", Action::Flow(FA::Start), "get token", true),
    b(C::FlowSetupText, &[(K::Tab, NONE), (K::Down, NONE)], "Tab/↓", Action::Flow(FA::NextField), "next", true),
    b(C::FlowSetupText, &[(K::BackTab, NONE), (K::Up, NONE)], "S-Tab/↑", Action::Flow(FA::PrevField), "previous", false),
    b(C::FlowSetupText, &[(K::Esc, NONE)], "Esc", Action::Back, "close", true),
    b(C::FlowBrowser, &[(K::Char('y'), NONE)], "y", Action::Flow(FA::CopyUrl), "copy URL", true),
    b(C::FlowBrowser, &[(K::Char('o'), NONE)], "o", Action::Flow(FA::OpenBrowser), "open browser", true),
    b(C::FlowBrowser, &[(K::Char('p'), NONE), (K::Tab, NONE)], "p", Action::Flow(FA::FocusPaste), "paste URL", true),
    b(C::FlowBrowser, &[(K::Esc, NONE)], "Esc", Action::Back, "cancel", true),
    b(C::FlowPaste, &[(K::Enter, NONE)], "⏎", Action::Flow(FA::SubmitPaste), "send URL", true),
    b(C::FlowPaste, &[(K::Tab, NONE)], "Tab", Action::Flow(FA::FocusPaste), "leave field", false),
    b(C::FlowPaste, &[(K::Esc, NONE)], "Esc", Action::Back, "leave field", true),
    b(C::FlowDevice, &[(K::Char('y'), NONE)], "y", Action::Flow(FA::CopyUrl), "copy URL", true),
    b(C::FlowDevice, &[(K::Char('c'), NONE)], "c", Action::Flow(FA::CopyUserCode), "copy code", true),
    b(C::FlowDevice, &[(K::Char('o'), NONE)], "o", Action::Flow(FA::OpenBrowser), "open browser", false),
    b(C::FlowDevice, &[(K::Esc, NONE)], "Esc", Action::Back, "cancel", true),
    b(C::FlowClose, &[(K::Esc, NONE), (K::Enter, NONE), (K::Char('q'), NONE)], "Esc", Action::Back, "close", true),
    b(C::ActiveTokens, &[(K::Char('s'), NONE)], "s", Action::Flow(FA::ToggleSessionFocus), "this session", true),
    b(C::SessionTokens, &[(K::Char('y'), NONE)], "y", Action::Flow(FA::CopyAccessToken), "copy token", true),
    b(C::SessionTokens, &[(K::Char('f'), NONE), (K::Char('F'), NONE)], "f", Action::Flow(FA::Refresh), "refresh", true),
    b(C::SessionTokens, &[(K::Char('i'), NONE)], "i", Action::Flow(FA::Introspect), "introspect", true),
    b(C::SessionTokens, &[(K::Char('x'), NONE)], "x", Action::Flow(FA::Revoke), "revoke (RFC 7009)", true),
    b(C::SessionTokens, &[(K::Char('s'), NONE), (K::Esc, NONE)], "s", Action::Flow(FA::ToggleSessionFocus), "all tokens", true),
    // Lists.
    b(C::List, &[(K::Char('j'), NONE), (K::Down, NONE)], "j/↓", Action::MoveDown, "down", false),
    b(C::List, &[(K::Char('k'), NONE), (K::Up, NONE)], "k/↑", Action::MoveUp, "up", false),
    b(C::List, &[(K::Char('g'), NONE), (K::Home, NONE)], "g", Action::First, "first", false),
    b(C::List, &[(K::Char('G'), NONE), (K::End, NONE)], "G", Action::Last, "last", false),
    b(C::List, &[(K::PageUp, NONE)], "PgUp", Action::PageUp, "page up", false),
    b(C::List, &[(K::PageDown, NONE)], "PgDn", Action::PageDown, "page down", false),
    b(C::List, &[(K::Char('/'), NONE)], "/", Action::StartFilter, "filter", true),
    b(C::List, &[(K::Esc, NONE)], "Esc", Action::Back, "clear filter", false),
    // Tabs.
    b(C::Global, &[(K::Char('1'), NONE)], "1", Action::GoToTab(Tab::ClientApps), "Client apps", false),
    b(C::Global, &[(K::Char('2'), NONE)], "2", Action::GoToTab(Tab::ScopesAndGrants), "Scopes & grants", false),
    b(C::Global, &[(K::Char('3'), NONE)], "3", Action::GoToTab(Tab::ActiveTokens), "Active tokens", false),
    b(C::Global, &[(K::Char('4'), NONE)], "4", Action::GoToTab(Tab::AuditLog), "Audit log", false),
    b(C::Global, &[(K::Tab, NONE)], "Tab", Action::NextTab, "next tab", false),
    b(C::Global, &[(K::BackTab, NONE)], "S-Tab", Action::PrevTab, "previous tab", false),
    b(C::Global, &[(K::Char('r'), CTRL)], "Ctrl-R", Action::Refresh, "refresh", false),
    b(C::Global, &[(K::Char('?'), NONE)], "?", Action::ToggleHelp, "help", true),
    b(C::Global, &[(K::Char('q'), NONE)], "q", Action::Quit, "quit", true),
    // Operator features.
    b(C::Global, &[(K::Char(':'), NONE)], ":", Action::OpenPalette, "command palette", false),
    b(C::Palette, &[(K::Enter, NONE)], "⏎", Action::PaletteRun, "run", true),
    b(C::Palette, &[(K::Down, NONE), (K::Char('n'), CTRL)], "↓", Action::MoveDown, "next", true),
    b(C::Palette, &[(K::Up, NONE), (K::Char('p'), CTRL)], "↑", Action::MoveUp, "previous", true),
    b(C::Palette, &[(K::Esc, NONE)], "Esc", Action::Back, "close", true),
    b(C::Details, &[(K::Char('X'), NONE)], "X", Action::EndSelectedSecretGrace, "end old secret's grace", false),
    b(C::AuditLog, &[(K::Enter, NONE)], "⏎", Action::OpenAuditRecord, "full record", true),
    b(C::AuditRecord, &[(K::Esc, NONE), (K::Enter, NONE), (K::Char('q'), NONE)], "Esc", Action::Back, "close", true),
];

/// The contexts whose bindings answer keys now, most specific first.
pub fn active_contexts(state: &State) -> Vec<Context> {
    if state.help_open {
        return vec![Context::Always, Context::Help];
    }
    if state.palette.is_some() {
        return vec![Context::Always, Context::Palette];
    }
    contexts_under_help(state)
}

/// The contexts of the screen itself, as if the help overlay were closed: what the
/// overlay lists.
pub fn contexts_under_help(state: &State) -> Vec<Context> {
    // Token flows: their dialogs sit above everything else.
    if let Some(dialog) = &state.flows.dialog {
        let context = match dialog {
            FlowDialog::Setup(setup) if setup.editing_text() => Context::FlowSetupText,
            FlowDialog::Setup(_) => Context::FlowSetup,
            FlowDialog::Browser(waiting) if waiting.paste_focused => Context::FlowPaste,
            FlowDialog::Browser(_) => Context::FlowBrowser,
            FlowDialog::Device(_) => Context::FlowDevice,
            FlowDialog::Requesting(_) | FlowDialog::Introspection(_) => Context::FlowClose,
        };
        return vec![Context::Always, context];
    }
    if state.audit.record_open {
        return vec![Context::Always, Context::AuditRecord];
    }
    if let Some(modal) = &state.modal {
        let context = match modal {
            super::state::Modal::Confirm { .. } => Context::Confirm,
            super::state::Modal::Secret { .. } => Context::Secret,
            super::state::Modal::Details { .. } => Context::Details,
        };
        return vec![Context::Always, context];
    }
    if let Some(form) = &state.form {
        return if form.editing_text() {
            vec![Context::Always, Context::Form]
        } else {
            vec![Context::Always, Context::Form, Context::FormChoice]
        };
    }
    if filter_editing(state) {
        return vec![Context::Always, Context::Filter];
    }
    let tab = match state.tab {
        Tab::ClientApps => Context::ClientApps,
        Tab::ScopesAndGrants => Context::ScopesAndGrants,
        Tab::ActiveTokens => Context::ActiveTokens,
        Tab::AuditLog => Context::AuditLog,
    };
    if tab == Context::ActiveTokens && state.flows.session_focus {
        return vec![
            Context::Always,
            Context::SessionTokens,
            tab,
            Context::List,
            Context::Global,
        ];
    }
    vec![Context::Always, tab, Context::List, Context::Global]
}

fn filter_editing(state: &State) -> bool {
    match state.tab {
        Tab::ClientApps | Tab::ScopesAndGrants => state.apps.filter.editing,
        Tab::ActiveTokens => state.tokens.filter.editing,
        Tab::AuditLog => state.audit.filter.editing,
    }
}

/// Whether unbound keys go into a text field now.
fn text_field_focused(state: &State) -> bool {
    if state.help_open {
        return false;
    }
    if token_flow::dialog_open(state) {
        return token_flow::editing_text(state);
    }
    if state.modal.is_some() {
        return false;
    }
    if state.palette.is_some() {
        return true;
    }
    match &state.form {
        Some(form) => form.editing_text(),
        None => filter_editing(state),
    }
}

/// Shift is part of the character itself (`G`, `?`); terminals differ in reporting it.
fn normalized(key: &KeyEvent) -> (KeyCode, KeyModifiers) {
    let mut modifiers = key.modifiers;
    if matches!(key.code, KeyCode::Char(_) | KeyCode::BackTab) {
        modifiers.remove(KeyModifiers::SHIFT);
    }
    (key.code, modifiers)
}

/// The action a key press stands for, in the current state.
pub fn action_for_key(state: &State, key: &KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let pressed = normalized(key);
    for context in active_contexts(state) {
        let found = KEYMAP.iter().find(|binding| {
            binding.context == context && state.keys.keys_of(binding).contains(&pressed)
        });
        if let Some(binding) = found {
            return Some(binding.action.clone());
        }
    }
    text_field_focused(state).then_some(Action::EditKey(*key))
}

/// Turns any terminal event into the action it stands for.
pub fn action_for_event(state: &State, event: &Event) -> Option<Action> {
    match event {
        Event::Key(key) => action_for_key(state, key),
        Event::Paste(text) => text_field_focused(state).then(|| Action::Paste(text.clone())),
        Event::Resize(width, height) => Some(Action::Resize {
            width: *width,
            height: *height,
        }),
        Event::Mouse(mouse) => match mouse.kind {
            MouseEventKind::Moved => Some(Action::MouseMoved {
                column: mouse.column,
                row: mouse.row,
            }),
            MouseEventKind::Down(MouseButton::Left) => Some(Action::MouseClicked {
                column: mouse.column,
                row: mouse.row,
            }),
            MouseEventKind::ScrollUp => Some(Action::ScrollUp),
            MouseEventKind::ScrollDown => Some(Action::ScrollDown),
            _ => None,
        },
        _ => None,
    }
}

/// How `action`'s keys in `context` are written now (overrides included).
pub fn bound_label(state: &State, context: Context, action: &Action) -> Option<Cow<'static, str>> {
    let name = super::keymap_overrides::action_name(action)?;
    KEYMAP
        .iter()
        .find(|b| {
            b.context == context && super::keymap_overrides::action_name(&b.action) == Some(name)
        })
        .map(|b| state.keys.label_of(b))
}

/// Whether `binding` is offered now: in read-only mode the writing actions vanish.
pub fn offered(state: &State, binding: &Binding) -> bool {
    let hidden_write = state.read_only && super::keymap_overrides::is_write(&binding.action);
    !hidden_write && !state.keys.keys_of(binding).is_empty()
}

/// `(label, description)` of the footer hints for the current state, most specific
/// first, with the keys actually bound.
pub fn footer_hints(state: &State) -> Vec<(Cow<'static, str>, &'static str)> {
    let mut hints: Vec<(Cow<'static, str>, &'static str)> = Vec::new();
    for context in active_contexts(state) {
        for binding in KEYMAP
            .iter()
            .filter(|b| b.context == context && b.footer && offered(state, b))
        {
            let label = state.keys.label_of(binding);
            if !hints.iter().any(|(shown, _)| *shown == label) {
                hints.push((label, binding.description));
            }
        }
    }
    hints
}

/// Every binding offered now, grouped by context in table order, for the help overlay.
pub fn help_sections(state: &State) -> Vec<(&'static str, Vec<&'static Binding>)> {
    let mut sections: Vec<(&'static str, Vec<&'static Binding>)> = Vec::new();
    for binding in KEYMAP
        .iter()
        .filter(|b| b.context != Context::Help && offered(state, b))
    {
        let title = binding.context.title();
        match sections.iter_mut().find(|(t, _)| *t == title) {
            Some((_, list)) => list.push(binding),
            None => sections.push((title, vec![binding])),
        }
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for (i, a) in KEYMAP.iter().enumerate() {
            for b in &KEYMAP[i + 1..] {
                if a.context == b.context {
                    for key in a.keys {
                        assert!(
                            !b.keys.contains(key),
                            "{key:?} bound twice in {:?}",
                            a.context
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn every_footer_hint_names_a_key_that_dispatches() {
        let state = State::new("test", 0, false);
        let hints = footer_hints(&state);
        assert!(hints.iter().any(|(label, _)| *label == "n"));
        for (label, _) in hints {
            let contexts = active_contexts(&state);
            let binding = KEYMAP
                .iter()
                .find(|b| b.label == label.as_ref() && contexts.contains(&b.context));
            let Some(binding) = binding else {
                panic!("hint {label} has no binding");
            };
            let (code, modifiers) = binding.keys[0];
            let action = action_for_key(&state, &KeyEvent::new(code, modifiers));
            assert_eq!(
                format!("{action:?}"),
                format!("{:?}", Some(binding.action.clone())),
                "{label}"
            );
        }
    }
}
