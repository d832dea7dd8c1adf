//! The RFC 7662 answer about one of this session's tokens.

use super::frame::{key, panel, put_lines};
use super::state::IntrospectionShown;
use crate::tui::action::Action;
use crate::tui::input::binding::Context;
use crate::tui::kit::dialog::keys;
use crate::tui::kit::text::{countdown, date_time, safe};
use crate::tui::kit::theme::Theme;
use crate::tui::state::State;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

pub fn render(
    state: &State,
    shown: &IntrospectionShown,
    theme: &Theme,
    area: Rect,
    width: u16,
    buf: &mut Buffer,
) {
    let row = |name: &str, value: String, style: Style| {
        Line::from(vec![
            Span::styled(format!("{name:<12}"), theme.dim),
            Span::styled(value, style),
        ])
    };
    let mut lines = vec![row("App", safe(&shown.app_name).into_owned(), theme.base)];
    match &shown.answer {
        None => lines.push(Line::from(Span::styled(
            "Asking the introspection endpoint…",
            theme.dim,
        ))),
        Some(Err(why)) => lines.push(Line::from(Span::styled(
            format!("✗ {}", safe(why)),
            theme.error,
        ))),
        Some(Ok(answer)) => {
            let (text, style) = if answer.active {
                ("true", theme.ok)
            } else {
                ("false", theme.error)
            };
            lines.push(row("active", text.into(), style));
            let optional = [
                ("scope", answer.scope.clone()),
                ("client_id", answer.client_id.clone()),
                ("username", answer.username.clone()),
                ("sub", answer.sub.clone()),
                ("token_type", answer.token_type.clone()),
            ];
            for (name, value) in optional {
                if let Some(value) = value {
                    lines.push(row(name, safe(&value).into_owned(), theme.base));
                }
            }
            if let Some(iat) = answer.iat {
                lines.push(row("iat", date_time(iat), theme.base));
            }
            if let Some(exp) = answer.exp {
                let left = if exp > state.now {
                    format!("{} (in {})", date_time(exp), countdown(exp - state.now))
                } else {
                    format!("{} (past)", date_time(exp))
                };
                lines.push(row("exp", left, theme.base));
            }
        }
    }
    lines.push(Line::default());
    lines.push(keys(
        &[(key(state, Context::FlowClose, Action::Back, "Esc"), "close")],
        theme,
    ));
    let height = lines.len() as u16 + 2;
    let w = width.min(64).max(width.min(20));
    let inner = panel(area, "Introspection (RFC 7662)", w, height, theme, buf);
    put_lines(inner, &lines, buf);
}
