//! Tab 1: the client apps table, with the row actions on the selected or hovered row.

use super::layout::{APP_COLUMNS, row_actions};
use crate::domain::ClientApp;
use crate::tui::kit::columns::{list_area, place_columns};
use crate::tui::kit::table;
use crate::tui::kit::text::{ago, grant_labels, safe, scope_labels, short_date, shorten_middle};
use crate::tui::kit::theme::Theme;
use crate::tui::state::State;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;

pub fn render(state: &State, theme: &Theme, body: Rect, buf: &mut Buffer) -> Option<Position> {
    let list = list_area(body);
    let view = &state.apps;
    let extra = table::count_and_order(
        view.visible.len(),
        view.apps.len(),
        !view.filter.input.value().is_empty(),
        view.sort.label(),
    );
    let cursor = table::frame(&list, "Client apps", &extra, &view.filter, theme, buf);
    let columns = place_columns(&APP_COLUMNS, list.rows.width);
    table::header_row(&columns, &APP_COLUMNS, list.header, theme, buf);
    let empty = table::EmptyStates {
        loading: "Loading apps…",
        none: "No client apps yet. Press n to create one.",
        no_match: "No app matches the filter. Esc clears it.",
    };
    if let Some(message) = empty.message(view.loaded, view.apps.len(), view.visible.len()) {
        table::empty_message(list.rows, message, theme, buf);
        return cursor;
    }
    let actions = row_actions(state, &columns, list.rows.width);
    let (start, end) = view
        .cursor
        .window(view.visible.len(), usize::from(list.rows.height));
    for (i, index) in (start..end).enumerate() {
        let Some(app) = view.row(index) else { break };
        let area = table::row_rect(list.rows, i);
        let selected = index == view.cursor.selected;
        let hovered = view.hovered == Some(index);
        let style = theme.row(selected, hovered);
        // The highlight ends where the row actions end: fewer cells change per move.
        let highlight = match actions.buttons.last() {
            Some((x, w, _)) if selected || hovered => Rect {
                width: (x + w + 1).min(area.width),
                ..area
            },
            _ => area,
        };
        buf.set_style(highlight, style);
        if selected {
            buf.set_stringn(area.x, area.y, "▌", 1, style);
        }
        let shown_columns = if selected || hovered {
            &columns[..actions.kept_columns]
        } else {
            &columns[..]
        };
        for column in shown_columns {
            let text = cell(state, app, column.index, column.width);
            table::put(buf, area, column.x, column.width, &text, style);
        }
        if selected || hovered {
            for ((x, _, _), (key, label)) in actions.buttons.iter().zip(&actions.labels) {
                // Bold in the row's own colours: over SSH a colour switch per key
                // would double the bytes a selection move costs.
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

fn cell(state: &State, app: &ClientApp, column: usize, width: u16) -> String {
    match column {
        0 => safe(&app.name).into_owned(),
        1 => app.platform.label().to_string(),
        2 => shorten_middle(&safe(&app.client_id), usize::from(width)).into_owned(),
        3 => scope_labels(&app.scopes),
        4 => grant_labels(&app.grant_types),
        5 => short_date(app.created_at, state.now),
        _ => ago(state.apps.last_used(&app.client_id), state.now),
    }
}
