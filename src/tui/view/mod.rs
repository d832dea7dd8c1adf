//! `render(&State, &mut Frame)`: a pure function of the state. Every string that came
//! from outside (names, URLs, IDs, server messages) passes `text::safe` on its way in.

mod apps;
mod audit;
mod dialogs;
mod form;
mod help;
mod matrix;
mod palette;
mod table;
mod tokens;
// Token flows.
mod device_flow;
mod flow;
mod qr;
mod session_tokens;

use super::action::Tab;
use super::keymap;
use super::layout::{self, Screen};
use super::state::{Connection, State, ToastKind};
use super::text::{safe, truncate, width};
use super::theme::Theme;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

pub fn render(state: &State, frame: &mut Frame) {
    let theme = Theme::pick(state.theme, state.monochrome);
    let area = frame.area();
    if area.is_empty() {
        return;
    }
    let screen = layout::screen(area);
    let buf = frame.buffer_mut();
    header(state, &theme, &screen, buf);
    tabs(state, &theme, screen.tabs, buf);
    footer(state, &theme, screen.footer, buf);
    let mut cursor = match (&state.form, state.tab) {
        (Some(form), _) => form::render(form, state, &theme, screen.body, buf),
        (None, Tab::ClientApps) => apps::render(state, &theme, screen.body, buf),
        (None, Tab::ScopesAndGrants) => matrix::render(state, &theme, screen.body, buf),
        (None, Tab::ActiveTokens) => {
            let list_body = session_tokens::render(state, &theme, screen.body, buf);
            tokens::render(state, &theme, list_body, buf)
        }
        (None, Tab::AuditLog) => audit::render(state, &theme, screen.body, buf),
    };
    // Operator features: the audit record dialog and the palette.
    if state.audit.record_open && state.tab == Tab::AuditLog {
        audit::render_record(state, &theme, area, buf);
        cursor = None;
    }
    if state.palette.is_some() {
        cursor = palette::render(state, &theme, area, buf);
    }
    if let Some(modal) = &state.modal {
        dialogs::render(state, modal, &theme, area, buf);
        cursor = None;
    }
    if state.flows.dialog.is_some() {
        cursor = flow::render(state, &theme, area, buf);
    }
    if state.help_open {
        help::render(state, &theme, area, buf);
        cursor = None;
    }
    if let Some(position) = cursor {
        frame.set_cursor_position(position);
    }
}

fn header(state: &State, theme: &Theme, screen: &Screen, buf: &mut Buffer) {
    let area = screen.header;
    if area.is_empty() {
        return;
    }
    let (dot, status, style) = match state.connection {
        Connection::Connected => ("●", "connected", theme.ok),
        Connection::Connecting => ("◌", "connecting", theme.warn),
        Connection::Unreachable => ("✗", "unreachable", theme.error),
    };
    let mut spans = vec![
        Span::styled(" oauth-console ", theme.title),
        Span::raw(" "),
        Span::styled(dot, style),
        Span::raw(" "),
    ];
    let profile = state
        .profile
        .as_ref()
        .map(|p| format!("[{}] ", safe(p)))
        .unwrap_or_default();
    if !profile.is_empty() {
        spans.push(Span::styled(profile.clone(), theme.header));
    }
    let tail_w = status.len() + 4 + width(&profile) + if state.read_only { 11 } else { 0 };
    let room = if screen.tabs.y == area.y {
        screen.tabs.x.saturating_sub(area.x)
    } else {
        area.width
    };
    let label_room = usize::from(room).saturating_sub(19 + tail_w);
    spans.push(Span::raw(
        truncate(&safe(&state.server_label), label_room).into_owned(),
    ));
    spans.push(Span::raw("  "));
    spans.push(Span::styled(status, style));
    if state.requests.busy() {
        let frame = SPINNER[(state.ticks % SPINNER.len() as u64) as usize];
        spans.push(Span::styled(format!(" {frame}"), theme.warn));
    }
    if state.read_only {
        spans.push(Span::styled("  read-only", theme.warn));
    }
    buf.set_line(area.x, area.y, &Line::from(spans), room);
}

fn tabs(state: &State, theme: &Theme, area: Rect, buf: &mut Buffer) {
    for (rect, tab) in layout::tab_hits(area) {
        if rect.is_empty() {
            continue;
        }
        let style = if tab == state.tab && state.form.is_none() {
            theme.tab_active
        } else if tab == state.tab {
            theme.header
        } else {
            theme.dim
        };
        buf.set_stringn(
            rect.x,
            rect.y,
            layout::tab_title(tab),
            usize::from(rect.width),
            style,
        );
    }
}

fn footer(state: &State, theme: &Theme, area: Rect, buf: &mut Buffer) {
    if area.is_empty() {
        return;
    }
    let toast = state.toast.as_ref().map(|toast| {
        let style = match toast.kind {
            ToastKind::Success => theme.ok,
            ToastKind::Error => theme.error,
        };
        let max = usize::from(area.width).saturating_sub(2);
        (truncate(&safe(&toast.text), max).into_owned(), style)
    });
    let toast_w = toast.as_ref().map_or(0, |(t, _)| width(t) + 1) as u16;
    let mut spans = vec![Span::raw(" ")];
    for (key, description) in keymap::footer_hints(state) {
        spans.push(Span::styled(key, theme.key));
        spans.push(Span::styled(format!(" {description}  "), theme.dim));
    }
    let hints_room = area.width.saturating_sub(toast_w + 1);
    // Whole hints only: a hint cut in the middle reads as a different key.
    let mut used = 0usize;
    let mut kept = Vec::new();
    for pair in spans[1..].chunks(2) {
        let w: usize = pair.iter().map(|s| width(&s.content)).sum();
        if used + w > usize::from(hints_room).saturating_sub(1) {
            break;
        }
        used += w;
        kept.extend_from_slice(pair);
    }
    kept.insert(0, Span::raw(" "));
    buf.set_line(area.x, area.y, &Line::from(kept), hints_room);
    if let Some((text, style)) = toast {
        let x = area.right().saturating_sub(toast_w);
        buf.set_stringn(x, area.y, text, usize::from(toast_w), style);
    }
}
