//! The token-flow dialogs: Get token, waiting for the browser, the device code, the
//! token request in flight, and the introspection answer.

use super::frame::{field, flow_key, hard_wrap, key, panel, put_lines, truncated};
use super::state::{FlowDialog, WaitingBrowser};
use super::{introspection_view, setup_view};
use crate::tui::action::{Action, FlowAction};
use crate::tui::input::binding::Context;
use crate::tui::kit::dialog::{boxed, keys};
use crate::tui::kit::text::{countdown, safe};
use crate::tui::kit::theme::Theme;
use crate::tui::state::State;
use crate::worker::RedirectCapture;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

/// Draws the open dialog; returns where the terminal cursor goes (a text field).
pub fn render(state: &State, theme: &Theme, area: Rect, buf: &mut Buffer) -> Option<Position> {
    let dialog = state.flows.dialog.as_ref()?;
    let width = area.width.saturating_sub(4).min(76);
    match dialog {
        FlowDialog::Setup(setup) => setup_view::render(state, setup, theme, area, width, buf),
        FlowDialog::Browser(waiting) => browser_dialog(state, waiting, theme, area, width, buf),
        FlowDialog::Device(device) => {
            super::device_view::render(state, device, theme, area, buf);
            None
        }
        FlowDialog::Requesting(flow) => {
            let lines = vec![
                Line::from(format!(
                    "Asking the token endpoint for a token for {}…",
                    safe(&flow.app_name)
                )),
                Line::default(),
                keys(
                    &[(key(state, Context::FlowClose, Action::Back, "Esc"), "close")],
                    theme,
                ),
            ];
            boxed(area, flow.kind.label(), lines, width.min(60), theme, buf);
            None
        }
        FlowDialog::Introspection(shown) => {
            introspection_view::render(state, shown, theme, area, width, buf);
            None
        }
    }
}

fn expiry_line(state: &State, expires_at: Option<i64>, theme: &Theme) -> Line<'static> {
    match expires_at {
        Some(at) if at > state.now => Line::from(vec![
            Span::styled("Valid for ", theme.dim),
            Span::styled(countdown(at - state.now), theme.warn),
        ]),
        Some(_) => Line::from(Span::styled("Expired", theme.error)),
        None => Line::from(Span::styled("Starting…", theme.dim)),
    }
}

fn browser_dialog(
    state: &State,
    waiting: &WaitingBrowser,
    theme: &Theme,
    area: Rect,
    width: u16,
    buf: &mut Buffer,
) -> Option<Position> {
    let inner_w = usize::from(width.saturating_sub(4)).max(10);
    let mut lines = Vec::new();
    if waiting.legacy {
        lines.push(Line::from(Span::styled(
            "⚠ Implicit grant: legacy, RFC 9700 says not to use it",
            theme.warn,
        )));
    }
    let mut paste_row = None;
    match &waiting.url {
        None => lines.push(Line::from(Span::styled(
            "Preparing the sign-in…",
            theme.dim,
        ))),
        Some(url) => {
            lines.push(Line::from("Open this URL in a browser and sign in:"));
            let url = safe(url);
            let rows = hard_wrap(&url, inner_w);
            // Long URLs keep their start and end; the whole is what `y` copies.
            let budget = usize::from(area.height).saturating_sub(14).max(2);
            let shown = if rows.len() > budget {
                let mut kept: Vec<String> = rows[..budget - 1].to_vec();
                kept.push(format!("… ({} more characters; y copies it all)", {
                    rows[budget - 1..]
                        .iter()
                        .map(|r| r.chars().count())
                        .sum::<usize>()
                }));
                kept
            } else {
                rows
            };
            lines.extend(
                shown
                    .into_iter()
                    .map(|row| Line::from(Span::styled(row, theme.key))),
            );
            lines.push(Line::default());
            let show_field = match &waiting.capture {
                Some(RedirectCapture::Listening { redirect_uri }) => {
                    lines.push(Line::from(vec![
                        Span::styled("● ", theme.ok),
                        Span::raw(format!(
                            "Listening on {} for the redirect",
                            safe(&listen_address(redirect_uri))
                        )),
                    ]));
                    // The browser may run on another machine, out of the listener's
                    // reach: pasting works too.
                    let asked = waiting.paste_focused
                        || waiting.rejected.is_some()
                        || !waiting.paste.is_empty();
                    if asked {
                        lines.push(Line::from("Or paste the URL your browser was sent to:"));
                    } else {
                        lines.push(Line::from(Span::styled(
                            "Browser on another machine? p pastes the URL it was sent to.",
                            theme.dim,
                        )));
                    }
                    asked
                }
                Some(RedirectCapture::Paste { redirect_uri }) => {
                    lines.push(Line::from("Then paste the URL your browser was sent to"));
                    lines.push(Line::from(Span::styled(
                        truncated(&format!("(it starts with {redirect_uri}):"), inner_w),
                        theme.dim,
                    )));
                    true
                }
                None => false,
            };
            if show_field {
                lines.push(Line::default());
                paste_row = Some(lines.len() - 1);
                if let Some(why) = &waiting.rejected {
                    lines.push(Line::from(Span::styled(
                        format!("✗ {}", safe(why)),
                        theme.error,
                    )));
                }
            }
        }
    }
    lines.push(expiry_line(state, waiting.expires_at, theme));
    lines.push(Line::default());
    let browser = Context::FlowBrowser;
    let mut hints = vec![(
        flow_key(state, browser, FlowAction::CopyUrl, "y"),
        "copy URL",
    )];
    if state.flows.can_open_browser {
        hints.push((
            flow_key(state, browser, FlowAction::OpenBrowser, "o"),
            "open browser",
        ));
    }
    if waiting.paste_focused {
        let paste = Context::FlowPaste;
        hints = vec![
            (
                flow_key(state, paste, FlowAction::SubmitPaste, "⏎"),
                "send URL",
            ),
            (key(state, paste, Action::Back, "Esc"), "leave field"),
        ];
    } else if waiting.capture.is_some() {
        hints.push((
            flow_key(state, browser, FlowAction::FocusPaste, "p"),
            "paste URL",
        ));
    }
    if !waiting.paste_focused {
        hints.push((key(state, browser, Action::Back, "Esc"), "cancel"));
    }
    lines.push(keys(&hints, theme));
    let title = format!(
        "{} · {}",
        waiting.flow.kind.label(),
        truncated(&waiting.flow.app_name, 24)
    );
    let inner = panel(area, &title, width, lines.len() as u16 + 2, theme, buf);
    put_lines(inner, &lines, buf);
    let row = paste_row?;
    let at = Position::new(inner.x, inner.y + row as u16);
    if at.y >= inner.bottom() {
        return None;
    }
    field(
        &waiting.paste,
        false,
        waiting.paste_focused,
        at,
        inner.width,
        theme,
        buf,
    )
}

/// `http://127.0.0.1:PORT/…` → `127.0.0.1:PORT`.
fn listen_address(redirect_uri: &str) -> String {
    url::Url::parse(redirect_uri)
        .ok()
        .and_then(|u| {
            let host = u.host_str()?.to_string();
            Some(match u.port() {
                Some(port) => format!("{host}:{port}"),
                None => host,
            })
        })
        .unwrap_or_else(|| redirect_uri.to_string())
}
