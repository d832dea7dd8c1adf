//! Tab 5: the users table, with the row actions on the selected or hovered row.

use super::layout::{USER_COLUMNS, row_actions};
use crate::domain::UserSummary;
use crate::tui::kit::columns::{list_area, place_columns};
use crate::tui::kit::table;
use crate::tui::kit::text::{ago, safe};
use crate::tui::kit::theme::Theme;
use crate::tui::state::State;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;

pub fn render(state: &State, theme: &Theme, body: Rect, buf: &mut Buffer) -> Option<Position> {
    let list = list_area(body);
    let view = &state.users;
    let extra = table::count_and_order(
        view.visible.len(),
        view.users.len(),
        !view.filter.input.value().is_empty(),
        view.sort.label(),
    );
    let cursor = table::frame(&list, "Users", &extra, &view.filter, theme, buf);
    let columns = place_columns(&USER_COLUMNS, list.rows.width);
    table::header_row(&columns, &USER_COLUMNS, list.header, theme, buf);
    let empty = table::EmptyStates {
        loading: "Loading users…",
        none: "No users yet: add one with `oauth-console users add`.",
        no_match: "No user matches the filter. Esc clears it.",
    };
    if let Some(message) = empty.message(view.loaded, view.users.len(), view.visible.len()) {
        table::empty_message(list.rows, message, theme, buf);
        return cursor;
    }
    let (start, end) = view
        .cursor
        .window(view.visible.len(), usize::from(list.rows.height));
    for (i, index) in (start..end).enumerate() {
        let Some(user) = view.row(index) else { break };
        let area = table::row_rect(list.rows, i);
        let selected = index == view.cursor.selected;
        let hovered = view.hovered == Some(index);
        let style = theme.row(selected, hovered);
        let actions =
            (selected || hovered).then(|| row_actions(state, user, &columns, list.rows.width));
        // The highlight ends where the row actions end: fewer cells change per move.
        let highlight = match actions.as_ref().and_then(|a| a.buttons.last()) {
            Some((x, w, _)) => Rect {
                width: (x + w + 1).min(area.width),
                ..area
            },
            None => area,
        };
        buf.set_style(highlight, style);
        if selected {
            buf.set_stringn(area.x, area.y, "▌", 1, style);
        }
        let kept = actions.as_ref().map_or(columns.len(), |a| a.kept_columns);
        for column in &columns[..kept] {
            let text = cell(user, column.index, state.now);
            let cell_style = match (column.index, user.disabled, selected || hovered) {
                (1, true, false) => theme.error,
                (1, false, false) => theme.ok,
                (_, true, false) => theme.dim,
                _ => style,
            };
            table::put(buf, area, column.x, column.width, &text, cell_style);
        }
        if let Some(actions) = actions {
            for ((x, _, _), (key, label)) in actions.buttons.iter().zip(&actions.labels) {
                let key_style = style.add_modifier(Modifier::BOLD);
                let key_w = key.chars().count() as u16;
                table::put(buf, area, *x, key_w, key, key_style);
                let w = label.chars().count() as u16;
                table::put(buf, area, x + key_w + 1, w, label, style);
            }
        }
    }
    cursor
}

fn cell(user: &UserSummary, column: usize, now: i64) -> String {
    match column {
        0 => safe(&user.username).into_owned(),
        1 => if user.disabled { "disabled" } else { "active" }.to_string(),
        2 => ago(user.last_sign_in, now),
        3 => user.active_tokens.to_string(),
        _ => user.authorised_apps.to_string(),
    }
}
