//! The dialog that shows a new client secret, this once. Its key hints come from the
//! keymap, so keys rebound in the config show here too.

use crate::api::flows::SecretString;
use crate::tui::action::Action;
use crate::tui::input::binding::Context;
use crate::tui::keymap::key_hint;
use crate::tui::kit::dialog::{boxed, keys};
use crate::tui::kit::text::{full_date_time, safe, time_left};
use crate::tui::kit::theme::Theme;
use crate::tui::state::State;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// What the dialog shows: the app and its new secret.
pub struct Shown<'a> {
    pub client_id: &'a str,
    pub app_name: &'a str,
    pub secret: &'a SecretString,
    /// After a rotation (the old secret may still work for a while).
    pub rotated: bool,
}

fn hint(state: &State, action: Action, default: &str) -> String {
    key_hint(state, Context::Secret, &action).unwrap_or_else(|| default.to_string())
}

pub fn render(state: &State, shown: Shown<'_>, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let Shown {
        client_id,
        app_name,
        secret,
        rotated,
    } = shown;
    let rotated = &rotated;
    let width = area.width.saturating_sub(4).min(76);
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
                (
                    hint(state, Action::CopySecretModalId, "y"),
                    "copy client ID",
                ),
                (
                    hint(state, Action::CopySecretModalSecret, "s"),
                    "copy secret",
                ),
                (hint(state, Action::Back, "Esc"), "close"),
            ],
            theme,
        ),
    ];
    // How long the old secret still works.
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
                time_left(until, state.now)
            )),
        );
    }
    boxed(area, title, lines, width, theme, buf);
}
