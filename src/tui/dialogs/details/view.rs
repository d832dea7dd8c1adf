//! An app's details: every field, the old secret's grace period counting down, and the
//! keys that act on the app (from the keymap, as bound now).

use crate::domain::rules::redirect_urls_fixed_reason;
use crate::domain::wire::AppDetails;
use crate::domain::{GrantType, Scope};
use crate::tui::action::Action;
use crate::tui::input::binding::Context;
use crate::tui::keymap::{bindings, offered};
use crate::tui::kit::dialog::boxed;
use crate::tui::kit::text::{full_date_time, grant_labels, safe, time_left, width};
use crate::tui::kit::theme::Theme;
use crate::tui::state::State;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn render(
    state: &State,
    client_id: &str,
    details: Option<&AppDetails>,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let width = area.width.saturating_sub(4).min(76);
    let lines = details_lines(state, client_id, details, theme);
    boxed(area, &state.app_label(client_id), lines, width, theme, buf);
}

fn details_lines<'a>(
    state: &State,
    client_id: &str,
    details: Option<&AppDetails>,
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
    // The rotated-out secret's grace period, counting down.
    let grace = app
        .previous_secret_expires_at
        .filter(|until| *until > state.now);
    if let Some(until) = grace {
        lines.push(row(
            "Previous secret",
            format!(
                "valid until {} ({})",
                full_date_time(until),
                time_left(until, state.now)
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
