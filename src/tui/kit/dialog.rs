//! The frame every dialog is drawn in: a centred box sized to its text, and the line of
//! key hints at its foot.

use super::text::width;
use super::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

/// A box of at most `width` × `height` in the middle of `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Draws `lines` in a framed box with `title`, sized to fit them. Returns where the
/// text went, for widgets drawn over lines left blank for them.
pub fn boxed(
    area: Rect,
    title: &str,
    lines: Vec<Line<'_>>,
    width: u16,
    theme: &Theme,
    buf: &mut Buffer,
) -> Rect {
    let inner_w = width.saturating_sub(4).max(1);
    let text_height = lines_height(&lines, usize::from(inner_w));
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let height = text_height as u16 + 2;
    let rect = centered(area, width, height);
    Clear.render(rect, buf);
    let block = Block::bordered()
        .border_style(theme.title)
        .title(Span::styled(format!(" {title} "), theme.title));
    let inner = block.inner(rect);
    block.render(rect, buf);
    let text_area = Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(2),
        inner.height,
    );
    paragraph.render(text_area, buf);
    text_area
}

/// Rows `lines` take when word-wrapped at `cols` (greedy, as the paragraph wraps).
pub fn lines_height(lines: &[Line<'_>], cols: usize) -> usize {
    let cols = cols.max(1);
    lines
        .iter()
        .map(|line| {
            let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            let mut rows = 1;
            let mut used = 0;
            for word in text.split(' ') {
                let w = width(word);
                if used == 0 {
                    used = w;
                } else if used + 1 + w <= cols {
                    used += 1 + w;
                } else {
                    rows += 1;
                    used = w;
                }
                while used > cols {
                    rows += 1;
                    used -= cols;
                }
            }
            rows
        })
        .sum()
}

/// The key hints at the foot of a dialog: `y copy client ID   Esc close`.
pub fn keys(pairs: &[(String, &str)], theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    for (key, what) in pairs {
        spans.push(Span::styled(key.clone(), theme.key));
        spans.push(Span::raw(format!(" {what}   ")));
    }
    Line::from(spans)
}
