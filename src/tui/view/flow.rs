//! The token-flow dialogs: Get token, waiting for the browser, the device code, the
//! token request in flight, and the introspection answer.

use super::super::state::State;
use super::super::text::{countdown, date_time, safe};
use super::super::theme::Theme;
use super::super::token_flow::{
    FlowDialog, FlowSetup, IntrospectionShown, MaskedInput, SetupFocus, WaitingBrowser,
};
use super::dialogs::{boxed, centered};
use crate::worker::RedirectCapture;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

/// Draws the open dialog; returns where the terminal cursor goes (a text field).
pub fn render(state: &State, theme: &Theme, area: Rect, buf: &mut Buffer) -> Option<Position> {
    let dialog = state.flows.dialog.as_ref()?;
    let width = area.width.saturating_sub(4).min(76);
    match dialog {
        FlowDialog::Setup(setup) => setup_dialog(setup, theme, area, width, buf),
        FlowDialog::Browser(waiting) => browser_dialog(state, waiting, theme, area, width, buf),
        FlowDialog::Device(device) => {
            super::device_flow::render(state, device, theme, area, buf);
            None
        }
        FlowDialog::Requesting(flow) => {
            let lines = vec![
                Line::from(format!(
                    "Asking the token endpoint for a token for {}…",
                    safe(&flow.app_name)
                )),
                Line::default(),
                hint(&[("Esc", "close")], theme),
            ];
            boxed(area, flow.kind.label(), lines, width.min(60), theme, buf);
            None
        }
        FlowDialog::Introspection(shown) => {
            introspection_dialog(state, shown, theme, area, width, buf);
            None
        }
    }
}

pub(super) fn hint<'a>(pairs: &[(&'a str, &'a str)], theme: &Theme) -> Line<'a> {
    let mut spans = Vec::new();
    for (key, what) in pairs {
        spans.push(Span::styled(*key, theme.key));
        spans.push(Span::raw(format!(" {what}   ")));
    }
    Line::from(spans)
}

/// A cleared, framed box; returns the inner rect less one column of padding each side.
pub(super) fn panel(
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
pub(super) fn put_lines(inner: Rect, lines: &[Line<'_>], buf: &mut Buffer) -> u16 {
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
pub(super) fn hard_wrap(text: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(1);
    let chars: Vec<char> = text.chars().collect();
    chars.chunks(cols).map(|c| c.iter().collect()).collect()
}

/// A one-row text field of `cols` cells showing `input` (masked or not); returns the
/// cursor position when focused.
fn field(
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

const LABEL: usize = 9;

fn label(text: &str, theme: &Theme) -> Span<'static> {
    Span::styled(format!("{text:<LABEL$}"), theme.dim)
}

fn setup_dialog(
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
    lines.push(hint(
        &[("⏎", "get token"), ("space", "toggle"), ("Esc", "close")],
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
    let mut keys = vec![("y", "copy URL")];
    if state.flows.can_open_browser {
        keys.push(("o", "open browser"));
    }
    if waiting.paste_focused {
        keys = vec![("⏎", "send URL"), ("Esc", "leave field")];
    } else if waiting.capture.is_some() {
        keys.push(("p", "paste URL"));
    }
    if !waiting.paste_focused {
        keys.push(("Esc", "cancel"));
    }
    lines.push(hint(&keys, theme));
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

pub(super) fn truncated(text: &str, max: usize) -> String {
    super::super::text::truncate(&safe(text), max).into_owned()
}

fn introspection_dialog(
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
    lines.push(hint(&[("Esc", "close")], theme));
    let height = lines.len() as u16 + 2;
    let w = width.min(64).max(width.min(20));
    let inner = panel(area, "Introspection (RFC 7662)", w, height, theme, buf);
    put_lines(inner, &lines, buf);
}
