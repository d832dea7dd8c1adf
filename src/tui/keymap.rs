//! THE keymap: one table of `{ keys, action, description }` feeds the dispatch of key
//! presses, the footer's hints, the `?` help overlay, the `:` palette and the dialogs'
//! own key hints, so they cannot drift apart. Each screen and dialog keeps its part in
//! its `keys.rs`; `KEYMAP` puts them together in the order the help lists them.

use crate::tui::action::{Action, Tab};
use crate::tui::dialogs::get_token::state::FlowDialog;
use crate::tui::dialogs::prompt::state::PromptKind;
use crate::tui::dialogs::{
    confirm, details, form, get_token, help, palette, prompt, secret, user_details,
};
use crate::tui::input::binding::{self, Binding, CTRL, Context, Keymap, NONE, b};
use crate::tui::input::keys;
use crate::tui::screens::{apps, audit, matrix, tokens, users};
use crate::tui::state::{Layer, Modal, State};
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, MouseButton, MouseEventKind,
};
use std::borrow::Cow;

use Context as C;
use KeyCode as K;

/// Keys that work whatever is open.
#[rustfmt::skip]
const ALWAYS: &[Binding] = &[
    b(C::Always, &[(K::Char('c'), CTRL)], "Ctrl-C", Action::Quit, "quit", false),
    b(C::Always, &[(K::Char('z'), CTRL)], "Ctrl-Z", Action::Suspend, "suspend (fg resumes)", false),
];

/// Typing into a list's filter line.
#[rustfmt::skip]
const FILTER: &[Binding] = &[
    b(C::Filter, &[(K::Enter, NONE)], "⏎", Action::AcceptFilter, "keep filter", true),
    b(C::Filter, &[(K::Esc, NONE)], "Esc", Action::Back, "clear filter", true),
    b(C::Filter, &[(K::Down, NONE)], "↓", Action::MoveDown, "down", false),
    b(C::Filter, &[(K::Up, NONE)], "↑", Action::MoveUp, "up", false),
];

/// Moving in the list of any tab.
#[rustfmt::skip]
const LISTS: &[Binding] = &[
    b(C::List, &[(K::Char('j'), NONE), (K::Down, NONE)], "j/↓", Action::MoveDown, "down", false),
    b(C::List, &[(K::Char('k'), NONE), (K::Up, NONE)], "k/↑", Action::MoveUp, "up", false),
    b(C::List, &[(K::Char('g'), NONE), (K::Home, NONE)], "g", Action::First, "first", false),
    b(C::List, &[(K::Char('G'), NONE), (K::End, NONE)], "G", Action::Last, "last", false),
    b(C::List, &[(K::PageUp, NONE)], "PgUp", Action::PageUp, "page up", false),
    b(C::List, &[(K::PageDown, NONE)], "PgDn", Action::PageDown, "page down", false),
    b(C::List, &[(K::Char('/'), NONE)], "/", Action::StartFilter, "filter", true),
    b(C::List, &[(K::Esc, NONE)], "Esc", Action::Back, "clear filter", false),
];

/// The tabs, when nothing is open over them.
#[rustfmt::skip]
const GLOBAL: &[Binding] = &[
    b(C::Global, &[(K::Char('1'), NONE)], "1", Action::GoToTab(Tab::ClientApps), "Client apps", false),
    b(C::Global, &[(K::Char('2'), NONE)], "2", Action::GoToTab(Tab::ScopesAndGrants), "Scopes & grants", false),
    b(C::Global, &[(K::Char('3'), NONE)], "3", Action::GoToTab(Tab::ActiveTokens), "Active tokens", false),
    b(C::Global, &[(K::Char('4'), NONE)], "4", Action::GoToTab(Tab::AuditLog), "Audit log", false),
    b(C::Global, &[(K::Char('5'), NONE)], "5", Action::GoToTab(Tab::Users), "Users", false),
    b(C::Global, &[(K::Tab, NONE)], "Tab", Action::NextTab, "next tab", false),
    b(C::Global, &[(K::BackTab, NONE)], "S-Tab", Action::PrevTab, "previous tab", false),
    b(C::Global, &[(K::Char('r'), CTRL)], "Ctrl-R", Action::Refresh, "refresh", false),
    b(C::Global, &[(K::Char('?'), NONE)], "?", Action::ToggleHelp, "help", true),
    b(C::Global, &[(K::Char('q'), NONE)], "q", Action::Quit, "quit", true),
    b(C::Global, &[(K::Char(':'), NONE)], ":", Action::OpenPalette, "command palette", false),
];

/// Every binding, in sections, in the order the help overlay lists them.
pub static KEYMAP: &Keymap = &[
    ALWAYS,
    help::keys::KEYS,
    confirm::keys::KEYS,
    secret::keys::KEYS,
    details::keys::KEYS,
    prompt::keys::KEYS,
    user_details::keys::KEYS,
    form::keys::KEYS,
    FILTER,
    apps::keys::KEYS,
    matrix::keys::KEYS,
    tokens::keys::KEYS,
    get_token::keys::KEYS,
    get_token::keys::SESSION_KEYS,
    LISTS,
    GLOBAL,
    palette::keys::KEYS,
    audit::keys::KEYS,
    users::keys::KEYS,
];

/// Every binding of the table, in order.
pub fn bindings() -> impl Iterator<Item = &'static Binding> + Clone {
    binding::all(KEYMAP)
}

/// The contexts whose bindings answer keys now, most specific first.
pub fn active_contexts(state: &State) -> Vec<Context> {
    match state.layer() {
        Layer::Help => vec![Context::Always, Context::Help],
        Layer::Palette => vec![Context::Always, Context::Palette],
        _ => contexts_under_help(state),
    }
}

/// The contexts of the screen itself, as if the help overlay and the palette were
/// closed: what the overlay and the palette list.
pub fn contexts_under_help(state: &State) -> Vec<Context> {
    let on_top = match state.screen_layer() {
        Layer::GetToken => match &state.flows.dialog {
            Some(FlowDialog::Setup(setup)) if setup.editing_text() => Context::FlowSetupText,
            Some(FlowDialog::Setup(_)) => Context::FlowSetup,
            Some(FlowDialog::Browser(waiting)) if waiting.paste_focused => Context::FlowPaste,
            Some(FlowDialog::Browser(_)) => Context::FlowBrowser,
            Some(FlowDialog::Device(_)) => Context::FlowDevice,
            _ => Context::FlowClose,
        },
        Layer::AuditRecord => Context::AuditRecord,
        Layer::Modal => match &state.modal {
            Some(Modal::Confirm { .. }) => Context::Confirm,
            Some(Modal::Secret { .. }) => Context::Secret,
            Some(Modal::Prompt(p)) => match p.kind {
                PromptKind::Password { .. } => Context::PasswordPrompt,
                PromptKind::UserFilter => Context::UserPrompt,
            },
            _ => Context::Details,
        },
        Layer::UserDetails => Context::UserDetails,
        Layer::Form => {
            let choice = state.form.as_ref().is_some_and(|f| !f.editing_text());
            return if choice {
                vec![Context::Always, Context::Form, Context::FormChoice]
            } else {
                vec![Context::Always, Context::Form]
            };
        }
        Layer::Filter => Context::Filter,
        Layer::Help | Layer::Palette | Layer::Tab => {
            let tab = match state.tab {
                Tab::ClientApps => Context::ClientApps,
                Tab::ScopesAndGrants => Context::ScopesAndGrants,
                Tab::ActiveTokens => Context::ActiveTokens,
                Tab::AuditLog => Context::AuditLog,
                Tab::Users => Context::Users,
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
            return vec![Context::Always, tab, Context::List, Context::Global];
        }
    };
    vec![Context::Always, on_top]
}

/// Whether unbound keys go into a text field now.
pub fn text_field_focused(state: &State) -> bool {
    match state.layer() {
        Layer::Help | Layer::AuditRecord | Layer::UserDetails | Layer::Tab => false,
        Layer::Modal => matches!(state.modal, Some(Modal::Prompt(_))),
        Layer::Palette | Layer::Filter => true,
        Layer::GetToken => state.flows.editing_text(),
        Layer::Form => state.form.as_ref().is_some_and(|f| f.editing_text()),
    }
}

/// The action a key press stands for, in the current state.
pub fn action_for_key(state: &State, key: &KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let pressed = keys::normalized(key);
    for context in active_contexts(state) {
        let found = bindings().find(|binding| {
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
    let name = action.name()?;
    bindings()
        .find(|b| b.context == context && b.action.name() == Some(name))
        .map(|b| state.keys.label_of(b))
}

/// Whether `binding` is offered now: in read-only mode the writing actions vanish.
pub fn offered(state: &State, binding: &Binding) -> bool {
    let hidden_write = state.read_only && binding.action.is_write();
    !hidden_write && !state.keys.keys_of(binding).is_empty()
}

/// `(label, description)` of the footer hints for the current state, most specific
/// first, with the keys actually bound.
pub fn footer_hints(state: &State) -> Vec<(Cow<'static, str>, &'static str)> {
    let mut hints: Vec<(Cow<'static, str>, &'static str)> = Vec::new();
    for context in active_contexts(state) {
        for binding in bindings().filter(|b| b.context == context && b.footer && offered(state, b))
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
    for binding in bindings().filter(|b| b.context != Context::Help && offered(state, b)) {
        let title = binding.context.title();
        match sections.iter_mut().find(|(t, _)| *t == title) {
            Some((_, list)) => list.push(binding),
            None => sections.push((title, vec![binding])),
        }
    }
    sections
}

/// The key that runs `action` in `context`, as a dialog's own hint line writes it: the
/// first key bound now (`y`, not `y/⏎`), so a key rebound in the config shows there too.
pub fn key_hint(state: &State, context: Context, action: &Action) -> Option<String> {
    // Unnamed actions cannot be rebound: their first key is the one in the table.
    let same = |b: &Binding| match action.name() {
        Some(name) => b.action.name() == Some(name),
        None => format!("{:?}", b.action) == format!("{action:?}"),
    };
    let binding = bindings().find(|b| b.context == context && same(b))?;
    state.keys.keys_of(binding).first().map(keys::key_label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        let all: Vec<&Binding> = bindings().collect();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
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
            let binding =
                bindings().find(|b| b.label == label.as_ref() && contexts.contains(&b.context));
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
