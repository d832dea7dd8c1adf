//! Moving between tabs and in the list, the form or the palette, whichever is on top.

use crate::tui::action::{Command, Outcome, Tab};
use crate::tui::dialogs::palette;
use crate::tui::geometry::{keep_cursors_visible, list_cursor, page_rows};
use crate::tui::screens::{audit, matrix};
use crate::tui::shared::LoadKind;
use crate::tui::state::{Layer, State};

pub fn go_to_tab(state: &mut State, tab: Tab) -> Outcome {
    let entering = state.tab != tab;
    state.tab = tab;
    state.apps.hovered = None;
    state.tokens.hovered = None;
    state.users.hovered = None;
    // The user details belong to the Users tab.
    if tab != Tab::Users {
        state.user_details = None;
    }
    keep_cursors_visible(state);
    if entering && tab == Tab::ActiveTokens {
        return vec![load_tokens(state)].into();
    }
    if entering && tab == Tab::Users {
        return vec![state.requests.load_users()].into();
    }
    if entering && tab == Tab::AuditLog {
        return audit::update::load(state, false).into();
    }
    Outcome::done()
}

pub fn switch_tab(state: &mut State, delta: isize) -> Outcome {
    let at = Tab::ALL.iter().position(|t| *t == state.tab).unwrap_or(0) as isize;
    let next = (at + delta).rem_euclid(Tab::ALL.len() as isize) as usize;
    go_to_tab(state, Tab::ALL[next])
}

/// Ctrl-R: the apps again, and the current tab's own list.
pub fn refresh(state: &mut State) -> Outcome {
    let mut commands = vec![state.requests.load_apps()];
    if state.tab == Tab::ActiveTokens {
        commands.push(load_tokens(state));
    }
    if state.tab == Tab::AuditLog {
        commands.extend(audit::update::load(state, false));
    }
    if state.tab == Tab::Users {
        commands.extend(load_users(state));
    }
    commands.into()
}

/// The tokens of the Active tokens tab: everyone's, or the filtered user's.
fn load_tokens(state: &mut State) -> Command {
    let subject = state.tokens.subject.clone();
    state.requests.load_tokens(subject)
}

/// The users, and the open user's details.
fn load_users(state: &mut State) -> Vec<Command> {
    let mut commands = vec![state.requests.load_users()];
    if let Some(username) = state.user_details.as_ref().map(|d| d.username.clone()) {
        commands.push(state.requests.load_user_details(&username));
    }
    commands
}

/// The auto-refresh timer: the current tab's list again, unless the last load of it
/// is still awaited. Selections are kept by key (client ID, token ID, username) as the
/// answers arrive, and open dialogs are left as they are.
pub fn auto_refresh(state: &mut State) -> Outcome {
    let commands = match state.tab {
        Tab::ClientApps | Tab::ScopesAndGrants if !state.requests.loading(LoadKind::Apps) => {
            vec![state.requests.load_apps()]
        }
        Tab::ActiveTokens if !state.requests.loading(LoadKind::Tokens) => {
            vec![load_tokens(state)]
        }
        Tab::Users if !state.requests.loading(LoadKind::Users) => load_users(state),
        _ => Vec::new(),
    };
    commands.into()
}

/// Active tokens, showing `subject`'s tokens only (everyone's for `None`).
pub fn show_tokens_of(state: &mut State, subject: Option<String>) -> Outcome {
    state.tokens.subject = subject;
    state.tokens.filter.input.reset();
    state.tokens.rebuild_index(&state.apps);
    state.tokens.cursor.first();
    if state.tab == Tab::ActiveTokens {
        return vec![load_tokens(state)].into();
    }
    go_to_tab(state, Tab::ActiveTokens)
}

/// PgUp / PgDn: a list's page at a time.
pub fn move_pages(state: &mut State, pages: isize) -> Outcome {
    let page = page_rows(state) as isize;
    move_rows(state, pages * page)
}

pub fn move_rows(state: &mut State, delta: isize) -> Outcome {
    match state.layer() {
        Layer::Palette => palette::update::move_selection(state, delta.signum()),
        Layer::UserDetails => {
            if let Some(open) = &mut state.user_details {
                open.move_by(delta.signum());
            }
        }
        Layer::Help | Layer::Modal | Layer::AuditRecord | Layer::GetToken => {}
        Layer::Form => {
            if let Some(form) = &mut state.form {
                form.move_focus(delta.signum());
            }
        }
        Layer::Filter | Layer::Tab => {
            let page = page_rows(state);
            let (cursor, len) = list_cursor(state);
            cursor.move_by(delta, len, page);
            // Down at the end of the loaded audit records fetches the next page.
            return audit::update::after_move(state);
        }
    }
    Outcome::done()
}

pub fn move_sideways(state: &mut State, delta: isize) -> Outcome {
    if let Some(form) = &mut state.form {
        form.move_sideways(delta);
    } else if state.tab == Tab::ScopesAndGrants {
        matrix::update::move_column(state, delta);
    }
    Outcome::done()
}

/// Selects row `row` of the current tab's list (a click).
pub fn select_row(state: &mut State, row: usize) {
    let page = page_rows(state);
    let (cursor, len) = list_cursor(state);
    cursor.select(row, len, page);
}
