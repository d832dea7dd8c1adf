//! What the Get token dialogs draw with: their key hints (from the keymap), the
//! framed panel, text fields, and text cut to fit.

use crate::tui::action::{Action, FlowAction};
use crate::tui::input::binding::Context;
use crate::tui::keymap::key_hint;
use crate::tui::kit::dialog::centered;
use crate::tui::kit::masked::MaskedInput;
use crate::tui::kit::text::safe;
use crate::tui::kit::theme::Theme;
use crate::tui::state::State;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

/// The key for `action` in `context` as bound now (config overrides included), for
/// the hint lines; `default` when it has no key there.
pub fn key(state: &State, context: Context, action: Action, default: &str) -> String {
    key_hint(state, context, &action).unwrap_or_else(|| default.to_string())
}

/// The key for the token-flow action `action` in `context`.
pub fn flow_key(state: &State, context: Context, action: FlowAction, default: &str) -> String {
    key(state, context, Action::Flow(action), default)
}

/// A one-row text field of `cols` cells showing `input` (masked or not); returns the/// A one-row text field of `cols` cells showing `input` (masked or not); returns the
/// cursor position when focused.
pub fn field(
    input: &MaskedInput,
    masked: bool,
    focused: bool,
    at: Position,
    cols: u16,
    theme: &Theme,
    buf: &mut Buffer,
) -> Option<Position> {
    let cols_usize = usize::from(cols.max(1));
    let scroll = input.visual_scroll(cols_usize.saturating_sub(1));
    let shown: String = if masked {
        "•".repeat(input.value().chars().count())
    } else {
        safe(input.value()).into_owned()
    };
    let visible: String = shown.chars().skip(scroll).take(cols_usize).collect();
    let style = if focused { theme.focus } else { theme.hovered };
    let padded = format!("{visible:<cols_usize$}");
    buf.set_stringn(at.x, at.y, padded, cols_usize, style);
    focused.then(|| {
        let x = at.x + (input.cursor().saturating_sub(scroll)) as u16;
        Position::new(x.min(at.x + cols.saturating_sub(1)), at.y)
    })
}

pub const LABEL: usize = 9;

/// A cleared, framed box; returns the inner rect less one column of padding each side.
pub fn panel(
    area: Rect,
    title: &str,
    width: u16,
    height: u16,
    theme: &Theme,
    buf: &mut Buffer,
) -> Rect {
    let rect = centered(area, width, height);
    Clear.render(rect, buf);
    let block = Block::bordered()
        .border_style(theme.title)
        .title(Span::styled(format!(" {} ", safe(title)), theme.title));
    let inner = block.inner(rect);
    block.render(rect, buf);
    Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(2),
        inner.height,
    )
}

/// Draws `lines` one per row from the top of `inner`; returns the row after the last.
pub fn put_lines(inner: Rect, lines: &[Line<'_>], buf: &mut Buffer) -> u16 {
    let mut y = inner.y;
    for line in lines {
        if y >= inner.bottom() {
            break;
        }
        buf.set_line(inner.x, y, line, inner.width);
        y += 1;
    }
    y
}

/// `text` cut into rows of `cols` characters: URLs have no spaces to wrap at.
pub fn hard_wrap(text: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(1);
    let chars: Vec<char> = text.chars().collect();
    chars.chunks(cols).map(|c| c.iter().collect()).collect()
}

pub fn truncated(text: &str, max: usize) -> String {
    crate::tui::kit::text::truncate(&safe(text), max).into_owned()
}
