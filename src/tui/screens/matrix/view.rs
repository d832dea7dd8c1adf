//! Tab 2: apps × scopes and grant types, one checkbox per cell, with a legend.

use super::layout::{matrix_columns, matrix_split};
use crate::domain::rules::{grant_forbidden_reason, scope_forbidden_reason};
use crate::domain::{ClientApp, GrantType, Scope};
use crate::tui::kit::columns::{MARKER, list_area};
use crate::tui::kit::table;
use crate::tui::kit::text::{fit, safe, truncate};
use crate::tui::kit::theme::Theme;
use crate::tui::state::State;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

const HEADERS: [&str; 9] = [
    "Mon", "Mgt", "Ctl", "RT", "code", "client", "refresh", "implicit", "device",
];

/// Whether the app has the scope or grant of `column`, and why it may not, if so.
fn cell_state(app: &ClientApp, column: usize) -> (bool, Option<&'static str>) {
    match Scope::ALL.get(column) {
        Some(&scope) => (
            app.has_scope(scope),
            scope_forbidden_reason(app.platform, scope),
        ),
        None => {
            let grant = GrantType::ALL[(column - Scope::ALL.len()).min(GrantType::ALL.len() - 1)];
            (
                app.has_grant(grant),
                grant_forbidden_reason(app.platform, grant),
            )
        }
    }
}

fn centered(text: &str, width: u16) -> String {
    let w = usize::from(width);
    let left = w.saturating_sub(text.chars().count()) / 2;
    fit(&format!("{}{text}", " ".repeat(left)), w)
}

pub fn render(state: &State, theme: &Theme, body: Rect, buf: &mut Buffer) -> Option<Position> {
    let (table_area, legend) = matrix_split(body);
    let list = list_area(table_area);
    let view = &state.apps;
    let extra = format!(
        "{} apps · space toggles, saved at once ",
        view.visible.len()
    );
    let cursor = table::frame(&list, "Scopes & grants", &extra, &view.filter, theme, buf);
    let (name_w, cells) = matrix_columns(list.rows.width);
    table::put(buf, list.header, MARKER, name_w, "App", theme.header);
    let mut x = MARKER + name_w + 1;
    for (i, w) in cells.iter().enumerate() {
        let style = if i == state.matrix.column {
            theme.title
        } else {
            theme.header
        };
        table::put(buf, list.header, x, *w, &centered(HEADERS[i], *w), style);
        x += w;
    }
    if !view.loaded {
        table::empty_message(list.rows, "Loading apps…", theme, buf);
    } else if view.visible.is_empty() {
        table::empty_message(list.rows, "No apps to show.", theme, buf);
    }
    let (start, end) = state
        .matrix
        .cursor
        .window(view.visible.len(), usize::from(list.rows.height));
    for (i, index) in (start..end).enumerate() {
        let Some(app) = view.row(index) else { break };
        let area = table::row_rect(list.rows, i);
        let selected = index == state.matrix.cursor.selected;
        let style = if selected { theme.header } else { theme.base };
        if selected {
            buf.set_stringn(area.x, area.y, "▌", 1, theme.title);
        }
        table::put(buf, area, MARKER, name_w, &safe(&app.name), style);
        let mut x = MARKER + name_w + 1;
        for (column, w) in cells.iter().enumerate() {
            let (on, forbidden) = cell_state(app, column);
            let mark = match (forbidden, on) {
                (Some(_), false) => " · ",
                (_, true) => "[x]",
                (None, false) => "[ ]",
            };
            let cell_style = if selected && column == state.matrix.column {
                theme.focus
            } else if forbidden.is_some() {
                theme.dim
            } else if on {
                theme.ok
            } else {
                style
            };
            table::put(buf, area, x, *w, &centered(mark, *w), cell_style);
            x += w;
        }
    }
    render_legend(state, theme, legend, buf);
    cursor
}

fn render_legend(state: &State, theme: &Theme, area: Rect, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    let column = state.matrix.column;
    let focused_app = state.apps.row(state.matrix.cursor.selected);
    // Status line: why the cell under the cursor is greyed, else what it means.
    let status = match focused_app.map(|app| cell_state(app, column)) {
        Some((_, Some(reason))) => Line::from(vec![
            Span::styled(" ⚠ ", theme.warn),
            Span::styled(reason, theme.warn),
        ]),
        _ => Line::from(vec![
            Span::styled(format!(" {} ", HEADERS[column]), theme.key),
            Span::raw(format!("{}: {}", label(column), description(column))),
        ]),
    };
    let width = area.width;
    buf.set_line(area.x, area.y, &status, width);
    if area.height < 4 {
        return;
    }
    for (i, y) in (0..HEADERS.len()).zip(area.y + 2..area.bottom()) {
        let text = format!("{:<20}{}", label(i), description(i));
        let line = Line::from(vec![
            Span::styled(format!(" {:<9}", HEADERS[i]), theme.key),
            Span::styled(
                truncate(&text, usize::from(width).saturating_sub(11)).into_owned(),
                theme.dim,
            ),
        ]);
        buf.set_line(area.x, y, &line, width);
    }
}

fn label(column: usize) -> &'static str {
    match Scope::ALL.get(column) {
        Some(scope) => scope.label(),
        None => GrantType::ALL[(column - Scope::ALL.len()).min(4)].label(),
    }
}

fn description(column: usize) -> &'static str {
    match Scope::ALL.get(column) {
        Some(scope) => scope.description(),
        None => GrantType::ALL[(column - Scope::ALL.len()).min(4)].description(),
    }
}
