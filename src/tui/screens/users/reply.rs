//! The worker's answers about users: the list, one user's details, and the changes
//! (each followed by fresh counts from the server).

use crate::domain::UserChanged;
use crate::domain::wire::RevokedCount;
use crate::tui::action::Command;
use crate::tui::dialogs::prompt::state::PromptKind;
use crate::tui::geometry::keep_cursors_visible;
use crate::tui::kit::text::safe;
use crate::tui::shared::{Connection, ToastKind};
use crate::tui::state::{Modal, State};
use crate::worker::WorkerReply;

pub fn apply(state: &mut State, reply: WorkerReply) -> Vec<Command> {
    match reply {
        WorkerReply::Users(result) => match result {
            Ok(users) => {
                state.connection = Connection::Connected;
                state.users.set_users(users);
                keep_cursors_visible(state);
            }
            Err(e) => state.failed("Could not load users", &e),
        },
        WorkerReply::UserDetails(result) => match result {
            Ok(details) => {
                state.connection = Connection::Connected;
                if let Some(open) = &mut state.user_details
                    && open.username == details.user.username
                {
                    open.set(details);
                }
            }
            Err(e) => state.failed("Could not load the user", &e),
        },
        WorkerReply::UserChanged { username, result } => {
            return changed(state, &username, result);
        }
        WorkerReply::UserDeleted { username, result } => match result {
            Ok(count) => {
                state.connection = Connection::Connected;
                state.users.remove(&username);
                if state
                    .user_details
                    .as_ref()
                    .is_some_and(|d| d.username == username)
                {
                    state.user_details = None;
                }
                mark_tokens_revoked(state, &username);
                keep_cursors_visible(state);
                let text = format!("✓ Deleted {}{}", safe(&username), revoked_words(&count));
                state.toast(ToastKind::Success, text);
            }
            Err(e) => state.failed("Not deleted", &e),
        },
        WorkerReply::UserTokensRevoked { username, result } => match result {
            Ok(count) => {
                state.connection = Connection::Connected;
                mark_tokens_revoked(state, &username);
                let text = format!("✓ Revoked {} of {}", tokens(count.revoked), safe(&username));
                state.toast(ToastKind::Success, text);
                return reload(state, &username);
            }
            Err(e) => state.failed("Not revoked", &e),
        },
        WorkerReply::UserGrantRevoked {
            username,
            family_id,
            result,
        } => match result {
            Ok(count) => {
                state.connection = Connection::Connected;
                let now = state.now;
                state.tokens.mark_revoked(|t| t.family_id == family_id, now);
                let text = format!("✓ Revoked {} of {}", tokens(count.revoked), safe(&username));
                state.toast(ToastKind::Success, text);
                return reload(state, &username);
            }
            Err(e) => state.failed("Not revoked", &e),
        },
        _ => {}
    }
    Vec::new()
}

/// A user's change came back: disabled or enabled, or a new password.
fn changed(
    state: &mut State,
    username: &str,
    result: Result<UserChanged, crate::api::ApiError>,
) -> Vec<Command> {
    let password_prompt = matches!(
        &state.modal,
        Some(Modal::Prompt(p)) if p.waiting
            && matches!(&p.kind, PromptKind::Password { username: u } if u == username)
    );
    match result {
        Ok(changed) => {
            state.connection = Connection::Connected;
            let now_disabled = changed.user.disabled;
            let was_disabled = state.users.get(username).map(|u| u.disabled);
            state.users.upsert(changed.user);
            keep_cursors_visible(state);
            let name = safe(username).into_owned();
            let text = if password_prompt {
                state.modal = None;
                format!("✓ New password set for {name}")
            } else if now_disabled && was_disabled != Some(true) {
                mark_tokens_revoked(state, username);
                format!(
                    "✓ Disabled {name}{}",
                    revoked_words(&RevokedCount {
                        revoked: changed.revoked_tokens
                    })
                )
            } else if !now_disabled {
                format!("✓ Enabled {name}")
            } else {
                format!("✓ Saved {name}")
            };
            state.toast(ToastKind::Success, text);
            reload(state, username)
        }
        Err(e) => {
            if password_prompt && let Some(Modal::Prompt(prompt)) = &mut state.modal {
                // The server's reason (e.g. too short) stays in the dialog to retype.
                prompt.waiting = false;
                prompt.error = Some(e.to_string());
                state.note_connection(&e);
                return Vec::new();
            }
            state.failed("Not saved", &e);
            Vec::new()
        }
    }
}

/// Fresh counts after a change: the list, and the details if they are open.
fn reload(state: &mut State, username: &str) -> Vec<Command> {
    let mut commands = vec![state.requests.load_users()];
    if state
        .user_details
        .as_ref()
        .is_some_and(|d| d.username == username)
    {
        commands.push(state.requests.load_user_details(username));
    }
    commands
}

fn mark_tokens_revoked(state: &mut State, username: &str) {
    let now = state.now;
    state.tokens.mark_revoked(|t| t.subject == username, now);
}

fn tokens(n: u64) -> String {
    match n {
        1 => "1 token".to_string(),
        n => format!("{n} tokens"),
    }
}

fn revoked_words(count: &RevokedCount) -> String {
    match count.revoked {
        0 => String::new(),
        n => format!("; {} revoked", tokens(n)),
    }
}
