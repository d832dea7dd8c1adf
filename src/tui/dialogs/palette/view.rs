//! The `:` command palette: a prompt and the matching actions with their keys.

use super::update::entries;
use crate::tui::kit::dialog::centered;
use crate::tui::kit::text::{safe, truncate, width};
use crate::tui::kit::theme::Theme;
use crate::tui::state::State;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

/// Draws the palette; returns where the terminal cursor goes (the prompt).
pub fn render(state: &State, theme: &Theme, area: Rect, buf: &mut Buffer) -> Option<Position> {
    let palette = state.palette.as_ref()?;
    let shown = entries(state);
    let height = (shown.len() as u16 + 4).clamp(6, area.height.saturating_sub(2).max(6));
    let rect = centered(area, area.width.saturating_sub(8).min(64), height);
    Clear.render(rect, buf);
    let block = Block::bordered()
        .border_style(theme.title)
        .title(Span::styled(" Command palette ", theme.title));
    let inner = block.inner(rect);
    block.render(rect, buf);
    if inner.height < 2 || inner.width < 4 {
        return None;
    }
    let typed = safe(palette.input.value()).into_owned();
    buf.set_line(
        inner.x + 1,
        inner.y,
        &Line::from(vec![Span::styled(": ", theme.key), Span::raw(typed)]),
        inner.width - 1,
    );
    let rows = usize::from(inner.height - 2);
    if shown.is_empty() {
        buf.set_stringn(
            inner.x + 1,
            inner.y + 2,
            "No action matches.",
            usize::from(inner.width - 1),
            theme.dim,
        );
    }
    let first = palette.selected.saturating_sub(rows.saturating_sub(1));
    for (i, entry) in shown.iter().enumerate().skip(first).take(rows) {
        let y = inner.y + 2 + (i - first) as u16;
        let row = Rect::new(inner.x, y, inner.width, 1);
        let selected = i == palette.selected;
        let style = if selected { theme.selected } else { theme.base };
        buf.set_style(row, style);
        let keys = truncate(&entry.keys, 10).into_owned();
        let key_style = if selected { style } else { theme.key };
        // The letters that matched what was typed stand out, in both columns.
        let hit = if selected { style } else { theme.key }
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
        let text = truncate(entry.description, 24).into_owned();
        let padding = 25usize.saturating_sub(width(&text));
        let mut spans = vec![Span::styled(format!("{keys:<11}"), key_style)];
        spans.extend(highlighted(&text, 0, &entry.matched, style, hit));
        spans.push(Span::styled(" ".repeat(padding), style));
        let name_style = if selected { style } else { theme.dim };
        let name_at = entry.description.chars().count() + 1;
        spans.extend(highlighted(
            entry.name,
            name_at,
            &entry.matched,
            name_style,
            hit,
        ));
        buf.set_line(inner.x + 1, y, &Line::from(spans), inner.width - 1);
    }
    let x = inner.x + 3 + palette.input.visual_cursor() as u16;
    Some(Position::new(
        x.min(inner.right().saturating_sub(1)),
        inner.y,
    ))
}

/// `text` as spans, the characters at `matched` (positions counted from `offset`, the
/// place of `text` in the matched string) in `hit`, the rest in `base`.
fn highlighted(
    text: &str,
    offset: usize,
    matched: &[usize],
    base: Style,
    hit: Style,
) -> Vec<Span<'static>> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_hit = false;
    for (i, c) in text.chars().enumerate() {
        // `truncate` may end the text with an ellipsis the name never had.
        let is_hit = c != '…' && matched.contains(&(offset + i));
        if is_hit != run_hit && !run.is_empty() {
            let style = if run_hit { hit } else { base };
            spans.push(Span::styled(std::mem::take(&mut run), style));
        }
        run_hit = is_hit;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, if run_hit { hit } else { base }));
    }
    spans
}
