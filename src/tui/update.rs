//! `update(&mut State, Action) -> Vec<Command>`: the only place the state changes. No
//! I/O here: what needs the outside world comes back as a `Command`.

use super::action::{Action, Command, Tab};
use super::cursor::Cursor;
use super::form::FormState;
use super::layout::{self, Hit};
use super::state::{LoadKind, MATRIX_COLUMNS, Modal, Pending, Secret, State, ToastKind};
use super::{edits, operator, palette, replies, token_flow};
use crate::api::TokenFilter;
use crate::worker::WorkerRequest;
use ratatui::crossterm::event::Event;
use tui_input::backend::crossterm::to_input_request;

/// The first requests: who we are and the apps.
pub fn start(state: &mut State) -> Vec<Command> {
    vec![
        state
            .requests
            .send(WorkerRequest::WhoAmI, Pending::Load(LoadKind::WhoAmI)),
        load_apps(state),
    ]
}

pub fn load_apps(state: &mut State) -> Command {
    state
        .requests
        .send(WorkerRequest::LoadApps, Pending::Load(LoadKind::Apps))
}

pub fn load_tokens(state: &mut State) -> Command {
    let filter = TokenFilter {
        client_id: None,
        active_only: false,
        limit: Some(1000),
        cursor: None,
    };
    state.requests.send(
        WorkerRequest::LoadTokens(filter),
        Pending::Load(LoadKind::Tokens),
    )
}

pub fn load_details(state: &mut State, client_id: &str) -> Command {
    state.requests.send(
        WorkerRequest::LoadAppDetails {
            client_id: client_id.to_string(),
        },
        Pending::Load(LoadKind::Details),
    )
}

pub fn update(state: &mut State, action: Action) -> Vec<Command> {
    // Operator features: read-only mode refuses every writing action, however
    // it was invoked (key, mouse, palette).
    if operator::refused(state, &action) {
        return Vec::new();
    }
    // Token flows: their dialogs take typing, Esc and the pointer first.
    if let Some(commands) = token_flow::intercept(state, &action) {
        return commands;
    }
    match action {
        Action::OpenPalette
        | Action::PaletteRun
        | Action::EndSelectedSecretGrace
        | Action::EndSecretGrace { .. }
        | Action::OpenAuditRecord => operator::update(state, action),
        Action::Quit => {
            state.quit = true;
            vec![Command::Quit]
        }
        Action::Tick { now } => {
            state.now = now;
            state.ticks = state.ticks.wrapping_add(1);
            if state.toast.as_ref().is_some_and(|t| now >= t.expires_at) {
                state.toast = None;
            }
            Vec::new()
        }
        Action::Resize { width, height } => {
            state.width = width;
            state.height = height;
            keep_cursors_visible(state);
            Vec::new()
        }
        Action::ToggleHelp => {
            state.help_open = !state.help_open;
            Vec::new()
        }
        Action::Back => back(state),
        Action::NextTab => switch_tab(state, 1),
        Action::PrevTab => switch_tab(state, -1),
        Action::GoToTab(tab) => go_to_tab(state, tab),
        Action::Refresh => {
            let mut commands = vec![load_apps(state)];
            if state.tab == Tab::ActiveTokens {
                commands.push(load_tokens(state));
            }
            if state.tab == Tab::AuditLog {
                commands.extend(operator::load_audit(state, false));
            }
            commands
        }
        Action::MoveUp => move_rows(state, -1),
        Action::MoveDown => move_rows(state, 1),
        Action::ScrollUp => move_rows(state, -3),
        Action::ScrollDown => move_rows(state, 3),
        Action::PageUp => move_rows(state, -(layout::page_rows(state) as isize)),
        Action::PageDown => move_rows(state, layout::page_rows(state) as isize),
        Action::First => move_rows(state, isize::MIN / 2),
        Action::Last => move_rows(state, isize::MAX / 2),
        Action::MoveLeft => move_sideways(state, -1),
        Action::MoveRight => move_sideways(state, 1),
        Action::StartFilter => {
            match state.tab {
                Tab::ActiveTokens => state.tokens.filter.editing = true,
                Tab::AuditLog => state.audit.filter.editing = true,
                _ => state.apps.filter.editing = true,
            }
            Vec::new()
        }
        Action::AcceptFilter => {
            state.apps.filter.editing = false;
            state.tokens.filter.editing = false;
            state.audit.filter.editing = false;
            Vec::new()
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
            Vec::new()
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
            Vec::new()
        }
        Action::NewApp => {
            if refuse_when_read_only(state) {
                return Vec::new();
            }
            state.form = Some(FormState::new_app());
            Vec::new()
        }
        Action::EditSelected => {
            if refuse_when_read_only(state) {
                return Vec::new();
            }
            if let Some(app) = target_app_id(state).and_then(|id| state.apps.get(&id)) {
                state.form = Some(FormState::edit(app));
                state.modal = None;
            }
            Vec::new()
        }
        Action::DeleteSelected => match target_app_id(state) {
            Some(client_id) => update(
                state,
                Action::Confirm(Box::new(Action::DeleteApp { client_id })),
            ),
            None => Vec::new(),
        },
        Action::RotateSelectedSecret => edits::ask_rotate_secret(state),
        Action::CopySelectedId => match target_app_id(state) {
            Some(client_id) => vec![Command::CopyToClipboard {
                text: client_id,
                what: "Client ID".into(),
            }],
            None => Vec::new(),
        },
        Action::OpenDetails => match target_app_id(state) {
            Some(client_id) => {
                let command = load_details(state, &client_id);
                state.modal = Some(Modal::Details {
                    client_id,
                    details: None,
                });
                vec![command]
            }
            None => Vec::new(),
        },
        Action::CycleSort => {
            state.apps.sort = state.apps.sort.next();
            state.apps.rebuild_index();
            keep_cursors_visible(state);
            Vec::new()
        }
        Action::ToggleCell => edits::toggle_matrix_cell(state),
        Action::RevokeSelectedToken => match state.tokens.selected() {
            Some(token) if token.is_active(state.now) => {
                let token_id = token.id.clone();
                update(
                    state,
                    Action::Confirm(Box::new(Action::RevokeToken { token_id })),
                )
            }
            Some(_) => {
                state.toast(ToastKind::Error, "That token is no longer active");
                Vec::new()
            }
            None => Vec::new(),
        },
        Action::RevokeSelectedAppTokens => match state.tokens.selected() {
            Some(token) => {
                let client_id = token.client_id.clone();
                update(
                    state,
                    Action::Confirm(Box::new(Action::RevokeAppTokens { client_id })),
                )
            }
            None => Vec::new(),
        },
        Action::Confirm(action) => edits::open_confirm(state, *action),
        Action::Confirmed => match state.modal.take() {
            Some(Modal::Confirm { action, .. }) => update(state, *action),
            other => {
                state.modal = other;
                Vec::new()
            }
        },
        Action::DeleteApp { client_id } => edits::send_write(
            state,
            WorkerRequest::DeleteApp { client_id },
            Pending::Delete,
        ),
        Action::RotateSecret { client_id } => edits::send_write(
            state,
            WorkerRequest::RotateSecret { client_id },
            Pending::RotateSecret,
        ),
        Action::RevokeToken { token_id } => edits::send_write(
            state,
            WorkerRequest::RevokeToken { token_id },
            Pending::Revoke,
        ),
        Action::RevokeAppTokens { client_id } => edits::send_write(
            state,
            WorkerRequest::RevokeAppTokens { client_id },
            Pending::Revoke,
        ),
        Action::DiscardForm => {
            state.form = None;
            Vec::new()
        }
        Action::CopySecretModalId | Action::CopySecretModalSecret => {
            let Some(Modal::Secret {
                client_id, secret, ..
            }) = &state.modal
            else {
                return Vec::new();
            };
            let (text, what) = if matches!(action, Action::CopySecretModalId) {
                (client_id.clone(), "Client ID")
            } else {
                (secret.expose().to_string(), "Client secret")
            };
            vec![Command::CopyToClipboard {
                text,
                what: what.into(),
            }]
        }
        Action::FormNext
        | Action::FormPrev
        | Action::FormActivate
        | Action::FormToggle
        | Action::FormSave
        | Action::FormRemoveUrl => edits::form_action(state, action),
        Action::MouseMoved { column, row } => {
            if state.modal.is_none() && state.form.is_none() && !state.help_open {
                let hovered = match layout::hit_test(state, column, row) {
                    Hit::Row(i) | Hit::RowAction(i, _) | Hit::Cell(i, _) => Some(i),
                    _ => None,
                };
                match state.tab {
                    Tab::ActiveTokens => state.tokens.hovered = hovered,
                    Tab::AuditLog => state.audit.hovered = hovered,
                    _ => state.apps.hovered = hovered,
                }
            }
            Vec::new()
        }
        Action::MouseClicked { column, row } => click(state, column, row),
        Action::Clipboard(outcome) => {
            match outcome.result {
                Ok(how) => state.toast(
                    ToastKind::Success,
                    format!("✓ {} copied ({how})", outcome.what),
                ),
                Err(why) => state.toast(
                    ToastKind::Error,
                    format!("✗ {} not copied: {why}", outcome.what),
                ),
            }
            Vec::new()
        }
        Action::WorkerReply(id, reply) => replies::apply(state, id, reply),
        Action::Flow(action) => token_flow::update(state, action),
    }
}

/// The app the app-level keys act on: the one in the details dialog, else the
/// selected row of the current tab.
fn target_app_id(state: &State) -> Option<String> {
    if let Some(Modal::Details { client_id, .. }) = &state.modal {
        return Some(client_id.clone());
    }
    let app = match state.tab {
        Tab::ClientApps => state.apps.selected(),
        Tab::ScopesAndGrants => state.apps.row(state.matrix.cursor.selected),
        Tab::ActiveTokens => state
            .tokens
            .selected()
            .and_then(|t| state.apps.get(&t.client_id)),
        Tab::AuditLog => None,
    };
    app.map(|a| a.client_id.clone())
}

pub fn refuse_when_read_only(state: &mut State) -> bool {
    if state.read_only {
        let why = if state.read_only_by_choice {
            "Read-only mode: changes are turned off (--read-only, config or profile)"
        } else {
            "This admin key is read-only"
        };
        state.toast(ToastKind::Error, why);
    }
    state.read_only
}

fn back(state: &mut State) -> Vec<Command> {
    if state.help_open {
        state.help_open = false;
    } else if state.palette.take().is_some() {
        // The palette closed without running anything.
    } else if state.audit.record_open {
        state.audit.record_open = false;
    } else if let Some(modal) = state.modal.take() {
        // Leaving a dialog; the secret modal's secret is dropped right here.
        drop(modal);
    } else if let Some(form) = &state.form {
        if form.is_dirty() {
            return update(state, Action::Confirm(Box::new(Action::DiscardForm)));
        }
        state.form = None;
    } else if state.tab == Tab::AuditLog {
        state.audit.filter.editing = false;
        if !state.audit.filter.input.value().is_empty() {
            state.audit.filter.input.reset();
            state.audit.refilter();
            keep_cursors_visible(state);
        }
    } else {
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
    }
    Vec::new()
}

/// Applies `edit` to the filter line being typed into, then re-filters.
fn edit_text(state: &mut State, edit: impl FnOnce(&mut tui_input::Input)) {
    if let Some(open) = &mut state.palette {
        edit(&mut open.input);
        palette::edited(state);
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
    if state.tab == Tab::ActiveTokens && state.tokens.filter.editing {
        edit(&mut state.tokens.filter.input);
        state.tokens.rebuild_index(&state.apps);
        state.tokens.cursor.first();
    } else if state.tab != Tab::ActiveTokens && state.apps.filter.editing {
        edit(&mut state.apps.filter.input);
        state.apps.refilter();
        state.apps.cursor.first();
        state.matrix.cursor.first();
    }
}

fn go_to_tab(state: &mut State, tab: Tab) -> Vec<Command> {
    let entering = state.tab != tab;
    state.tab = tab;
    state.apps.hovered = None;
    state.tokens.hovered = None;
    keep_cursors_visible(state);
    if entering && tab == Tab::ActiveTokens {
        return vec![load_tokens(state)];
    }
    if entering && tab == Tab::AuditLog {
        return operator::load_audit(state, false).into_iter().collect();
    }
    Vec::new()
}

fn switch_tab(state: &mut State, delta: isize) -> Vec<Command> {
    let at = Tab::ALL.iter().position(|t| *t == state.tab).unwrap_or(0) as isize;
    let next = (at + delta).rem_euclid(Tab::ALL.len() as isize) as usize;
    go_to_tab(state, Tab::ALL[next])
}

/// The current tab's list cursor and how many rows that list shows.
fn list_cursor(state: &mut State) -> (&mut Cursor, usize) {
    match state.tab {
        Tab::ClientApps => (&mut state.apps.cursor, state.apps.visible.len()),
        Tab::ScopesAndGrants => (&mut state.matrix.cursor, state.apps.visible.len()),
        Tab::ActiveTokens => (&mut state.tokens.cursor, state.tokens.visible.len()),
        Tab::AuditLog => (&mut state.audit.cursor, state.audit.visible.len()),
    }
}

pub fn keep_cursors_visible(state: &mut State) {
    let page = layout::page_rows(state);
    let (cursor, len) = list_cursor(state);
    cursor.keep_visible(len, page);
}

fn move_rows(state: &mut State, delta: isize) -> Vec<Command> {
    if state.palette.is_some() {
        palette::move_selection(state, delta.signum());
        return Vec::new();
    }
    if state.help_open || state.modal.is_some() || state.audit.record_open {
        return Vec::new();
    }
    if let Some(form) = &mut state.form {
        form.move_focus(delta.signum());
        return Vec::new();
    }
    let page = layout::page_rows(state);
    let (cursor, len) = list_cursor(state);
    cursor.move_by(delta, len, page);
    operator::after_move(state)
}

fn move_sideways(state: &mut State, delta: isize) -> Vec<Command> {
    if let Some(form) = &mut state.form {
        if form.focus == super::form::FormFocus::Platform {
            form.cycle_platform(delta);
        }
    } else if state.tab == Tab::ScopesAndGrants {
        let column = state.matrix.column as isize + delta;
        state.matrix.column = column.clamp(0, MATRIX_COLUMNS as isize - 1) as usize;
    }
    Vec::new()
}

fn click(state: &mut State, column: u16, row: u16) -> Vec<Command> {
    if state.modal.is_some() || state.form.is_some() || state.help_open {
        return Vec::new();
    }
    if state.palette.is_some() || state.audit.record_open {
        return Vec::new();
    }
    let page = layout::page_rows(state);
    match layout::hit_test(state, column, row) {
        Hit::Tab(tab) => go_to_tab(state, tab),
        Hit::Row(i) => {
            select_row(state, i, page);
            Vec::new()
        }
        Hit::RowAction(i, action) => {
            select_row(state, i, page);
            update(state, action)
        }
        Hit::Cell(i, c) => {
            select_row(state, i, page);
            state.matrix.column = c;
            Vec::new()
        }
        Hit::Nothing => Vec::new(),
    }
}

fn select_row(state: &mut State, row: usize, page: usize) {
    let (cursor, len) = list_cursor(state);
    cursor.select(row, len, page);
}

/// Holds a new secret for the modal; kept here so `replies` need not know `Secret`.
pub fn show_secret(
    state: &mut State,
    client_id: String,
    app_name: String,
    secret: String,
    rotated: bool,
) {
    state.modal = Some(Modal::Secret {
        client_id,
        app_name,
        secret: Secret::new(secret),
        rotated,
    });
}
