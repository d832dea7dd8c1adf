//! Tab 3: issued tokens, with a live countdown to expiry.

use super::layout::TOKEN_COLUMNS;
use crate::domain::{TokenRecord, TokenStatus};
use crate::tui::kit::columns::{list_area, place_columns};
use crate::tui::kit::table;
use crate::tui::kit::text::{countdown, date_time, safe, scope_labels};
use crate::tui::kit::theme::Theme;
use crate::tui::state::State;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

pub fn render(state: &State, theme: &Theme, body: Rect, buf: &mut Buffer) -> Option<Position> {
    let list = list_area(body);
    let view = &state.tokens;
    let active = view
        .visible
        .iter()
        .filter(|&&i| view.tokens[i].is_active(state.now))
        .count();
    let extra = format!("{} · {active} active ", view.visible.len());
    let title = match &view.subject {
        Some(subject) => format!("Active tokens of user {}", safe(subject)),
        None => "Active tokens".to_string(),
    };
    let cursor = table::frame(&list, &title, &extra, &view.filter, theme, buf);
    let columns = place_columns(&TOKEN_COLUMNS, list.rows.width);
    table::header_row(&columns, &TOKEN_COLUMNS, list.header, theme, buf);

    let empty = table::EmptyStates {
        loading: "Loading tokens…",
        none: "No tokens issued yet.",
        no_match: "No token matches the filter. Esc clears it.",
    };
    let holds_none = view.loaded
        && view.visible.is_empty()
        && view.subject.is_some()
        && view.filter.input.value().is_empty();
    let message = if holds_none {
        Some("This user holds no tokens. Esc shows everyone's.")
    } else {
        empty.message(view.loaded, view.tokens.len(), view.visible.len())
    };
    if let Some(message) = message {
        table::empty_message(list.rows, message, theme, buf);
        return cursor;
    }
    let (start, end) = view
        .cursor
        .window(view.visible.len(), usize::from(list.rows.height));
    for (i, index) in (start..end).enumerate() {
        let Some(token) = view.row(index) else { break };
        let area = table::row_rect(list.rows, i);
        let selected = index == view.cursor.selected;
        let row_style = theme.row(selected, view.hovered == Some(index));
        buf.set_style(area, row_style);
        if selected {
            buf.set_stringn(area.x, area.y, "▌", 1, row_style);
        }
        let status = token.status(state.now);
        for column in &columns {
            let text = cell(state, token, status, column.index);
            let style = match (column.index, status, selected) {
                (7, TokenStatus::Active, false) => theme.ok,
                (7, TokenStatus::Revoked, false) => theme.error,
                (_, TokenStatus::Expired | TokenStatus::Revoked, false) => theme.dim,
                _ => row_style,
            };
            table::put(buf, area, column.x, column.width, &text, style);
        }
    }
    cursor
}

fn cell(state: &State, token: &TokenRecord, status: TokenStatus, column: usize) -> String {
    match column {
        0 => match state.apps.get(&token.client_id) {
            Some(app) => safe(&app.name).into_owned(),
            None => safe(&token.client_id).into_owned(),
        },
        1 => token.kind.as_str().to_string(),
        2 => token.grant.short_label().to_string(),
        3 => scope_labels(&token.scopes),
        4 => safe(&token.subject).into_owned(),
        5 => date_time(token.issued_at),
        6 => match status {
            TokenStatus::Active => countdown(token.expires_at - state.now),
            _ => "—".to_string(),
        },
        _ => match status {
            TokenStatus::Active => "active",
            TokenStatus::Expired => "expired",
            TokenStatus::Revoked => "revoked",
        }
        .to_string(),
    }
}
