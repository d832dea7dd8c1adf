//! The screens that wait for a browser or a device: copy the URL, open a browser,
//! paste the redirect back, or cancel.

use super::state::FlowDialog;
use crate::tui::action::Command;
use crate::tui::shared::{Pending, ToastKind};
use crate::tui::state::State;
use crate::worker::{FlowId, WorkerRequest};

/// Sends a request that gets no answer: it must not keep the spinner turning.
fn send_unanswered(state: &mut State, request: WorkerRequest) -> Command {
    let command = state.requests.send(request, Pending::TokenFlow);
    if let Command::Worker(id, _) = &command {
        state.requests.in_flight.remove(id);
    }
    command
}

/// Forgets the running flow `flow_id`: its late answers will find no one waiting.
pub fn forget_flow(state: &mut State, flow_id: FlowId) {
    state.requests.in_flight.remove(&flow_id);
}

/// Esc: leaves the paste field, or closes the dialog, cancelling a waiting flow.
pub fn cancel(state: &mut State) -> Vec<Command> {
    if let Some(FlowDialog::Browser(waiting)) = &mut state.flows.dialog
        && waiting.paste_focused
    {
        waiting.paste_focused = false;
        return Vec::new();
    }
    let Some(dialog) = state.flows.dialog.take() else {
        return Vec::new();
    };
    let Some(flow_id) = dialog.flow_id() else {
        return Vec::new();
    };
    forget_flow(state, flow_id);
    state.toast(ToastKind::Success, "Sign-in cancelled");
    match dialog {
        // A token request already on its way cannot be called back; its answer is
        // dropped.
        FlowDialog::Requesting(_) => Vec::new(),
        _ => vec![send_unanswered(
            state,
            WorkerRequest::CancelFlow { flow_id },
        )],
    }
}

fn url_to_copy(state: &State) -> Option<(String, &'static str)> {
    match &state.flows.dialog {
        Some(FlowDialog::Browser(waiting)) => {
            waiting.url.clone().map(|url| (url, "Authorization URL"))
        }
        Some(FlowDialog::Device(device)) => device.code.as_ref().map(|code| {
            let url = code
                .verification_uri_complete
                .clone()
                .unwrap_or_else(|| code.verification_uri.clone());
            (url, "Verification URL")
        }),
        _ => None,
    }
}

pub fn copy_url(state: &mut State) -> Vec<Command> {
    match url_to_copy(state) {
        Some((text, what)) => vec![Command::CopyToClipboard {
            text,
            what: what.into(),
        }],
        None => Vec::new(),
    }
}

pub fn copy_user_code(state: &mut State) -> Vec<Command> {
    match &state.flows.dialog {
        Some(FlowDialog::Device(device)) => match &device.code {
            Some(code) => vec![Command::CopyToClipboard {
                text: code.user_code.clone(),
                what: "User code".into(),
            }],
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// `o`: a browser only where one can open (not over SSH, not without a display); the
/// runtime opens it, never `update`.
pub fn open_browser(state: &mut State) -> Vec<Command> {
    let Some((url, _)) = url_to_copy(state) else {
        return Vec::new();
    };
    if state.flows.can_open_browser {
        vec![Command::OpenBrowser { url }]
    } else {
        state.toast(
            ToastKind::Error,
            "No browser here (SSH or no display): y copies the URL",
        );
        Vec::new()
    }
}

pub fn focus_paste(state: &mut State) -> Vec<Command> {
    if let Some(FlowDialog::Browser(waiting)) = &mut state.flows.dialog
        && waiting.capture.is_some()
    {
        waiting.paste_focused = !waiting.paste_focused;
    }
    Vec::new()
}

/// Enter in the paste field: the worker checks the URL; a refusal comes back as
/// `PastedUrlRejected` and the flow keeps waiting.
pub fn submit_paste(state: &mut State) -> Vec<Command> {
    let Some(FlowDialog::Browser(waiting)) = &mut state.flows.dialog else {
        return Vec::new();
    };
    let url = waiting.paste.value().trim().to_string();
    if url.is_empty() {
        waiting.rejected = Some("Paste the URL your browser was sent to".into());
        return Vec::new();
    }
    waiting.rejected = None;
    let flow_id = waiting.flow.flow_id;
    vec![send_unanswered(
        state,
        WorkerRequest::FinishWithPastedUrl { flow_id, url },
    )]
}
