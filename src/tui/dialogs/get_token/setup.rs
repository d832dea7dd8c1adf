//! The Get token dialog: choose the flow, the scopes and (when needed) type the secret,
//! then start the flow on the worker.

use super::state::{DeviceWait, FlowDialog, FlowSetup, PollStatus, RunningFlow};
use super::state::{SetupFocus, WaitingBrowser};
use crate::api::flows::{FlowKind, SecretString, flows_for};
use crate::tui::action::Command;
use crate::tui::kit::masked::MaskedInput;
use crate::tui::shared::{Pending, ToastKind};
use crate::tui::state::State;
use crate::worker::WorkerRequest;

/// `t`: the dialog for the app under the cursor (or in the details dialog), `target`.
pub fn open(state: &mut State, target: Option<String>) -> Vec<Command> {
    let app = target.and_then(|id| state.apps.get(&id));
    let Some(app) = app else {
        return Vec::new();
    };
    let flows = flows_for(app);
    if flows.is_empty() {
        let name = app.name.clone();
        state.toast(
            ToastKind::Error,
            format!("✗ {name} has no grant the console can get a token with"),
        );
        return Vec::new();
    }
    let setup = FlowSetup {
        client_id: app.client_id.clone(),
        app_name: app.name.clone(),
        platform: app.platform,
        flows,
        flow: 0,
        scopes: app.scopes.iter().map(|s| (*s, true)).collect(),
        focus: SetupFocus::Flow,
        secret: MaskedInput::default(),
        secret_known: state.flows.known_secrets.contains_key(&app.client_id),
        problem: None,
    };
    state.modal = None;
    state.flows.dialog = Some(FlowDialog::Setup(setup));
    Vec::new()
}

fn setup_mut(state: &mut State) -> Option<&mut FlowSetup> {
    match &mut state.flows.dialog {
        Some(FlowDialog::Setup(setup)) => Some(setup),
        _ => None,
    }
}

/// The rows the focus visits, top to bottom.
fn focus_order(setup: &FlowSetup) -> Vec<SetupFocus> {
    let mut order = vec![SetupFocus::Flow];
    order.extend((0..setup.scopes.len()).map(SetupFocus::Scope));
    if setup.asks_secret() {
        order.push(SetupFocus::Secret);
    }
    order.push(SetupFocus::Start);
    order
}

pub fn move_focus(state: &mut State, delta: isize) -> Vec<Command> {
    if let Some(setup) = setup_mut(state) {
        let order = focus_order(setup);
        let at = order.iter().position(|f| *f == setup.focus).unwrap_or(0) as isize;
        let next = (at + delta).rem_euclid(order.len() as isize) as usize;
        setup.focus = order[next];
    }
    Vec::new()
}

pub fn cycle_flow(state: &mut State, delta: i8) -> Vec<Command> {
    if let Some(setup) = setup_mut(state)
        && setup.focus == SetupFocus::Flow
        && !setup.flows.is_empty()
    {
        let len = setup.flows.len() as isize;
        setup.flow = (setup.flow as isize + isize::from(delta)).rem_euclid(len) as usize;
        setup.problem = None;
    }
    Vec::new()
}

pub fn toggle(state: &mut State) -> Vec<Command> {
    if let Some(setup) = setup_mut(state) {
        match setup.focus {
            SetupFocus::Scope(i) => {
                if let Some((_, on)) = setup.scopes.get_mut(i) {
                    *on = !*on;
                }
            }
            SetupFocus::Flow => {
                let len = setup.flows.len().max(1);
                setup.flow = (setup.flow + 1) % len;
            }
            _ => {}
        }
        setup.problem = None;
    }
    Vec::new()
}

/// Enter: sends the request that starts the chosen flow.
pub fn start(state: &mut State) -> Vec<Command> {
    let Some(FlowDialog::Setup(setup)) = &state.flows.dialog else {
        return Vec::new();
    };
    let Some(kind) = setup.kind() else {
        return Vec::new();
    };
    let Some(app) = state.apps.get(&setup.client_id).cloned() else {
        state.flows.dialog = None;
        state.toast(ToastKind::Error, "✗ That app is gone");
        return Vec::new();
    };
    let secret = if !kind.needs_secret(app.platform) {
        None
    } else if let Some(known) = state.flows.known_secrets.get(&app.client_id) {
        Some(known.clone())
    } else if setup.secret.value().trim().is_empty() {
        let problem = format!("Type the client secret of {}", app.name);
        if let Some(setup) = setup_mut(state) {
            setup.problem = Some(problem);
            setup.focus = SetupFocus::Secret;
        }
        return Vec::new();
    } else {
        Some(SecretString::new(setup.secret.value().trim()))
    };
    let scopes = setup.chosen_scopes();
    let request = match kind {
        FlowKind::ClientCredentials => WorkerRequest::ClientCredentials {
            client_id: app.client_id.clone(),
            secret: secret.clone().unwrap_or_else(|| SecretString::new("")),
            scopes,
        },
        FlowKind::AuthorizationCode => WorkerRequest::StartAuthorizationCode {
            app: app.clone(),
            secret: secret.clone(),
            scopes,
        },
        FlowKind::Implicit => WorkerRequest::StartImplicit {
            app: app.clone(),
            scopes,
        },
        FlowKind::DeviceCode => WorkerRequest::StartDeviceFlow {
            app: app.clone(),
            secret: secret.clone(),
            scopes,
        },
    };
    let command = state.requests.send(request, Pending::TokenFlow);
    let Command::Worker(flow_id, _) = &command else {
        return Vec::new();
    };
    let flow = RunningFlow {
        flow_id: *flow_id,
        kind,
        client_id: app.client_id.clone(),
        app_name: app.name.clone(),
        secret,
    };
    state.flows.dialog = Some(match kind {
        FlowKind::ClientCredentials => FlowDialog::Requesting(flow),
        FlowKind::AuthorizationCode | FlowKind::Implicit => FlowDialog::Browser(WaitingBrowser {
            flow,
            url: None,
            capture: None,
            expires_at: None,
            legacy: kind.is_legacy(),
            paste: MaskedInput::default(),
            paste_focused: false,
            rejected: None,
        }),
        FlowKind::DeviceCode => FlowDialog::Device(DeviceWait {
            flow,
            code: None,
            status: PollStatus::Waiting,
        }),
    });
    vec![command]
}
