//! `render(&State, &mut Frame)`: a pure function of the state. Draws the header, the
//! tab bar and the footer here, the current tab and the dialogs on top through their
//! own `view.rs`. Every string that came
//! from outside (names, URLs, IDs, server messages) passes `text::safe` on its way in.

use crate::api::ServerHealth;
use crate::tui::action::Tab;
use crate::tui::dialogs::{
    confirm, details, form, get_token, help, palette, prompt, secret, user_details,
};
use crate::tui::geometry::{self, Screen};
use crate::tui::keymap;
use crate::tui::kit::text::{safe, truncate, width};
use crate::tui::kit::theme::Theme;
use crate::tui::screens::{apps, audit, matrix, tokens, users};
use crate::tui::shared::{Connection, ToastKind};
use crate::tui::state::{Modal, State};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

pub fn render(state: &State, frame: &mut Frame) {
    let theme = Theme::pick(state.theme, state.monochrome);
    let area = frame.area();
    if area.is_empty() {
        return;
    }
    let screen = geometry::screen(area);
    let buf = frame.buffer_mut();
    header(state, &theme, &screen, buf);
    tabs(state, &theme, screen.tabs, buf);
    footer(state, &theme, screen.footer, buf);
    let mut cursor = match (&state.form, state.tab) {
        (Some(form), _) => form::view::render(form, state, &theme, screen.body, buf),
        (None, Tab::ClientApps) => apps::view::render(state, &theme, screen.body, buf),
        (None, Tab::ScopesAndGrants) => matrix::view::render(state, &theme, screen.body, buf),
        (None, Tab::ActiveTokens) => {
            let list_body = get_token::session_view::render(state, &theme, screen.body, buf);
            tokens::view::render(state, &theme, list_body, buf)
        }
        (None, Tab::AuditLog) => audit::view::render(state, &theme, screen.body, buf),
        (None, Tab::Users) => users::view::render(state, &theme, screen.body, buf),
    };
    // The dialogs over the tab, bottom to top.
    if state.audit.record_open && state.tab == Tab::AuditLog {
        audit::view::render_record(state, &theme, area, buf);
        cursor = None;
    }
    if let Some(open) = &state.user_details
        && state.tab == Tab::Users
    {
        user_details::view::render(state, open, &theme, area, buf);
        cursor = None;
    }
    if state.palette.is_some() {
        cursor = palette::view::render(state, &theme, area, buf);
    }
    if let Some(modal) = &state.modal {
        match modal {
            Modal::Confirm {
                action,
                active_tokens,
            } => confirm::view::render(state, action, *active_tokens, &theme, area, buf),
            Modal::Secret {
                client_id,
                app_name,
                secret,
                rotated,
            } => {
                let shown = secret::view::Shown {
                    client_id,
                    app_name,
                    secret,
                    rotated: *rotated,
                };
                secret::view::render(state, shown, &theme, area, buf)
            }
            Modal::Details { client_id, details } => {
                details::view::render(state, client_id, details.as_deref(), &theme, area, buf)
            }
            Modal::Prompt(_) => {}
        }
        cursor = match modal {
            Modal::Prompt(open) => prompt::view::render(state, open, &theme, area, buf),
            _ => None,
        };
    }
    if state.flows.dialog.is_some() {
        cursor = get_token::view::render(state, &theme, area, buf);
    }
    if state.help_open {
        help::view::render(state, &theme, area, buf);
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
    let (dot, status, style) = connection_status(state, theme);
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
    let tail_w = width(&status) + 4 + width(&profile) + if state.read_only { 11 } else { 0 };
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

/// The header's word on the server: its readiness once a check answered, else how
/// the last call went. A failed call since the last check wins.
fn connection_status(state: &State, theme: &Theme) -> (&'static str, String, Style) {
    match (&state.connection, &state.health) {
        (Connection::Unreachable, _) | (_, Some(ServerHealth::Unreachable)) => {
            ("✗", "unreachable".into(), theme.error)
        }
        (_, Some(ServerHealth::Ready)) => ("●", "ready".into(), theme.ok),
        (_, Some(ServerHealth::NotReady(reason))) => {
            ("●", format!("not ready: {}", safe(reason)), theme.warn)
        }
        (Connection::Connected, None) => ("●", "connected".into(), theme.ok),
        (Connection::Connecting, None) => ("◌", "connecting".into(), theme.warn),
    }
}

fn tabs(state: &State, theme: &Theme, area: Rect, buf: &mut Buffer) {
    for (rect, tab) in geometry::tab_hits(area) {
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
            geometry::tab_title(tab),
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
