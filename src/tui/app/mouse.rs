//! The pointer: what is under it (with the geometry render draws with), hovering and
//! clicking. Only the tabs answer it; a dialog on top keeps it off the rows beneath.

use super::navigation::{go_to_tab, select_row};
use crate::tui::action::{Action, Outcome, Tab};
use crate::tui::geometry::{current_list, frame_area, screen, tab_hits};
use crate::tui::kit::columns::row_at;
use crate::tui::screens::{apps, matrix, users};
use crate::tui::state::{Layer, State};
use ratatui::layout::Position;

/// What is under the mouse pointer.
#[derive(Debug, Clone)]
pub enum Hit {
    Tab(Tab),
    /// A row of the current list, by position in its visible rows.
    Row(usize),
    /// A row action button on that row.
    RowAction(usize, Box<Action>),
    /// A cell of the matrix: row, column.
    Cell(usize, usize),
    Nothing,
}

pub fn hit_test(state: &State, column: u16, row: u16) -> Hit {
    let position = Position::new(column, row);
    let screen = screen(frame_area(state));
    for (rect, tab) in tab_hits(screen.tabs) {
        if rect.contains(position) {
            return Hit::Tab(tab);
        }
    }
    let list = current_list(state);
    if !list.rows.contains(position) {
        return Hit::Nothing;
    }
    let offset = usize::from(row - list.rows.y);
    let x = column - list.rows.x;
    let (cursor, len) = match state.tab {
        Tab::ClientApps => (&state.apps.cursor, state.apps.visible.len()),
        Tab::ScopesAndGrants => (&state.matrix.cursor, state.apps.visible.len()),
        Tab::ActiveTokens => (&state.tokens.cursor, state.tokens.visible.len()),
        Tab::AuditLog => (&state.audit.cursor, state.audit.visible.len()),
        Tab::Users => (&state.users.cursor, state.users.visible.len()),
    };
    let Some(index) = row_at(cursor, len, list.rows.height, offset) else {
        return Hit::Nothing;
    };
    match state.tab {
        Tab::ClientApps => match apps::layout::action_at(state, &list, index, x) {
            Some(action) => Hit::RowAction(index, Box::new(action)),
            None => Hit::Row(index),
        },
        Tab::ScopesAndGrants => match matrix::layout::cell_at(list.rows.width, x) {
            Some(cell) => Hit::Cell(index, cell),
            None => Hit::Row(index),
        },
        Tab::Users => match users::layout::action_at(state, &list, index, x) {
            Some(action) => Hit::RowAction(index, Box::new(action)),
            None => Hit::Row(index),
        },
        Tab::ActiveTokens | Tab::AuditLog => Hit::Row(index),
    }
}

/// Whether the pointer reaches the tab: nothing is open over it.
fn on_tab(state: &State) -> bool {
    matches!(state.layer(), Layer::Tab | Layer::Filter)
}

pub fn hover(state: &mut State, column: u16, row: u16) -> Outcome {
    if on_tab(state) {
        let hovered = match hit_test(state, column, row) {
            Hit::Row(i) | Hit::RowAction(i, _) | Hit::Cell(i, _) => Some(i),
            _ => None,
        };
        match state.tab {
            Tab::ActiveTokens => state.tokens.hovered = hovered,
            Tab::AuditLog => state.audit.hovered = hovered,
            Tab::Users => state.users.hovered = hovered,
            _ => state.apps.hovered = hovered,
        }
    }
    Outcome::done()
}

pub fn click(state: &mut State, column: u16, row: u16) -> Outcome {
    if !on_tab(state) {
        return Outcome::done();
    }
    match hit_test(state, column, row) {
        Hit::Tab(tab) => go_to_tab(state, tab),
        Hit::Row(i) => {
            select_row(state, i);
            Outcome::done()
        }
        Hit::RowAction(i, action) => {
            select_row(state, i);
            Outcome::then(*action)
        }
        Hit::Cell(i, c) => {
            select_row(state, i);
            state.matrix.column = c;
            Outcome::done()
        }
        Hit::Nothing => Outcome::done(),
    }
}
