//! The Get token dialog before the flow starts: the flow, the scopes, the secret.

use super::frame::{LABEL, field, flow_key, key, panel, put_lines};
use super::state::{FlowSetup, SetupFocus};
use crate::tui::action::{Action, FlowAction};
use crate::tui::input::binding::Context;
use crate::tui::kit::dialog::keys;
use crate::tui::kit::text::safe;
use crate::tui::kit::theme::Theme;
use crate::tui::state::State;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

fn label(text: &str, theme: &Theme) -> Span<'static> {
    Span::styled(format!("{text:<LABEL$}"), theme.dim)
}

pub fn render(
    state: &State,
    setup: &FlowSetup,
    theme: &Theme,
    area: Rect,
    width: u16,
    buf: &mut Buffer,
) -> Option<Position> {
    let marker = |focus: SetupFocus| if setup.focus == focus { "▌" } else { " " };
    let row_style = |focus: SetupFocus| {
        if setup.focus == focus {
            theme.focus
        } else {
            theme.base
        }
    };
    let mut lines = vec![Line::from(vec![
        label("App", theme),
        Span::raw(safe(&setup.app_name).into_owned()),
    ])];
    let kind = setup.kind();
    let flow_text = match kind {
        Some(kind) if setup.flows.len() > 1 => format!(
            "◂ {} ▸  {}/{}",
            kind.label(),
            setup.flow + 1,
            setup.flows.len()
        ),
        Some(kind) => kind.label().to_string(),
        None => "—".to_string(),
    };
    lines.push(Line::from(vec![
        label("Flow", theme),
        Span::styled(marker(SetupFocus::Flow), theme.key),
        Span::styled(flow_text, row_style(SetupFocus::Flow)),
    ]));
    if kind.is_some_and(|k| k.is_legacy()) {
        lines.push(Line::from(vec![
            label("", theme),
            Span::styled(
                "⚠ Legacy: RFC 9700 says not to use the implicit grant",
                theme.warn,
            ),
        ]));
    }
    if setup.scopes.is_empty() {
        lines.push(Line::from(vec![
            label("Scopes", theme),
            Span::styled("none (the app has no scope)", theme.dim),
        ]));
    }
    for (i, (scope, on)) in setup.scopes.iter().enumerate() {
        let check = if *on { "[x]" } else { "[ ]" };
        lines.push(Line::from(vec![
            label(if i == 0 { "Scopes" } else { "" }, theme),
            Span::styled(marker(SetupFocus::Scope(i)), theme.key),
            Span::styled(
                format!("{check} {}", scope.label()),
                row_style(SetupFocus::Scope(i)),
            ),
        ]));
    }
    let needs_secret = kind.is_some_and(|k| k.needs_secret(setup.platform));
    let secret_row = if setup.asks_secret() {
        lines.push(Line::from(vec![
            label("Secret", theme),
            Span::styled(marker(SetupFocus::Secret), theme.key),
        ]));
        Some(lines.len() - 1)
    } else {
        if needs_secret {
            lines.push(Line::from(vec![
                label("Secret", theme),
                Span::styled(" remembered from this session (memory only)", theme.dim),
            ]));
        }
        None
    };
    lines.push(Line::default());
    lines.push(Line::from(vec![
        label("", theme),
        Span::styled(marker(SetupFocus::Start), theme.key),
        Span::styled(
            "[ Get token ]",
            row_style(SetupFocus::Start).patch(theme.key),
        ),
    ]));
    if let Some(problem) = &setup.problem {
        lines.push(Line::from(Span::styled(
            format!("✗ {}", safe(problem)),
            theme.error,
        )));
    }
    lines.push(Line::default());
    let context = if setup.editing_text() {
        Context::FlowSetupText
    } else {
        Context::FlowSetup
    };
    lines.push(keys(
        &[
            (
                flow_key(state, context, FlowAction::Start, "⏎"),
                "get token",
            ),
            (
                flow_key(state, Context::FlowSetup, FlowAction::Toggle, "space"),
                "toggle",
            ),
            (key(state, context, Action::Back, "Esc"), "close"),
        ],
        theme,
    ));
    let inner = panel(
        area,
        "Get token",
        width.min(68),
        lines.len() as u16 + 2,
        theme,
        buf,
    );
    put_lines(inner, &lines, buf);
    let row = secret_row?;
    let at = Position::new(inner.x + LABEL as u16 + 1, inner.y + row as u16);
    if at.y >= inner.bottom() {
        return None;
    }
    let cols = inner.width.saturating_sub(LABEL as u16 + 2).min(40);
    field(
        &setup.secret,
        true,
        setup.focus == SetupFocus::Secret,
        at,
        cols,
        theme,
        buf,
    )
}
