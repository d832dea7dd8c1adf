//! An app's details: every field, the old secret's grace period counting down, and the
//! keys that act on the app (from the keymap, as bound now).

use crate::domain::rules::redirect_urls_fixed_reason;
use crate::domain::wire::AppDetails;
use crate::domain::{GrantType, Scope};
use crate::tui::action::Action;
use crate::tui::input::binding::Context;
use crate::tui::keymap::{bindings, offered};
use crate::tui::kit::dialog::{boxed, lines_height};
use crate::tui::kit::text::{
    ago, full_date_time, grant_labels, safe, time_left, width, wrap_words,
};
use crate::tui::kit::theme::Theme;
use crate::tui::state::State;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Sparkline, Widget};

pub fn render(
    state: &State,
    client_id: &str,
    details: Option<&AppDetails>,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let width = area.width.saturating_sub(4).min(76);
    let text_w = width.saturating_sub(4);
    let mut lines = details_lines(state, client_id, details, theme);
    // The issuance chart goes on lines left blank for it, under "Issued in 24 h".
    let chart = details.and_then(|d| {
        let at = lines
            .iter()
            .position(|line| line.spans.first().is_some_and(|s| s.content == CHART_MARK))?;
        let bars = chart_bars(&d.hourly_issued, text_w.saturating_sub(LABEL_W));
        if bars.is_empty() {
            lines[at] = Line::default();
            return None;
        }
        lines[at] = Line::default();
        let top = lines_height(&lines[..at], usize::from(text_w)) as u16;
        Some((top, bars))
    });
    let text = boxed(area, &state.app_label(client_id), lines, width, theme, buf);
    if let Some((top, bars)) = chart {
        let y = text.y + top;
        let chart_w = bars.len() as u16;
        let rect = Rect::new(text.x + LABEL_W, y, chart_w, CHART_ROWS);
        if rect.bottom() <= text.bottom() && rect.right() <= text.right() {
            let peak = bars.iter().copied().max().unwrap_or(0).max(1);
            Sparkline::default()
                .data(&bars)
                .max(peak)
                .style(theme.ok)
                .render(rect, buf);
        }
    }
}

/// The width of the labels in front of each value.
const LABEL_W: u16 = 16;
/// How many rows the chart of tokens issued per hour takes.
const CHART_ROWS: u16 = 2;
/// Marks the first line left blank for the chart (never shown: it is replaced).
const CHART_MARK: &str = "\u{0}chart";

/// One bar per hour, oldest first, two columns each when `room` allows: the values
/// the sparkline draws. Empty when the server sent no hourly figures.
fn chart_bars(hourly: &[u64], room: u16) -> Vec<u64> {
    if hourly.is_empty() {
        return Vec::new();
    }
    let per_hour = if usize::from(room) >= hourly.len() * 2 {
        2
    } else {
        1
    };
    hourly
        .iter()
        .flat_map(|&n| std::iter::repeat_n(n, per_hour))
        .take(usize::from(room))
        .collect()
}

/// Last used, issued in 24 h with the peak hour, and the blank lines the chart is
/// drawn on, with its axis: `24h ago … now`.
fn usage_lines<'a>(
    details: Option<&AppDetails>,
    now: i64,
    text_w: u16,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let label = |text: &str| Span::styled(format!("{text:<16}"), theme.dim);
    let Some(details) = details else {
        return vec![
            Line::from(vec![label("Last used"), Span::raw("…")]),
            Line::from(vec![label("Issued in 24 h"), Span::raw("…")]),
        ];
    };
    let usage = &details.usage;
    let peak = details.hourly_issued.iter().copied().max().unwrap_or(0);
    let issued = match usage.issued_24h {
        1 => "1 token".to_string(),
        n => format!("{n} tokens"),
    };
    let mut lines = vec![
        Line::from(vec![
            label("Last used"),
            Span::raw(ago(usage.last_issued_at, now)),
        ]),
        Line::from(vec![
            label("Issued in 24 h"),
            Span::raw(issued),
            Span::styled(
                if details.hourly_issued.is_empty() {
                    String::new()
                } else {
                    format!(" · peak {peak} in an hour")
                },
                theme.dim,
            ),
        ]),
    ];
    let bars = chart_bars(&details.hourly_issued, text_w.saturating_sub(LABEL_W)).len();
    if bars == 0 {
        return lines;
    }
    lines.push(Line::from(CHART_MARK));
    lines.extend((1..CHART_ROWS).map(|_| Line::default()));
    let (left, right) = ("24h ago", "now");
    let gap = bars.saturating_sub(left.len() + right.len());
    lines.push(Line::from(vec![
        Span::raw(" ".repeat(usize::from(LABEL_W))),
        Span::styled(format!("{left}{}{right}", " ".repeat(gap)), theme.dim),
    ]));
    lines
}

fn details_lines<'a>(
    state: &State,
    client_id: &str,
    details: Option<&AppDetails>,
    theme: &Theme,
) -> Vec<Line<'a>> {
    // Long values wrap under themselves, not under the labels.
    let value_w =
        usize::from(state.width.saturating_sub(4).min(76).saturating_sub(4)).saturating_sub(16);
    let row = |label: &str, value: String| -> Vec<Line<'a>> {
        wrap_words(&value, value_w)
            .into_iter()
            .enumerate()
            .map(|(i, part)| {
                let label = if i == 0 { label } else { "" };
                Line::from(vec![
                    Span::styled(format!("{label:<16}"), theme.dim),
                    Span::raw(part),
                ])
            })
            .collect()
    };
    let app = details
        .map(|d| &d.app)
        .or_else(|| state.apps.get(client_id));
    let Some(app) = app else {
        return vec![Line::from("Loading…")];
    };
    let mut lines: Vec<Line<'a>> = [
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
    ]
    .concat();
    match redirect_urls_fixed_reason(app.platform) {
        Some(reason) => lines.extend(row("Redirect URLs", reason.to_string())),
        None if app.redirect_urls.is_empty() => lines.extend(row("Redirect URLs", "none".into())),
        None => {
            for (i, url) in app.redirect_urls.iter().enumerate() {
                let label = if i == 0 { "Redirect URLs" } else { "" };
                lines.extend(row(label, safe(url).into_owned()));
            }
        }
    }
    let scopes: Vec<&str> = Scope::ALL
        .iter()
        .filter(|s| app.scopes.contains(s))
        .map(|s| s.label())
        .collect();
    lines.extend(row("Scopes", scopes.join(", ")));
    let grants: Vec<&str> = GrantType::ALL
        .iter()
        .filter(|g| app.grant_types.contains(g))
        .map(|g| g.label())
        .collect();
    lines.extend(row("Grant types", grants.join(", ")));
    if grant_labels(&app.grant_types).contains('⚠') {
        lines.extend(row("", "⚠ implicit is legacy (RFC 9700 §2.1.2)".into()));
    }
    let ttl = |ttl: Option<i64>| ttl.map_or("server default".to_string(), |s| format!("{s} s"));
    lines.extend(row("Access token", ttl(app.access_token_ttl)));
    lines.extend(row("Refresh token", ttl(app.refresh_token_ttl)));
    lines.extend(row("Created", full_date_time(app.created_at)));
    lines.extend(row("Updated", full_date_time(app.updated_at)));
    // The rotated-out secret's grace period, counting down.
    let grace = app
        .previous_secret_expires_at
        .filter(|until| *until > state.now);
    if let Some(until) = grace {
        lines.extend(row(
            "Previous secret",
            format!(
                "valid until {} ({})",
                full_date_time(until),
                time_left(until, state.now)
            ),
        ));
    }
    lines.extend(row(
        "Active tokens",
        details.map_or("…".to_string(), |d| d.active_tokens.to_string()),
    ));
    let text_w = state.width.saturating_sub(4).min(76).saturating_sub(4);
    lines.extend(usage_lines(details, state.now, text_w, theme));
    lines.push(Line::default());
    // The keys as bound now (config overrides, read-only mode), from the keymap table.
    let mut owned: Vec<(String, &str)> = Vec::new();
    let mut close = None;
    for binding in bindings().filter(|b| b.context == Context::Details && offered(state, b)) {
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
