//! The worker's answers, folded into the state. Stale answers are dropped by id.

use super::action::Command;
use super::state::{Connection, Modal, Pending, State, ToastKind};
use super::token_flow;
use super::update::{keep_cursors_visible, show_secret};
use crate::api::ApiError;
use crate::worker::{RequestId, WorkerReply};

pub fn apply(state: &mut State, id: RequestId, reply: WorkerReply) -> Vec<Command> {
    // Token flows answer several times under one id: they keep their own books.
    if token_flow::is_flow_reply(&reply) {
        return token_flow::apply_reply(state, id, reply);
    }
    let Some(pending) = state.requests.take(id) else {
        // Superseded by a newer request of the same kind, or never asked for.
        return Vec::new();
    };
    // Operator features: the audit log and the grace period.
    let Some(reply) = super::operator::apply_reply(state, reply) else {
        return Vec::new();
    };
    match reply {
        WorkerReply::WhoAmI(result) => {
            if let Some(who) = ok(state, result) {
                state.read_only = who.read_only || state.read_only_by_choice;
            }
        }
        WorkerReply::Apps(result) => match result {
            Ok(apps) => {
                state.connection = Connection::Connected;
                state.apps.set_apps(apps);
                state.tokens.rebuild_index(&state.apps);
                keep_cursors_visible(state);
            }
            Err(e) => failed(state, "Could not load apps", &e),
        },
        WorkerReply::AppDetails(result) => {
            if let Some(details) = ok(state, result) {
                match &mut state.modal {
                    Some(Modal::Details {
                        client_id,
                        details: shown,
                    }) if *client_id == details.app.client_id => *shown = Some(details),
                    Some(Modal::Confirm {
                        action,
                        active_tokens,
                    }) if matches!(&**action, super::action::Action::DeleteApp { client_id } if *client_id == details.app.client_id) => {
                        *active_tokens = Some(details.active_tokens)
                    }
                    _ => {}
                }
            }
        }
        WorkerReply::AppCreated(result) => match result {
            Ok(created) => {
                state.connection = Connection::Connected;
                state.form = None;
                let name = created.app.name.clone();
                let client_id = created.app.client_id.clone();
                state.apps.upsert(created.app);
                keep_cursors_visible(state);
                state.toast(ToastKind::Success, format!("✓ Created {name}"));
                if let Some(secret) = created.client_secret {
                    state.flows.remember_secret(&client_id, &secret);
                    show_secret(state, client_id, name, secret, false);
                }
            }
            Err(e) => form_refused(state, e),
        },
        WorkerReply::AppUpdated { client_id, result } => match (pending, result) {
            (pending, Ok(app)) => {
                state.connection = Connection::Connected;
                // Only the form's own save closes it; a matrix toggle landing meanwhile
                // must not.
                let saved_form = matches!(pending, Pending::SaveForm)
                    && state.form.as_ref().is_some_and(|f| f.saving);
                if saved_form {
                    state.form = None;
                    state.toast(ToastKind::Success, format!("✓ Saved {}", app.name));
                }
                state.apps.upsert(app);
                keep_cursors_visible(state);
            }
            (Pending::Patch { before }, Err(e)) => {
                note_connection(state, &e);
                let name = before.name.clone();
                if state.apps.get(&client_id).is_some() {
                    state.apps.upsert(*before);
                    keep_cursors_visible(state);
                }
                state.toast(ToastKind::Error, format!("✗ {name} not changed: {e}"));
            }
            (_, Err(e)) => form_refused(state, e),
        },
        WorkerReply::AppDeleted { client_id, result } => match result {
            Ok(()) => {
                state.connection = Connection::Connected;
                let name = state
                    .apps
                    .get(&client_id)
                    .map(|a| a.name.clone())
                    .unwrap_or_else(|| client_id.clone());
                state.apps.remove(&client_id);
                state.tokens.tokens.retain(|t| t.client_id != client_id);
                state.tokens.rebuild_index(&state.apps);
                keep_cursors_visible(state);
                state.toast(ToastKind::Success, format!("✓ Deleted {name}"));
            }
            Err(e) => failed(state, "Not deleted", &e),
        },
        WorkerReply::SecretRotated(result) => match result {
            Ok(rotated) => {
                state.connection = Connection::Connected;
                let name = state
                    .apps
                    .get(&rotated.client_id)
                    .map(|a| a.name.clone())
                    .unwrap_or_default();
                state
                    .flows
                    .remember_secret(&rotated.client_id, &rotated.client_secret);
                show_secret(state, rotated.client_id, name, rotated.client_secret, true);
            }
            Err(e) => failed(state, "Secret not rotated", &e),
        },
        WorkerReply::Tokens(result) => match result {
            Ok(page) => {
                state.connection = Connection::Connected;
                state.tokens.set_tokens(page.tokens, &state.apps);
                keep_cursors_visible(state);
            }
            Err(e) => failed(state, "Could not load tokens", &e),
        },
        WorkerReply::TokenRevoked { token_id, result } => match result {
            Ok(()) => {
                state.connection = Connection::Connected;
                let now = state.now;
                state.tokens.mark_revoked(|t| t.id == token_id, now);
                state.toast(ToastKind::Success, "✓ Token revoked");
            }
            Err(e) => failed(state, "Not revoked", &e),
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
            Err(e) => failed(state, "Not revoked", &e),
        },
        // Token-flow answers went to `token_flow` above.
        _ => {}
    }
    Vec::new()
}

fn note_connection(state: &mut State, error: &ApiError) {
    state.connection = match error {
        ApiError::Unreachable { .. } => Connection::Unreachable,
        _ => Connection::Connected,
    };
}

fn ok<T>(state: &mut State, result: Result<T, ApiError>) -> Option<T> {
    match result {
        Ok(value) => {
            state.connection = Connection::Connected;
            Some(value)
        }
        Err(e) => {
            failed(state, "Request failed", &e);
            None
        }
    }
}

fn failed(state: &mut State, what: &str, error: &ApiError) {
    note_connection(state, error);
    state.toast(ToastKind::Error, format!("✗ {what}: {error}"));
}

/// The server refused the form: its reasons go beside the fields they name.
fn form_refused(state: &mut State, error: ApiError) {
    note_connection(state, &error);
    match &mut state.form {
        Some(form) => {
            form.saving = false;
            form.show_errors = true;
            if let ApiError::Server { violations, .. } = &error
                && !violations.is_empty()
            {
                form.violations = violations.clone();
            }
            form.server_error = Some(error.to_string());
            state.toast(ToastKind::Error, "✗ Not saved: the server refused");
        }
        None => state.toast(ToastKind::Error, format!("✗ Not saved: {error}")),
    }
}
