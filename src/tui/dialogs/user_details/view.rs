//! A user's details: status, last sign-in, and the apps they authorised (scopes, when,
//! last used, active tokens), one selectable row each; the keys come from the keymap.

use super::state::UserDetailsState;
use crate::domain::UserGrant;
use crate::tui::input::binding::Context;
use crate::tui::keymap::{bindings, offered};
use crate::tui::kit::dialog::{boxed, keys};
use crate::tui::kit::text::{ago, date_time, fit, full_date_time, safe, scope_labels};
use crate::tui::kit::theme::Theme;
use crate::tui::state::State;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// Lines of the dialog besides the grant rows: frame, facts, headings, keys.
const OTHER_LINES: u16 = 13;

pub fn render(state: &State, open: &UserDetailsState, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let width = area.width.saturating_sub(4).min(76);
    let room = usize::from(width.saturating_sub(4));
    let rows = usize::from(area.height.saturating_sub(OTHER_LINES).max(1));
    let lines = lines(state, open, theme, room, rows);
    boxed(area, &safe(&open.username), lines, width, theme, buf);
}

fn lines<'a>(
    state: &State,
    open: &UserDetailsState,
    theme: &Theme,
    room: usize,
    rows: usize,
) -> Vec<Line<'a>> {
    let row = |label: &str, value: Span<'a>| -> Line<'a> {
        Line::from(vec![Span::styled(format!("{label:<16}"), theme.dim), value])
    };
    let Some(details) = &open.details else {
        return vec![Line::from("Loading…")];
    };
    let user = &details.user;
    let mut lines = vec![
        row(
            "Status",
            if user.disabled {
                Span::styled("disabled: cannot sign in", theme.error)
            } else {
                Span::styled("active", theme.ok)
            },
        ),
        row("Created", Span::raw(full_date_time(user.created_at))),
        row(
            "Last sign-in",
            Span::raw(match user.last_sign_in {
                Some(at) => format!("{} ({})", ago(Some(at), state.now), full_date_time(at)),
                None => "never".to_string(),
            }),
        ),
        row(
            "Active tokens",
            Span::raw(format!(
                "{}, held by {} {}",
                user.active_tokens,
                user.authorised_apps,
                if user.authorised_apps == 1 {
                    "app"
                } else {
                    "apps"
                }
            )),
        ),
        Line::default(),
    ];
    if details.grants.is_empty() {
        lines.push(Line::from(Span::styled(
            "No app holds an active token of this user.",
            theme.dim,
        )));
    } else {
        lines.push(Line::from(Span::styled(
            fit(
                &format!(
                    "  {:<20}  {:<14}  {:<12}  {:<9}  {:>6}",
                    "Authorised app", "Scopes", "Granted", "Last used", "Tokens"
                ),
                room,
            ),
            theme.header,
        )));
        let first = open.selected.saturating_sub(rows.saturating_sub(1));
        for (i, grant) in details.grants.iter().enumerate().skip(first).take(rows) {
            let selected = i == open.selected;
            let text = fit(&grant_row(grant, selected, state.now), room);
            let style = if selected { theme.selected } else { theme.base };
            lines.push(Line::from(Span::styled(text, style)));
        }
        let hidden = details.grants.len().saturating_sub(first + rows);
        if hidden > 0 {
            lines.push(Line::from(Span::styled(
                format!("  … {hidden} more (j/k to scroll)"),
                theme.dim,
            )));
        }
    }
    lines.push(Line::default());
    let pairs: Vec<(String, &str)> = bindings()
        .filter(|b| b.context == Context::UserDetails && b.footer && offered(state, b))
        .filter(|b| !details.grants.is_empty() || b.action.name() != Some("revoke_grant"))
        .map(|b| (state.keys.label_of(b).into_owned(), b.description))
        .collect();
    lines.push(keys(&pairs, theme));
    lines
}

fn grant_row(grant: &UserGrant, selected: bool, now: i64) -> String {
    format!(
        "{} {}  {:<14}  {:<12}  {:<9}  {:>6}",
        if selected { "▌" } else { " " },
        fit(&safe(&grant.app_name), 20),
        scope_labels(&grant.scopes),
        date_time(grant.granted_at),
        ago(Some(grant.last_issued_at), now),
        grant.active_tokens
    )
}
