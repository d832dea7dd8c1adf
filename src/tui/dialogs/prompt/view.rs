//! The prompt: what is asked, the field (dots for a password), the server's refusal if
//! any, and the keys (from the keymap).

use super::state::{PromptKind, PromptState};
use crate::tui::action::Action;
use crate::tui::input::binding::Context;
use crate::tui::keymap::key_hint;
use crate::tui::kit::dialog::{centered, keys};
use crate::tui::kit::text::{safe, truncate};
use crate::tui::kit::theme::Theme;
use crate::tui::state::State;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

/// Draws the prompt; returns where the terminal cursor goes (the field).
pub fn render(
    state: &State,
    prompt: &PromptState,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let (title, question, context, submit, what) = match &prompt.kind {
        PromptKind::Password { username } => (
            "Reset password",
            format!("New password for “{}”:", safe(username)),
            Context::PasswordPrompt,
            Action::SubmitPassword,
            "set password",
        ),
        PromptKind::UserFilter => (
            "Tokens of a user",
            "Show the tokens of user (empty: everyone):".to_string(),
            Context::UserPrompt,
            Action::ApplyUserFilter,
            "show",
        ),
    };
    let rect = centered(area, area.width.saturating_sub(4).min(60), 9);
    Clear.render(rect, buf);
    let block = Block::bordered()
        .border_style(theme.title)
        .title(Span::styled(format!(" {title} "), theme.title));
    let inner = block.inner(rect);
    block.render(rect, buf);
    if inner.height < 4 || inner.width < 6 {
        return None;
    }
    let text_w = inner.width - 2;
    let x = inner.x + 1;
    buf.set_stringn(x, inner.y, &question, usize::from(text_w), theme.base);

    // The field: `> ` and what was typed, scrolled to keep the cursor in view.
    let field_w = usize::from(text_w.saturating_sub(2)).max(1);
    let value = prompt.input.value();
    let shown: String = match prompt.kind {
        PromptKind::Password { .. } => "•".repeat(value.chars().count()),
        PromptKind::UserFilter => safe(value).into_owned(),
    };
    let scroll = prompt.input.visual_scroll(field_w);
    let visible: String = shown.chars().skip(scroll).take(field_w).collect();
    let field_y = inner.y + 2;
    buf.set_style(Rect::new(x, field_y, text_w, 1), theme.focus);
    buf.set_line(
        x,
        field_y,
        &Line::from(vec![
            Span::styled("> ", theme.focus),
            Span::styled(visible, theme.focus),
        ]),
        text_w,
    );

    let status = if prompt.waiting {
        Some(Span::styled("Saving…", theme.dim))
    } else {
        prompt.error.as_ref().map(|e| {
            Span::styled(
                truncate(&safe(e), usize::from(text_w)).into_owned(),
                theme.error,
            )
        })
    };
    let hint = |action: Action, default: &str| {
        key_hint(state, context, &action).unwrap_or_else(|| default.to_string())
    };
    let lines = vec![
        Line::from(status.unwrap_or_default()),
        Line::default(),
        keys(
            &[
                (hint(submit, "⏎"), what),
                (hint(Action::Back, "Esc"), "cancel"),
            ],
            theme,
        ),
    ];
    let foot = Rect::new(
        x,
        field_y + 1,
        text_w,
        inner.bottom().saturating_sub(field_y + 1),
    );
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(foot, buf);
    let cursor_x = x + 2 + (prompt.input.cursor().saturating_sub(scroll)) as u16;
    Some(Position::new(cursor_x.min(x + text_w - 1), field_y))
}
