//! The confirm dialog: what is about to happen, in words, and yes or no. Its key hints
//! come from the keymap.

use crate::tui::action::Action;
use crate::tui::input::binding::Context;
use crate::tui::keymap::key_hint;
use crate::tui::kit::dialog::{boxed, keys};
use crate::tui::kit::text::safe;
use crate::tui::kit::theme::Theme;
use crate::tui::state::State;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn render(
    state: &State,
    action: &Action,
    active_tokens: Option<u64>,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let width = area.width.saturating_sub(4).min(76);
    let (title, mut lines, yes) = confirm_text(state, action, active_tokens, theme);
    let hint = |action: Action, default: &str| {
        key_hint(state, Context::Confirm, &action).unwrap_or_else(|| default.to_string())
    };
    lines.push(Line::default());
    lines.push(keys(
        &[
            (hint(Action::Confirmed, "y"), yes),
            (hint(Action::Back, "n"), "Cancel"),
        ],
        theme,
    ));
    boxed(area, title, lines, width.min(64), theme, buf);
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
                    Line::from(format!("Delete “{}”?", state.app_label(client_id))),
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
                    state.app_label(client_id)
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
                .map(|t| state.app_label(&t.client_id))
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
                    state.app_label(client_id)
                ))],
                "Revoke all",
            )
        }
        Action::EndSecretGrace { client_id } => (
            "End grace period",
            vec![Line::from(format!(
                "Stop accepting the old secret of “{}” now? Apps still using it fail at once.",
                state.app_label(client_id)
            ))],
            "End now",
        ),
        Action::PatchApp {
            client_id, impact, ..
        } => {
            let summary = impact.as_ref().map_or_else(
                || "Its active tokens lose what is taken away now.".to_string(),
                |i| format!("{}.", i.summary()),
            );
            (
                "Take access away",
                vec![
                    Line::from(format!(
                        "Save this change to “{}”?",
                        state.app_label(client_id)
                    )),
                    Line::from(Span::styled(summary, theme.warn)),
                ],
                "Save",
            )
        }
        Action::SetUserDisabled { username, .. } => (
            "Disable user",
            vec![
                Line::from(format!(
                    "Disable {}? They can no longer sign in.",
                    safe(username)
                )),
                Line::from(Span::styled(
                    format!(
                        "{}.",
                        user_tokens(state, username, "is revoked", "are revoked")
                    ),
                    theme.warn,
                )),
            ],
            "Disable",
        ),
        Action::DeleteUser { username } => (
            "Delete user",
            vec![
                Line::from(format!(
                    "Delete {}? {}.",
                    safe(username),
                    user_tokens(state, username, "is revoked", "are revoked")
                )),
                Line::from("This cannot be undone."),
            ],
            "Delete",
        ),
        Action::RevokeUserTokens { username } => (
            "Revoke all tokens of a user",
            vec![Line::from(format!(
                "Revoke every token of {}? {} at once; they must sign in again.",
                safe(username),
                user_tokens(state, username, "stops working", "stop working")
            ))],
            "Revoke all",
        ),
        Action::RevokeUserGrant {
            username,
            family_id,
        } => {
            let grant = state
                .user_details
                .as_ref()
                .and_then(|d| d.details.as_ref())
                .and_then(|d| d.grants.iter().find(|g| g.family_id == *family_id));
            let (app, count) = grant.map_or_else(
                || ("this app".to_string(), "Its tokens stop".to_string()),
                |g| {
                    let verb = if g.active_tokens == 1 {
                        "stops"
                    } else {
                        "stop"
                    };
                    (
                        format!("“{}”", safe(&g.app_name)),
                        format!("Its {} {verb}", tokens_words(g.active_tokens)),
                    )
                },
            );
            (
                "Revoke app access",
                vec![Line::from(format!(
                    "Revoke {}'s authorisation of {app}? {count} working at once.",
                    safe(username)
                ))],
                "Revoke",
            )
        }
        Action::DiscardForm => (
            "Unsaved changes",
            vec![Line::from("Leave the form and lose your changes?")],
            "Discard",
        ),
        _ => ("Confirm", vec![Line::from("Are you sure?")], "Yes"),
    }
}

/// `3 active tokens of 2 apps are revoked`, counted from the users list, with the verb
/// agreeing; `Their active tokens are revoked` when the user is not in it.
fn user_tokens(state: &State, username: &str, one: &str, many: &str) -> String {
    match state.users.get(username) {
        Some(user) => {
            let apps = match user.authorised_apps {
                1 => "1 app".to_string(),
                n => format!("{n} apps"),
            };
            let verb = if user.active_tokens == 1 { one } else { many };
            format!("{} of {apps} {verb}", tokens_words(user.active_tokens))
        }
        None => format!("Their active tokens {many}"),
    }
}

fn tokens_words(n: u64) -> String {
    match n {
        1 => "1 active token".to_string(),
        n => format!("{n} active tokens"),
    }
}
