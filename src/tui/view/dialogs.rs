//! Dialogs over the tabs: confirm, the secret shown once, and an app's details.

use super::super::action::Action;
use super::super::keymap::{self, Context, KEYMAP};
use super::super::state::{Modal, State};
use super::super::text::{full_date_time, grant_labels, safe, width};
use super::super::theme::Theme;
use crate::domain::rules::redirect_urls_fixed_reason;
use crate::domain::{GrantType, Scope};
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

/// Draws `lines` in a framed box with `title`, sized to fit them.
pub fn boxed(
    area: Rect,
    title: &str,
    lines: Vec<Line<'_>>,
    width: u16,
    theme: &Theme,
    buf: &mut Buffer,
) {
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
}

/// Rows `lines` take when word-wrapped at `cols` (greedy, as the paragraph wraps).
fn lines_height(lines: &[Line<'_>], cols: usize) -> usize {
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

fn keys<'a>(pairs: &[(&'a str, &'a str)], theme: &Theme) -> Line<'a> {
    let mut spans = Vec::new();
    for (key, what) in pairs {
        spans.push(Span::styled(*key, theme.key));
        spans.push(Span::raw(format!(" {what}   ")));
    }
    Line::from(spans)
}

fn app_name(state: &State, client_id: &str) -> String {
    state
        .apps
        .get(client_id)
        .map(|a| safe(&a.name).into_owned())
        .unwrap_or_else(|| safe(client_id).into_owned())
}

pub fn render(state: &State, modal: &Modal, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let width = area.width.saturating_sub(4).min(76);
    match modal {
        Modal::Confirm {
            action,
            active_tokens,
        } => {
            let (title, mut lines, yes) = confirm_text(state, action, *active_tokens, theme);
            lines.push(Line::default());
            lines.push(keys(&[("y", yes), ("n", "Cancel")], theme));
            boxed(area, title, lines, width.min(64), theme, buf);
        }
        Modal::Secret {
            client_id,
            app_name,
            secret,
            rotated,
        } => {
            let title = if *rotated {
                "New client secret"
            } else {
                "App created"
            };
            let mut lines = vec![
                Line::from(vec![
                    Span::styled("App        ", theme.dim),
                    Span::raw(safe(app_name).into_owned()),
                ]),
                Line::from(vec![
                    Span::styled("Client ID  ", theme.dim),
                    Span::raw(safe(client_id).into_owned()),
                ]),
                Line::from(vec![
                    Span::styled("Secret     ", theme.dim),
                    Span::styled(safe(secret.expose()).into_owned(), theme.key),
                ]),
                Line::default(),
                Line::from(Span::styled(
                    "This secret will not be shown again. Copy it now and keep it somewhere safe.",
                    theme.warn,
                )),
                Line::default(),
                keys(
                    &[
                        ("y", "copy client ID"),
                        ("s", "copy secret"),
                        ("Esc", "close"),
                    ],
                    theme,
                ),
            ];
            // Operator features: how long the old secret still works.
            let grace = state
                .apps
                .get(client_id)
                .and_then(|app| app.previous_secret_expires_at)
                .filter(|until| *rotated && *until > state.now);
            if let Some(until) = grace {
                lines.insert(
                    lines.len() - 2,
                    Line::from(format!(
                        "The old secret still works until {} ({}).",
                        full_date_time(until),
                        crate::tui::operator::time_left(until, state.now)
                    )),
                );
            }
            boxed(area, title, lines, width, theme, buf);
        }
        Modal::Details { client_id, details } => {
            let lines = details_lines(state, client_id, details.as_ref(), theme);
            boxed(area, &app_name(state, client_id), lines, width, theme, buf);
        }
    }
}

fn confirm_text<'a>(
    state: &State,
    action: &Action,
    active_tokens: Option<u64>,
    theme: &Theme,
) -> (&'static str, Vec<Line<'a>>, &'static str) {
    match action {
        Action::DeleteApp { client_id } => {
            let count = active_tokens.map_or("…".to_string(), |n| n.to_string());
            let noun = if active_tokens == Some(1) {
                "token"
            } else {
                "tokens"
            };
            (
                "Delete app",
                vec![
                    Line::from(format!("Delete “{}”?", app_name(state, client_id))),
                    Line::from(vec![
                        Span::raw("Its "),
                        Span::styled(count, theme.warn),
                        Span::raw(format!(
                            " active {noun} stop working with it. This cannot be undone."
                        )),
                    ]),
                ],
                "Delete",
            )
        }
        Action::RotateSecret { client_id } => (
            "Rotate secret",
            vec![
                Line::from(format!(
                    "Give “{}” a new client secret?",
                    app_name(state, client_id)
                )),
                Line::from(
                    "The new secret is shown once. The old one keeps working for 24 h, so apps can switch over (X in details ends that early).",
                ),
            ],
            "Rotate",
        ),
        Action::RevokeToken { token_id } => {
            let app = state
                .tokens
                .tokens
                .iter()
                .find(|t| t.id == *token_id)
                .map(|t| app_name(state, &t.client_id))
                .unwrap_or_default();
            (
                "Revoke token",
                vec![Line::from(format!(
                    "Revoke token {} of “{app}”? It stops working at once.",
                    safe(token_id)
                ))],
                "Revoke",
            )
        }
        Action::RevokeAppTokens { client_id } => {
            let active = state
                .tokens
                .tokens
                .iter()
                .filter(|t| t.client_id == *client_id && t.is_active(state.now))
                .count();
            (
                "Revoke all tokens",
                vec![Line::from(format!(
                    "Revoke every token of “{}” ({active} active shown here)? Its users must sign in again.",
                    app_name(state, client_id)
                ))],
                "Revoke all",
            )
        }
        // Operator features.
        Action::EndSecretGrace { client_id } => (
            "End grace period",
            vec![Line::from(format!(
                "Stop accepting the old secret of “{}” now? Apps still using it fail at once.",
                app_name(state, client_id)
            ))],
            "End now",
        ),
        Action::DiscardForm => (
            "Unsaved changes",
            vec![Line::from("Leave the form and lose your changes?")],
            "Discard",
        ),
        _ => ("Confirm", vec![Line::from("Are you sure?")], "Yes"),
    }
}

fn details_lines<'a>(
    state: &State,
    client_id: &str,
    details: Option<&crate::domain::wire::AppDetails>,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let row = |label: &str, value: String| -> Line<'a> {
        Line::from(vec![
            Span::styled(format!("{label:<16}"), theme.dim),
            Span::raw(value),
        ])
    };
    let app = details
        .map(|d| &d.app)
        .or_else(|| state.apps.get(client_id));
    let Some(app) = app else {
        return vec![Line::from("Loading…")];
    };
    let mut lines = vec![
        row("Client ID", safe(&app.client_id).into_owned()),
        row(
            "Platform",
            format!("{} — {}", app.platform.label(), app.platform.description()),
        ),
        row(
            "Client type",
            if app.platform.is_confidential() {
                "confidential (has a secret)".into()
            } else {
                "public (PKCE required)".into()
            },
        ),
    ];
    match redirect_urls_fixed_reason(app.platform) {
        Some(reason) => lines.push(row("Redirect URLs", reason.to_string())),
        None if app.redirect_urls.is_empty() => lines.push(row("Redirect URLs", "none".into())),
        None => {
            for (i, url) in app.redirect_urls.iter().enumerate() {
                let label = if i == 0 { "Redirect URLs" } else { "" };
                lines.push(row(label, safe(url).into_owned()));
            }
        }
    }
    let scopes: Vec<&str> = Scope::ALL
        .iter()
        .filter(|s| app.scopes.contains(s))
        .map(|s| s.label())
        .collect();
    lines.push(row("Scopes", scopes.join(", ")));
    let grants: Vec<&str> = GrantType::ALL
        .iter()
        .filter(|g| app.grant_types.contains(g))
        .map(|g| g.label())
        .collect();
    lines.push(row("Grant types", grants.join(", ")));
    if grant_labels(&app.grant_types).contains('⚠') {
        lines.push(row("", "⚠ implicit is legacy (RFC 9700 §2.1.2)".into()));
    }
    let ttl = |ttl: Option<i64>| ttl.map_or("server default".to_string(), |s| format!("{s} s"));
    lines.push(row("Access token", ttl(app.access_token_ttl)));
    lines.push(row("Refresh token", ttl(app.refresh_token_ttl)));
    lines.push(row("Created", full_date_time(app.created_at)));
    lines.push(row("Updated", full_date_time(app.updated_at)));
    // Operator features: the rotated-out secret's grace period, counting down.
    let grace = app
        .previous_secret_expires_at
        .filter(|until| *until > state.now);
    if let Some(until) = grace {
        lines.push(row(
            "Previous secret",
            format!(
                "valid until {} ({})",
                full_date_time(until),
                crate::tui::operator::time_left(until, state.now)
            ),
        ));
    }
    lines.push(row(
        "Active tokens",
        details.map_or("…".to_string(), |d| d.active_tokens.to_string()),
    ));
    lines.push(Line::default());
    // The keys as bound now (config overrides, read-only mode), from the keymap table.
    let mut owned: Vec<(String, &str)> = Vec::new();
    let mut close = None;
    for binding in KEYMAP
        .iter()
        .filter(|b| b.context == Context::Details && keymap::offered(state, b))
    {
        let label = state.keys.label_of(binding).into_owned();
        match binding.action {
            Action::Back => close = Some(label),
            Action::RotateSelectedSecret if !app.platform.is_confidential() => {}
            Action::EndSelectedSecretGrace if grace.is_none() => {}
            Action::EndSelectedSecretGrace => owned.push((label, "end grace")),
            _ => owned.push((label, binding.description)),
        }
    }
    owned.extend(close.map(|label| (label, "close")));
    // Three spaces between keys, as elsewhere, unless that would wrap the line.
    let room = usize::from(state.width.saturating_sub(8).min(72));
    let line_w = |pairs: &[(String, &str)], gap: usize| -> usize {
        pairs
            .iter()
            .map(|(k, d)| width(k) + 1 + width(d) + gap)
            .sum()
    };
    let gap = if line_w(&owned, 3) > room {
        "  "
    } else {
        "   "
    };
    // Still too long: the footer says how to close, the line keeps the actions.
    if line_w(&owned, 2) > room + 2 {
        owned.pop();
    }
    let mut spans = Vec::new();
    for (key, what) in owned {
        spans.push(Span::styled(key, theme.key));
        spans.push(Span::raw(format!(" {what}{gap}")));
    }
    lines.push(Line::from(spans));
    lines
}
