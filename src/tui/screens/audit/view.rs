//! Tab 4, the audit log: when, who, what, on what, and what changed; `Enter` opens a
//! record's full before/after (sanitised) in a dialog.

use super::state::{pretty, summary};
use crate::tui::kit::columns::{ColumnSpec, list_area, place_columns};
use crate::tui::kit::dialog::centered;
use crate::tui::kit::table;
use crate::tui::kit::text::{date_time, full_date_time, safe, shorten_middle, width};
use crate::tui::kit::theme::Theme;
use crate::tui::state::State;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

const AUDIT_COLUMNS: [ColumnSpec; 5] = [
    ColumnSpec {
        title: "When",
        min: 12,
        max: 12,
        drop_rank: 0,
    },
    ColumnSpec {
        title: "Who",
        min: 8,
        max: 12,
        drop_rank: 1,
    },
    ColumnSpec {
        title: "Action",
        min: 12,
        max: 18,
        drop_rank: 0,
    },
    ColumnSpec {
        title: "Change",
        min: 12,
        max: 44,
        drop_rank: 0,
    },
    // Dropped first: the change summary usually names the app.
    ColumnSpec {
        title: "Target",
        min: 26,
        max: 44,
        drop_rank: 2,
    },
];

pub fn render(state: &State, theme: &Theme, body: Rect, buf: &mut Buffer) -> Option<Position> {
    let list = list_area(body);
    let view = &state.audit;
    let more = if view.next_cursor.is_some() {
        " · more below"
    } else {
        ""
    };
    let extra = format!("{}{more} ", view.visible.len());
    let cursor = table::frame(&list, "Audit log", &extra, &view.filter, theme, buf);
    let columns = place_columns(&AUDIT_COLUMNS, list.rows.width);
    table::header_row(&columns, &AUDIT_COLUMNS, list.header, theme, buf);
    if !view.loaded {
        let message = match &view.error {
            Some(error) => format!("Could not load the audit log: {}", safe(error)),
            None => "Loading the audit log…".to_string(),
        };
        table::empty_message(list.rows, &message, theme, buf);
        return cursor;
    }
    if view.records.is_empty() {
        table::empty_message(list.rows, "Nothing has been changed yet.", theme, buf);
        return cursor;
    }
    if view.visible.is_empty() {
        let message = "No record matches the filter. Esc clears it.";
        table::empty_message(list.rows, message, theme, buf);
        return cursor;
    }
    let (start, end) = view
        .cursor
        .window(view.visible.len(), usize::from(list.rows.height));
    for (i, index) in (start..end).enumerate() {
        let Some(record) = view.row(index) else { break };
        let area = table::row_rect(list.rows, i);
        let selected = index == view.cursor.selected;
        let style = theme.row(selected, view.hovered == Some(index));
        buf.set_style(area, style);
        if selected {
            buf.set_stringn(area.x, area.y, "▌", 1, style);
        }
        for column in &columns {
            let text = match column.index {
                0 => date_time(record.at),
                1 => safe(&record.actor).into_owned(),
                2 => safe(&record.action).into_owned(),
                3 => safe(&summary(record)).into_owned(),
                _ => shorten_middle(&safe(&record.target), usize::from(column.width)).into_owned(),
            };
            let cell_style = match (column.index, selected) {
                (0, false) => theme.dim,
                _ => style,
            };
            table::put(buf, area, column.x, column.width, &text, cell_style);
        }
    }
    cursor
}

/// The dialog with the selected record in full.
pub fn render_record(state: &State, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let Some(record) = state.audit.selected() else {
        return;
    };
    let before = pretty(record.before.as_ref());
    let after = pretty(record.after.as_ref());
    let dialog_w = area.width.saturating_sub(4).min(100);
    // Each side gets half the inside; long lines wrap there.
    let side_w = usize::from(dialog_w.saturating_sub(5) / 2).max(1);
    // Word wrapping may need a row more than the characters alone.
    let rows = |json: &str| -> usize {
        json.lines()
            .map(|l| match width(l) {
                w if w <= side_w => 1,
                w => w.div_ceil(side_w) + 1,
            })
            .sum()
    };
    let json_rows = rows(&before).max(rows(&after)) as u16;
    // Four fields, a blank line, the titles, the JSON, the frame.
    let rect = centered(area, dialog_w, json_rows + 8);
    Clear.render(rect, buf);
    let title = format!(" {} ", safe(&record.action));
    let block = Block::bordered()
        .border_style(theme.title)
        .title(Span::styled(title, theme.title))
        .title_bottom(Line::from(vec![
            Span::styled(" Esc", theme.key),
            Span::raw(" close "),
        ]));
    let inner = block.inner(rect);
    block.render(rect, buf);
    let row = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{label:<8}"), theme.dim),
            Span::raw(value),
        ])
    };
    let mut lines = vec![
        row("When", full_date_time(record.at)),
        row("Who", safe(&record.actor).into_owned()),
        row("Target", safe(&record.target).into_owned()),
        row("Change", safe(&summary(record)).into_owned()),
    ];
    let half = inner.width.saturating_sub(3) / 2;
    let head = lines.len() as u16 + 1;
    let text_area = Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(2),
        inner.height,
    );
    lines.push(Line::default());
    Paragraph::new(lines).render(text_area, buf);
    if inner.height <= head + 1 {
        return;
    }
    let sides = [("Before", before, 0), ("After", after, half + 1)];
    for (title, json, dx) in sides {
        let x = text_area.x + dx;
        let column = Rect::new(x, inner.y + head, half, inner.height - head);
        let mut json_lines = vec![Line::from(Span::styled(title, theme.header))];
        json_lines.extend(json.lines().map(|l| Line::from(safe(l).into_owned())));
        Paragraph::new(json_lines)
            .wrap(Wrap { trim: false })
            .render(column, buf);
    }
}
