//! Typing into the field that has the keys: a list's filter line or the palette's
//! prompt here, the form's fields in the form (the Get token dialogs take their own
//! typing first, see `get_token::update::intercept`).

use crate::tui::action::{Action, Outcome, Tab};
use crate::tui::dialogs::{palette, prompt};
use crate::tui::geometry::keep_cursors_visible;
use crate::tui::state::{Modal, State};
use ratatui::crossterm::event::Event;
use tui_input::backend::crossterm::to_input_request;

pub fn update(state: &mut State, action: Action) -> Outcome {
    match action {
        Action::StartFilter => match state.tab {
            Tab::ActiveTokens => state.tokens.filter.editing = true,
            Tab::AuditLog => state.audit.filter.editing = true,
            Tab::Users => state.users.filter.editing = true,
            _ => state.apps.filter.editing = true,
        },
        Action::AcceptFilter => {
            state.apps.filter.editing = false;
            state.tokens.filter.editing = false;
            state.audit.filter.editing = false;
            state.users.filter.editing = false;
        }
        Action::EditKey(key) if matches!(state.modal, Some(Modal::Prompt(_))) => {
            prompt::update::key(state, key);
        }
        Action::Paste(text) if matches!(state.modal, Some(Modal::Prompt(_))) => {
            prompt::update::paste(state, &text);
        }
        Action::EditKey(key) => {
            edit_text(state, |input| {
                if let Some(request) = to_input_request(&Event::Key(key)) {
                    input.handle(request);
                }
            });
            if let Some(form) = &mut state.form {
                form.edit_key(key);
            }
        }
        Action::Paste(text) => {
            let line = text.lines().next().unwrap_or("").to_string();
            edit_text(state, |input| {
                for c in line.chars() {
                    input.handle(tui_input::InputRequest::InsertChar(c));
                }
            });
            if let Some(form) = &mut state.form {
                form.paste(&text);
            }
        }
        _ => {}
    }
    Outcome::done()
}

/// Applies `edit` to the line being typed into, then re-filters.
fn edit_text(state: &mut State, edit: impl FnOnce(&mut tui_input::Input)) {
    if let Some(open) = &mut state.palette {
        edit(&mut open.input);
        palette::update::edited(state);
        return;
    }
    if state.form.is_some() {
        return;
    }
    if state.tab == Tab::AuditLog && state.audit.filter.editing {
        edit(&mut state.audit.filter.input);
        state.audit.refilter();
        state.audit.cursor.first();
        return;
    }
    if state.tab == Tab::Users && state.users.filter.editing {
        edit(&mut state.users.filter.input);
        state.users.rebuild_index();
        state.users.cursor.first();
        return;
    }
    if state.tab == Tab::ActiveTokens && state.tokens.filter.editing {
        edit(&mut state.tokens.filter.input);
        state.tokens.rebuild_index(&state.apps);
        state.tokens.cursor.first();
    } else if matches!(state.tab, Tab::ClientApps | Tab::ScopesAndGrants)
        && state.apps.filter.editing
    {
        edit(&mut state.apps.filter.input);
        state.apps.refilter();
        state.apps.cursor.first();
        state.matrix.cursor.first();
    }
}

/// Esc on a tab: stops filtering and clears the filter (on Active tokens, the user
/// filter goes too, and everyone's tokens are asked for).
pub fn clear_filter(state: &mut State) -> Outcome {
    if state.tab == Tab::Users {
        state.users.filter.editing = false;
        if !state.users.filter.input.value().is_empty() {
            state.users.filter.input.reset();
            state.users.rebuild_index();
            keep_cursors_visible(state);
        }
        return Outcome::done();
    }
    if state.tab == Tab::ActiveTokens
        && !state.tokens.filter.editing
        && state.tokens.filter.input.value().is_empty()
        && state.tokens.subject.is_some()
    {
        state.tokens.subject = None;
        state.tokens.rebuild_index(&state.apps);
        keep_cursors_visible(state);
        return vec![state.requests.load_tokens(None)].into();
    }
    if state.tab == Tab::AuditLog {
        state.audit.filter.editing = false;
        if !state.audit.filter.input.value().is_empty() {
            state.audit.filter.input.reset();
            state.audit.refilter();
            keep_cursors_visible(state);
        }
        return Outcome::done();
    }
    let (filter, tokens) = match state.tab {
        Tab::ActiveTokens => (&mut state.tokens.filter, true),
        _ => (&mut state.apps.filter, false),
    };
    filter.editing = false;
    if !filter.input.value().is_empty() {
        filter.input.reset();
        if tokens {
            state.tokens.rebuild_index(&state.apps);
        } else {
            state.apps.rebuild_index();
        }
        keep_cursors_visible(state);
    }
    Outcome::done()
}
