//! The worker's answers about tokens: the list, and revocations.

use crate::tui::geometry::keep_cursors_visible;
use crate::tui::shared::{Connection, ToastKind};
use crate::tui::state::State;
use crate::worker::WorkerReply;

pub fn apply(state: &mut State, reply: WorkerReply) {
    match reply {
        WorkerReply::Tokens(result) => match result {
            Ok(page) => {
                state.connection = Connection::Connected;
                state.tokens.set_tokens(page.tokens, &state.apps);
                keep_cursors_visible(state);
            }
            Err(e) => state.failed("Could not load tokens", &e),
        },
        WorkerReply::TokenRevoked { token_id, result } => match result {
            Ok(()) => {
                state.connection = Connection::Connected;
                let now = state.now;
                state.tokens.mark_revoked(|t| t.id == token_id, now);
                state.toast(ToastKind::Success, "✓ Token revoked");
            }
            Err(e) => state.failed("Not revoked", &e),
        },
        WorkerReply::AppTokensRevoked { client_id, result } => match result {
            Ok(count) => {
                state.connection = Connection::Connected;
                let now = state.now;
                state.tokens.mark_revoked(|t| t.client_id == client_id, now);
                let name = state
                    .apps
                    .get(&client_id)
                    .map(|a| a.name.clone())
                    .unwrap_or(client_id);
                let noun = if count.revoked == 1 {
                    "token"
                } else {
                    "tokens"
                };
                state.toast(
                    ToastKind::Success,
                    format!("✓ Revoked {} {noun} of {name}", count.revoked),
                );
            }
            Err(e) => state.failed("Not revoked", &e),
        },
        _ => {}
    }
}
