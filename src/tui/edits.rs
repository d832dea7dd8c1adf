//! The actions that change apps and tokens on the server: the form, the matrix toggles,
//! and the confirmed destructive actions.

use super::action::{Action, Command};
use super::form::FormFocus;
use super::state::{Modal, Pending, State, ToastKind};
use super::update::{load_details, refuse_when_read_only};
use crate::domain::rules::{grant_forbidden_reason, scope_forbidden_reason};
use crate::domain::{AppPatch, GrantType, Scope, validate_draft};
use crate::worker::WorkerRequest;

/// Sends a request that writes, unless the admin key may only read.
pub fn send_write(state: &mut State, request: WorkerRequest, pending: Pending) -> Vec<Command> {
    if refuse_when_read_only(state) {
        return Vec::new();
    }
    vec![state.requests.send(request, pending)]
}

/// Opens the confirm dialog for `action`; for a delete, also asks how many tokens go.
pub fn open_confirm(state: &mut State, action: Action) -> Vec<Command> {
    if !matches!(action, Action::DiscardForm) && refuse_when_read_only(state) {
        return Vec::new();
    }
    let mut commands = Vec::new();
    if let Action::DeleteApp { client_id } = &action {
        commands.push(load_details(state, client_id));
    }
    state.modal = Some(Modal::Confirm {
        action: Box::new(action),
        active_tokens: None,
    });
    commands
}

pub fn ask_rotate_secret(state: &mut State) -> Vec<Command> {
    let app = match &state.modal {
        Some(Modal::Details { client_id, .. }) => state.apps.get(client_id),
        _ => match state.tab {
            super::action::Tab::ScopesAndGrants => state.apps.row(state.matrix.cursor.selected),
            _ => state.apps.selected(),
        },
    };
    let Some(app) = app else {
        return Vec::new();
    };
    if !app.platform.is_confidential() {
        let message = format!("{} apps have no secret to rotate", app.platform.label());
        state.toast(ToastKind::Error, message);
        return Vec::new();
    }
    let client_id = app.client_id.clone();
    open_confirm(state, Action::RotateSecret { client_id })
}

/// Space on a matrix cell: flips the scope or grant at once and saves it; the reply
/// confirms it or rolls it back.
pub fn toggle_matrix_cell(state: &mut State) -> Vec<Command> {
    if refuse_when_read_only(state) {
        return Vec::new();
    }
    let Some(app) = state.apps.row(state.matrix.cursor.selected).cloned() else {
        return Vec::new();
    };
    let column = state.matrix.column;
    let mut draft = app.draft();
    let patch = if let Some(&scope) = Scope::ALL.get(column) {
        if let Some(reason) = scope_forbidden_reason(app.platform, scope) {
            state.toast(ToastKind::Error, reason);
            return Vec::new();
        }
        flip(&mut draft.scopes, scope);
        AppPatch {
            scopes: Some(draft.scopes.clone()),
            ..AppPatch::default()
        }
    } else if let Some(&grant) = GrantType::ALL.get(column - Scope::ALL.len()) {
        if let Some(reason) = grant_forbidden_reason(app.platform, grant) {
            state.toast(ToastKind::Error, reason);
            return Vec::new();
        }
        flip(&mut draft.grant_types, grant);
        AppPatch {
            grant_types: Some(draft.grant_types.clone()),
            ..AppPatch::default()
        }
    } else {
        return Vec::new();
    };
    // Say at once what the server would refuse, rather than flicker.
    if let Some(violation) = validate_draft(&draft.clone().normalized()).first() {
        state.toast(ToastKind::Error, violation.message.clone());
        return Vec::new();
    }
    let client_id = app.client_id.clone();
    if let Some(shown) = state.apps.get_mut(&client_id) {
        shown.scopes = draft.scopes;
        shown.grant_types = draft.grant_types;
    }
    vec![state.requests.send(
        WorkerRequest::PatchApp { client_id, patch },
        Pending::Patch {
            before: Box::new(app),
        },
    )]
}

fn flip<T: PartialEq + Ord>(set: &mut Vec<T>, item: T) {
    match set.iter().position(|x| *x == item) {
        Some(i) => {
            set.remove(i);
        }
        None => {
            set.push(item);
            set.sort();
        }
    }
}

pub fn form_action(state: &mut State, action: Action) -> Vec<Command> {
    let Some(form) = &mut state.form else {
        return Vec::new();
    };
    match action {
        Action::FormNext => form.move_focus(1),
        Action::FormPrev => form.move_focus(-1),
        Action::FormToggle => form.toggle_focused(),
        Action::FormRemoveUrl => form.remove_focused_url(),
        Action::FormActivate => match form.focus {
            FormFocus::Scope(_) | FormFocus::Grant(_) => form.toggle_focused(),
            FormFocus::AddUrl => form.add_url(),
            FormFocus::Save => return save_form(state),
            FormFocus::Cancel => return super::update::update(state, Action::Back),
            FormFocus::Platform => form.cycle_platform(1),
            FormFocus::Name | FormFocus::RedirectUrl(_) => form.move_focus(1),
        },
        Action::FormSave => return save_form(state),
        _ => {}
    }
    Vec::new()
}

fn save_form(state: &mut State) -> Vec<Command> {
    let Some(form) = &mut state.form else {
        return Vec::new();
    };
    if form.saving {
        return Vec::new();
    }
    form.show_errors = true;
    form.server_error = None;
    form.revalidate();
    if !form.violations.is_empty() {
        let count = form.violations.len();
        let noun = if count == 1 { "problem" } else { "problems" };
        state.toast(
            ToastKind::Error,
            format!("✗ Not saved: {count} {noun} to fix"),
        );
        return Vec::new();
    }
    let draft = form.draft();
    let request = match &form.mode {
        super::form::FormMode::New => WorkerRequest::CreateApp(draft),
        super::form::FormMode::Edit { client_id } => WorkerRequest::UpdateApp {
            client_id: client_id.clone(),
            draft,
        },
    };
    form.saving = true;
    send_write(state, request, Pending::SaveForm)
}
