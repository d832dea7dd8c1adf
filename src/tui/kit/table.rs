//! Drawing pieces shared by the tables: the framed block with its title and filter
//! line, the header row, cells, and the empty-state message.

use super::columns::{ColumnSpec, ListArea, Placed};
use super::filter::FilterLine;
use super::text::{fit, safe, width};
use super::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

/// Draws the frame with `title` on the left and the filter line on the right; returns
/// where the terminal cursor goes while the filter is typed into.
pub fn frame(
    list: &ListArea,
    title: &str,
    extra: &str,
    filter: &FilterLine,
    theme: &Theme,
    buf: &mut Buffer,
) -> Option<Position> {
    if list.block.height < 2 || list.block.width < 2 {
        return None;
    }
    let block = Block::bordered()
        .border_style(theme.border)
        .title(Line::from(vec![
            Span::styled(format!(" {title} "), theme.title),
            Span::styled(extra.to_string(), theme.dim),
        ]));
    block.render(list.block, buf);
    let value = filter.input.value();
    let shown = if filter.is_active() {
        format!(" / {} ", safe(value))
    } else {
        " / filter ".to_string()
    };
    let w = width(&shown) as u16;
    let x = list.block.right().saturating_sub(w + 2);
    if x <= list.block.x + 2 {
        return None;
    }
    let style = if filter.editing {
        theme.focus
    } else {
        theme.dim
    };
    buf.set_stringn(x, list.block.y, &shown, usize::from(w), style);
    filter
        .editing
        .then(|| Position::new(x + 3 + filter.input.visual_cursor() as u16, list.block.y))
}

pub fn header_row(
    columns: &[Placed],
    specs: &[ColumnSpec],
    area: Rect,
    theme: &Theme,
    buf: &mut Buffer,
) {
    for column in columns {
        let title = specs[column.index].title;
        put(buf, area, column.x, column.width, title, theme.header);
    }
}

/// Writes `text` fitted to `cols` columns at `x` (relative to `area`) on its row.
pub fn put(
    buf: &mut Buffer,
    area: Rect,
    x: u16,
    cols: u16,
    text: &str,
    style: ratatui::style::Style,
) {
    if x >= area.width || area.height == 0 {
        return;
    }
    let cols = cols.min(area.width - x);
    buf.set_stringn(
        area.x + x,
        area.y,
        fit(text, usize::from(cols)),
        usize::from(cols),
        style,
    );
}

/// The title's count and order: "9 · sorted by name ", or "3 of 9 · …" while a filter
/// hides rows.
pub fn count_and_order(visible: usize, total: usize, filtered: bool, order: &str) -> String {
    if filtered {
        format!("{visible} of {total} · sorted by {order} ")
    } else {
        format!("{total} · sorted by {order} ")
    }
}

/// What a list says instead of rows while it loads, when it has none, and when the
/// filter hides them all.
pub struct EmptyStates<'a> {
    pub loading: &'a str,
    pub none: &'a str,
    pub no_match: &'a str,
}

impl<'a> EmptyStates<'a> {
    /// The sentence to show, or `None` when there are rows to draw.
    pub fn message(&self, loaded: bool, total: usize, visible: usize) -> Option<&'a str> {
        if !loaded {
            Some(self.loading)
        } else if total == 0 {
            Some(self.none)
        } else if visible == 0 {
            Some(self.no_match)
        } else {
            None
        }
    }
}

/// A one-line message in the middle of an empty list.
pub fn empty_message(area: Rect, message: &str, theme: &Theme, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    let w = (width(message) as u16).min(area.width);
    let x = area.x + (area.width - w) / 2;
    let y = area.y + area.height.saturating_sub(1) / 3;
    buf.set_stringn(x, y, message, usize::from(w), theme.dim);
}

/// One row's rectangle inside the rows area.
pub fn row_rect(rows: Rect, i: usize) -> Rect {
    Rect::new(rows.x, rows.y + i as u16, rows.width, 1)
}
