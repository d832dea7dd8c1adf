//! Tokens obtained in this run: kept in memory only, and what can be done with them on
//! the Active tokens tab — copy, refresh, introspect, revoke.

use super::state::{FlowDialog, IntrospectionShown, RunningFlow, SessionOp, SessionToken};
use crate::api::flows::IssuedTokens;
use crate::tui::action::Command;
use crate::tui::shared::{Pending, ToastKind};
use crate::tui::state::State;
use crate::worker::WorkerRequest;

/// Keeps what a finished flow obtained, newest first, and selects it.
pub fn add(state: &mut State, flow: RunningFlow, tokens: IssuedTokens) {
    let id = state.flows.next_session_id();
    if let Some(secret) = &flow.secret {
        // The secret worked: no need to type it again in this run.
        state
            .flows
            .known_secrets
            .insert(flow.client_id.clone(), secret.clone());
    }
    state.flows.session.insert(
        0,
        SessionToken {
            id,
            client_id: flow.client_id,
            app_name: flow.app_name,
            kind: flow.kind,
            tokens,
            obtained_at: state.now,
            secret: flow.secret,
            revoked: false,
            refreshes: 0,
        },
    );
    state.flows.selected = 0;
    state.flows.session_focus = true;
}

pub fn toggle_focus(state: &mut State) -> Vec<Command> {
    state.flows.session_focus = !state.flows.session_focus && !state.flows.session.is_empty();
    Vec::new()
}

/// The selected session token, when this session's tokens have the focus.
fn selected(state: &State) -> Option<&SessionToken> {
    if !state.flows.session_focus {
        return None;
    }
    state.flows.selected_token()
}

pub fn copy_access_token(state: &mut State) -> Vec<Command> {
    match selected(state) {
        Some(token) => vec![Command::CopyToClipboard {
            text: token.tokens.access_token.expose().to_string(),
            what: "Access token".into(),
        }],
        None => Vec::new(),
    }
}

fn send_op(state: &mut State, request: WorkerRequest, op: SessionOp) -> Command {
    let command = state.requests.send(request, Pending::TokenFlow);
    if let Command::Worker(id, _) = &command {
        state.flows.ops.insert(*id, op);
    }
    command
}

/// `f`/`F`: trades the refresh token for new tokens (the server rotates it).
pub fn refresh(state: &mut State) -> Vec<Command> {
    let Some(token) = selected(state) else {
        return Vec::new();
    };
    let Some(refresh_token) = token.tokens.refresh_token.clone() else {
        state.toast(
            ToastKind::Error,
            "✗ No refresh token: ask for the Refresh Token scope",
        );
        return Vec::new();
    };
    let request = WorkerRequest::Refresh {
        client_id: token.client_id.clone(),
        secret: token.secret.clone(),
        refresh_token,
        scopes: token.tokens.scopes.clone(),
    };
    let op = SessionOp::Refresh {
        session_id: token.id,
    };
    vec![send_op(state, request, op)]
}

/// `i`: asks the server about the access token (RFC 7662) and shows its answer.
pub fn introspect(state: &mut State) -> Vec<Command> {
    let Some(token) = selected(state) else {
        return Vec::new();
    };
    let request = WorkerRequest::Introspect {
        client_id: token.client_id.clone(),
        secret: token.secret.clone(),
        token: token.tokens.access_token.clone(),
    };
    let app_name = token.app_name.clone();
    let command = send_op(state, request, SessionOp::Introspect);
    let Command::Worker(id, _) = &command else {
        return Vec::new();
    };
    state.flows.dialog = Some(FlowDialog::Introspection(IntrospectionShown {
        request: *id,
        app_name,
        answer: None,
    }));
    vec![command]
}

/// `x`: revokes the tokens as the client would (RFC 7009): the refresh token, which
/// ends the family, and the access token.
pub fn revoke(state: &mut State) -> Vec<Command> {
    let Some(token) = selected(state) else {
        return Vec::new();
    };
    let mut tokens = vec![token.tokens.access_token.clone()];
    tokens.extend(token.tokens.refresh_token.clone());
    let (client_id, secret, session_id) = (token.client_id.clone(), token.secret.clone(), token.id);
    tokens
        .into_iter()
        .map(|token| {
            let request = WorkerRequest::Revoke {
                client_id: client_id.clone(),
                secret: secret.clone(),
                token,
            };
            send_op(state, request, SessionOp::Revoke { session_id })
        })
        .collect()
}
