//! The `?` overlay: every key of the current screen, straight from the keymap table.

use crate::tui::input::binding::Binding;
use crate::tui::keymap;
use crate::tui::kit::dialog::centered;
use crate::tui::kit::text::truncate;
use crate::tui::kit::theme::Theme;
use crate::tui::state::State;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

const ENTRY_W: u16 = 36;

pub fn render(state: &State, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let mut entries: Vec<Line<'_>> = Vec::new();
    for (title, bindings) in sections(state) {
        entries.push(Line::from(Span::styled(title, theme.title)));
        for binding in bindings {
            entries.push(Line::from(vec![
                Span::styled(format!("  {:<8}", state.keys.label_of(binding)), theme.key),
                Span::raw(truncate(binding.description, usize::from(ENTRY_W) - 11).into_owned()),
            ]));
        }
    }
    let inner_w = area.width.saturating_sub(4);
    let columns = (inner_w / ENTRY_W).clamp(1, 3);
    let rows = entries.len().div_ceil(usize::from(columns)) as u16;
    let rect = centered(area, columns * ENTRY_W + 4, rows + 2);
    Clear.render(rect, buf);
    let block = Block::bordered()
        .border_style(theme.title)
        .title(Span::styled(" Keys — ? or Esc closes ", theme.title));
    let inner = block.inner(rect);
    block.render(rect, buf);
    if inner.width < 2 || inner.height == 0 {
        return;
    }
    for (i, line) in entries.iter().enumerate() {
        let column = i as u16 / rows.max(1);
        let row = i as u16 % rows.max(1);
        let x = inner.x + 1 + column * ENTRY_W;
        if row >= inner.height || x >= inner.right() {
            continue;
        }
        buf.set_line(
            inner.x + 1 + column * ENTRY_W,
            inner.y + row,
            line,
            ENTRY_W - 1,
        );
    }
}

/// The bindings of the screen under the overlay, grouped by context.
fn sections(state: &State) -> Vec<(&'static str, Vec<&'static Binding>)> {
    let contexts = keymap::contexts_under_help(state);
    keymap::help_sections(state)
        .into_iter()
        .map(|(title, bindings)| {
            let shown: Vec<&'static Binding> = bindings
                .into_iter()
                .filter(|b| contexts.contains(&b.context))
                .collect();
            (title, shown)
        })
        .filter(|(_, bindings)| !bindings.is_empty())
        .collect()
}
