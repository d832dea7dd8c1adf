//! The new/edit app form. Lines are built top to bottom; the window scrolls so that
//! the focused element is always in view.

use super::impact::impact_line;
use super::state::{FormFocus, FormMode, FormState};
use crate::domain::rules::{
    grant_forbidden_reason, redirect_urls_fixed_reason, scope_forbidden_reason,
};
use crate::domain::{Field, GrantType, Platform, Scope};
use crate::tui::kit::text::{safe, truncate, width};
use crate::tui::kit::theme::Theme;
use crate::tui::state::State;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};
use tui_input::Input;
use unicode_width::UnicodeWidthChar;

const LABEL_W: usize = 16;

struct Lines<'a> {
    lines: Vec<Line<'a>>,
    /// Line of the focused element, and the cursor's column for text fields.
    focus_line: usize,
    cursor_x: Option<u16>,
}

impl<'a> Lines<'a> {
    fn push(&mut self, line: Line<'a>) {
        self.lines.push(line);
    }
    fn label(text: &str, theme: &Theme) -> Span<'a> {
        Span::styled(format!(" {:<w$}", text, w = LABEL_W - 1), theme.header)
    }
    fn indent() -> Span<'a> {
        Span::raw(" ".repeat(LABEL_W))
    }
    fn errors(&mut self, messages: Vec<&str>, theme: &Theme) {
        for message in messages {
            self.push(Line::from(vec![
                Lines::indent(),
                Span::styled(format!("✗ {}", safe(message)), theme.error),
            ]));
        }
    }
}

/// The part of `value` that shows in a field `cols` wide, scrolled by `scroll` columns.
fn visible_slice(value: &str, scroll: usize, cols: usize) -> String {
    let mut skipped = 0;
    let mut out = String::new();
    let mut used = 0;
    for c in value.chars() {
        let w = c.width().unwrap_or(0);
        if skipped < scroll {
            skipped += w;
            continue;
        }
        if used + w > cols {
            break;
        }
        used += w;
        out.push(c);
    }
    out
}

fn text_field<'a>(
    input: &Input,
    focused: bool,
    cols: usize,
    theme: &Theme,
) -> (Span<'a>, Option<u16>) {
    let scroll = if focused {
        input.visual_scroll(cols.saturating_sub(1))
    } else {
        0
    };
    let shown = visible_slice(&safe(input.value()), scroll, cols);
    let pad = cols.saturating_sub(width(&shown));
    let style = if focused { theme.focus } else { theme.hovered };
    let cursor = focused.then(|| (LABEL_W + input.visual_cursor().saturating_sub(scroll)) as u16);
    (
        Span::styled(format!("{shown}{}", " ".repeat(pad)), style),
        cursor,
    )
}

fn wrap(text: &str, cols: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let Some(last) = lines.last_mut() else { break };
        if !last.is_empty() && width(last) + 1 + width(word) > cols {
            lines.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

#[allow(clippy::too_many_arguments)]
fn checkbox<'a>(
    on: bool,
    label: &str,
    forbidden: Option<&'static str>,
    description: &'static str,
    legacy: bool,
    focused: bool,
    cols: usize,
    theme: &Theme,
) -> Line<'a> {
    let mark = match (forbidden, on) {
        (Some(_), _) => "[-]",
        (None, true) => "[x]",
        (None, false) => "[ ]",
    };
    let box_style = if focused {
        theme.focus
    } else if forbidden.is_some() {
        theme.dim
    } else {
        theme.base
    };
    let mut spans = vec![
        Lines::indent(),
        Span::styled(format!("{mark} {label:<20}"), box_style),
    ];
    let rest = cols.saturating_sub(25);
    match forbidden {
        Some(reason) => spans.push(Span::styled(
            format!(" {}", truncate(reason, rest)),
            theme.dim,
        )),
        None => {
            if legacy {
                spans.push(Span::styled(" ⚠ legacy ", theme.warn));
            }
            let rest = if legacy {
                rest.saturating_sub(10)
            } else {
                rest
            };
            spans.push(Span::styled(
                format!(" {}", truncate(description, rest)),
                theme.dim,
            ));
        }
    }
    Line::from(spans)
}

fn build<'a>(form: &FormState, theme: &Theme, cols: usize) -> Lines<'a> {
    let mut out = Lines {
        lines: Vec::new(),
        focus_line: 0,
        cursor_x: None,
    };
    let field_w = cols.saturating_sub(LABEL_W + 1).min(60);
    let focus = form.focus;

    // Name.
    if focus == FormFocus::Name {
        out.focus_line = out.lines.len();
    }
    let (span, cursor) = text_field(&form.name, focus == FormFocus::Name, field_w, theme);
    if cursor.is_some() {
        out.cursor_x = cursor;
    }
    out.push(Line::from(vec![Lines::label("Name", theme), span]));
    out.errors(form.errors_for(Field::Name), theme);

    // Platform.
    if focus == FormFocus::Platform {
        out.focus_line = out.lines.len();
    }
    let platform: Platform = form.platform;
    let mut spans = vec![Lines::label("Platform", theme)];
    if form.is_new() {
        let style = if focus == FormFocus::Platform {
            theme.focus
        } else {
            theme.base
        };
        spans.push(Span::styled(format!("◀ {} ▶", platform.label()), style));
    } else {
        spans.push(Span::styled(platform.label().to_string(), theme.base));
        spans.push(Span::styled(" (fixed)", theme.dim));
    }
    let used = 4 + platform.label().len() + if form.is_new() { 0 } else { 8 };
    spans.push(Span::styled(
        format!(
            "  {}",
            truncate(
                platform.description(),
                cols.saturating_sub(LABEL_W + used + 2)
            )
        ),
        theme.dim,
    ));
    out.push(Line::from(spans));

    // Redirect URLs.
    match redirect_urls_fixed_reason(platform) {
        Some(_) if platform == Platform::ApiServices => {}
        Some(reason) => {
            for (i, line) in wrap(reason, cols.saturating_sub(LABEL_W + 1))
                .into_iter()
                .enumerate()
            {
                let label = if i == 0 {
                    Lines::label("Redirect URLs", theme)
                } else {
                    Lines::indent()
                };
                out.push(Line::from(vec![label, Span::styled(line, theme.dim)]));
            }
        }
        None => {
            for (i, input) in form.redirect_urls.iter().enumerate() {
                let focused = focus == FormFocus::RedirectUrl(i);
                if focused {
                    out.focus_line = out.lines.len();
                }
                let (span, cursor) = text_field(input, focused, field_w, theme);
                if cursor.is_some() {
                    out.cursor_x = cursor;
                }
                let label = if i == 0 {
                    Lines::label("Redirect URLs", theme)
                } else {
                    Lines::indent()
                };
                out.push(Line::from(vec![label, span]));
                out.errors(form.errors_for(Field::RedirectUrl(i)), theme);
            }
            if focus == FormFocus::AddUrl {
                out.focus_line = out.lines.len();
            }
            let label = if form.redirect_urls.is_empty() {
                Lines::label("Redirect URLs", theme)
            } else {
                Lines::indent()
            };
            let style = if focus == FormFocus::AddUrl {
                theme.focus
            } else {
                theme.key
            };
            out.push(Line::from(vec![
                label,
                Span::styled("+ Add URL", style),
                Span::styled("  (Ctrl-D removes the focused URL)", theme.dim),
            ]));
            out.errors(form.errors_for(Field::RedirectUrls), theme);
        }
    }

    // Scopes.
    for (i, scope) in Scope::ALL.iter().enumerate() {
        let focused = focus == FormFocus::Scope(i);
        if focused {
            out.focus_line = out.lines.len();
        }
        let mut line = checkbox(
            form.scopes.contains(scope),
            scope.label(),
            scope_forbidden_reason(platform, *scope),
            scope.description(),
            false,
            focused,
            cols,
            theme,
        );
        if i == 0 {
            line.spans[0] = Lines::label("Scopes", theme);
        }
        out.push(line);
    }
    out.errors(form.errors_for(Field::Scopes), theme);

    // Grant types.
    for (i, grant) in GrantType::ALL.iter().enumerate() {
        let focused = focus == FormFocus::Grant(i);
        if focused {
            out.focus_line = out.lines.len();
        }
        let mut line = checkbox(
            form.grants.contains(grant),
            grant.label(),
            grant_forbidden_reason(platform, *grant),
            grant.description(),
            grant.is_legacy(),
            focused,
            cols,
            theme,
        );
        if i == 0 {
            line.spans[0] = Lines::label("Grant types", theme);
        }
        out.push(line);
    }
    out.errors(form.errors_for(Field::GrantTypes), theme);

    // What saving takes away from the app's active tokens.
    if let Some(impact) = impact_line(form) {
        out.push(Line::default());
        for line in wrap(
            &format!("⚠ {}", safe(&impact)),
            cols.saturating_sub(LABEL_W + 1),
        ) {
            out.push(Line::from(vec![
                Lines::indent(),
                Span::styled(line, theme.warn),
            ]));
        }
    }

    // Buttons.
    out.push(Line::default());
    if matches!(focus, FormFocus::Save | FormFocus::Cancel) {
        out.focus_line = out.lines.len();
    }
    let button = |text: &'static str, on: bool| -> Span<'a> {
        Span::styled(text, if on { theme.focus } else { theme.key })
    };
    let save_text = if form.saving {
        "[ Saving… ]"
    } else {
        "[ Save ]"
    };
    out.push(Line::from(vec![
        Lines::indent(),
        button(save_text, focus == FormFocus::Save),
        Span::raw("  "),
        button("[ Cancel ]", focus == FormFocus::Cancel),
        Span::styled("   Ctrl-S saves from anywhere", theme.dim),
    ]));
    if let Some(error) = &form.server_error {
        for line in wrap(
            &format!("✗ Server: {}", safe(error)),
            cols.saturating_sub(LABEL_W + 1),
        ) {
            out.push(Line::from(vec![
                Lines::indent(),
                Span::styled(line, theme.error),
            ]));
        }
    }
    out
}

pub fn render(
    form: &FormState,
    _state: &State,
    theme: &Theme,
    body: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let title = match &form.mode {
        FormMode::New => " New client app ".to_string(),
        FormMode::Edit { .. } => {
            format!(" Edit {} ", truncate(&safe(form.name.value()), 40))
        }
    };
    let block = Block::bordered()
        .border_style(theme.border)
        .title(Span::styled(title, theme.title));
    let inner = block.inner(body);
    block.render(body, buf);
    if inner.height == 0 || inner.width == 0 {
        return None;
    }
    let lines = build(form, theme, usize::from(inner.width));
    // The last line is the status line: why the focused choice is greyed out.
    let height = usize::from(inner.height).saturating_sub(1).max(1);
    // Keep the focused line in view, with a line of context below it when possible.
    let scroll = (lines.focus_line + 2)
        .saturating_sub(height)
        .min(lines.lines.len().saturating_sub(height));
    for (i, line) in lines.lines.iter().skip(scroll).take(height).enumerate() {
        buf.set_line(inner.x, inner.y + i as u16, line, inner.width);
    }
    if let Some(reason) = form.focused_reason()
        && inner.height > 1
    {
        let status = Line::from(vec![Span::styled(format!(" ⚠ {reason}"), theme.warn)]);
        buf.set_line(inner.x, inner.bottom() - 1, &status, inner.width);
    }
    let cursor_x = lines.cursor_x?;
    let row = lines.focus_line.checked_sub(scroll)?;
    (row < height).then(|| {
        Position::new(
            inner.x + cursor_x.min(inner.width - 1),
            inner.y + row as u16,
        )
    })
}
