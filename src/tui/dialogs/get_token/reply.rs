//! The worker's answers about token flows. A flow answers several times; answers that
//! name another flow than the one on screen are stale and dropped.

use super::session;
use super::state::{DeviceCodeShown, FlowDialog, PollStatus, SessionOp};
use super::waiting::forget_flow;
use crate::api::flows::{DevicePollEvent, FlowError};
use crate::tui::action::{Command, Tab};
use crate::tui::shared::ToastKind;
use crate::tui::state::State;
use crate::worker::{FlowId, RequestId, WorkerReply};

/// Whether `reply` belongs to a token flow (and so to this module).
pub fn is_flow_reply(reply: &WorkerReply) -> bool {
    matches!(
        reply,
        WorkerReply::AuthorizationUrl { .. }
            | WorkerReply::PastedUrlRejected { .. }
            | WorkerReply::DeviceCode { .. }
            | WorkerReply::DevicePolling { .. }
            | WorkerReply::FlowFinished { .. }
            | WorkerReply::Refreshed(_)
            | WorkerReply::Introspected(_)
            | WorkerReply::Revoked(_)
    )
}

fn current_flow(state: &State) -> Option<FlowId> {
    state.flows.dialog.as_ref().and_then(FlowDialog::flow_id)
}

pub fn apply(state: &mut State, id: RequestId, reply: WorkerReply) -> Vec<Command> {
    use WorkerReply as R;
    match reply {
        R::AuthorizationUrl {
            flow_id,
            url,
            capture,
            expires_at,
            legacy,
        } => {
            if let Some(FlowDialog::Browser(waiting)) = &mut state.flows.dialog
                && waiting.flow.flow_id == flow_id
            {
                waiting.url = Some(url);
                waiting.capture = Some(capture);
                waiting.expires_at = Some(expires_at);
                waiting.legacy = legacy;
            }
            Vec::new()
        }
        R::PastedUrlRejected { flow_id, error } => {
            if let Some(FlowDialog::Browser(waiting)) = &mut state.flows.dialog
                && waiting.flow.flow_id == flow_id
            {
                waiting.rejected = Some(error.to_string());
                waiting.paste_focused = true;
            }
            Vec::new()
        }
        R::DeviceCode {
            flow_id,
            user_code,
            verification_uri,
            verification_uri_complete,
            expires_at,
            interval,
        } => {
            if let Some(FlowDialog::Device(device)) = &mut state.flows.dialog
                && device.flow.flow_id == flow_id
            {
                device.code = Some(DeviceCodeShown {
                    user_code,
                    verification_uri,
                    verification_uri_complete,
                    expires_at,
                });
                device.status = PollStatus::Pending {
                    interval: interval.as_secs(),
                };
            }
            Vec::new()
        }
        R::DevicePolling { flow_id, event } => {
            if let Some(FlowDialog::Device(device)) = &mut state.flows.dialog
                && device.flow.flow_id == flow_id
            {
                device.status = match event {
                    DevicePollEvent::Pending { interval } => PollStatus::Pending {
                        interval: interval.as_secs(),
                    },
                    DevicePollEvent::SlowDown { interval } => PollStatus::SlowDown {
                        interval: interval.as_secs(),
                    },
                    DevicePollEvent::Retrying { interval, reason } => PollStatus::Retrying {
                        interval: interval.as_secs(),
                        reason,
                    },
                };
            }
            Vec::new()
        }
        R::FlowFinished { flow_id, result } => finished(state, flow_id, result),
        R::Refreshed(result) => {
            let Some(SessionOp::Refresh { session_id }) = take_op(state, id) else {
                return Vec::new();
            };
            match result {
                Ok(tokens) => {
                    if let Some(token) = state.flows.session.iter_mut().find(|t| t.id == session_id)
                    {
                        // Rotation: the new refresh token replaces the old one, which
                        // the server has now spent.
                        token.tokens = tokens;
                        token.refreshes += 1;
                        token.revoked = false;
                    }
                    state.toast(ToastKind::Success, "✓ Tokens refreshed");
                    reload_tokens(state)
                }
                Err(e) => flow_failed(state, "Not refreshed", &e),
            }
        }
        R::Introspected(result) => {
            if take_op(state, id) != Some(SessionOp::Introspect) {
                return Vec::new();
            }
            if let Some(FlowDialog::Introspection(shown)) = &mut state.flows.dialog
                && shown.request == id
            {
                shown.answer = Some(result.map_err(|e| e.to_string()));
            }
            Vec::new()
        }
        R::Revoked(result) => {
            let Some(SessionOp::Revoke { session_id }) = take_op(state, id) else {
                return Vec::new();
            };
            match result {
                Ok(()) => {
                    let last = !state.flows.ops.values().any(
                        |op| matches!(op, SessionOp::Revoke { session_id: s } if *s == session_id),
                    );
                    if let Some(token) = state.flows.session.iter_mut().find(|t| t.id == session_id)
                    {
                        token.revoked = true;
                    }
                    if last {
                        state.toast(ToastKind::Success, "✓ Token revoked (RFC 7009)");
                        return reload_tokens(state);
                    }
                    Vec::new()
                }
                Err(e) => flow_failed(state, "Not revoked", &e),
            }
        }
        _ => Vec::new(),
    }
}

fn take_op(state: &mut State, id: RequestId) -> Option<SessionOp> {
    state.requests.in_flight.remove(&id);
    state.flows.ops.remove(&id)
}

fn finished(
    state: &mut State,
    flow_id: FlowId,
    result: Result<crate::api::flows::IssuedTokens, FlowError>,
) -> Vec<Command> {
    if current_flow(state) != Some(flow_id) {
        // A flow the user cancelled or replaced: its end changes nothing.
        forget_flow(state, flow_id);
        return Vec::new();
    }
    forget_flow(state, flow_id);
    let flow = match state.flows.dialog.take() {
        Some(FlowDialog::Browser(w)) => w.flow,
        Some(FlowDialog::Device(d)) => d.flow,
        Some(FlowDialog::Requesting(f)) => f,
        _ => return Vec::new(),
    };
    match result {
        Ok(tokens) => {
            let name = flow.app_name.clone();
            session::add(state, flow, tokens);
            state.toast(ToastKind::Success, format!("✓ Token for {name}"));
            state.tab = Tab::ActiveTokens;
            reload_tokens(state)
        }
        Err(FlowError::Cancelled) => Vec::new(),
        Err(e) => flow_failed(state, "No token", &e),
    }
}

fn flow_failed(state: &mut State, what: &str, error: &FlowError) -> Vec<Command> {
    state.toast(ToastKind::Error, format!("✗ {what}: {error}"));
    Vec::new()
}

/// After tokens change on the server, the Active tokens list shows it.
fn reload_tokens(state: &mut State) -> Vec<Command> {
    let subject = state.tokens.subject.clone();
    vec![state.requests.load_tokens(subject)]
}
