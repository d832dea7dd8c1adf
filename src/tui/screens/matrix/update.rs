//! The Scopes & grants tab: moving across the cells and toggling one, which saves at
//! once (the read-only gate in the dispatcher has let it through).

use super::state::MATRIX_COLUMNS;
use crate::domain::rules::{grant_forbidden_reason, scope_forbidden_reason};
use crate::domain::{AppDraft, AppPatch, ClientApp, GrantType, Scope, validate_draft};
use crate::tui::action::{Action, Outcome};
use crate::tui::shared::{Pending, ToastKind};
use crate::tui::state::State;
use crate::worker::WorkerRequest;

/// ←/→: the next cell to the side, staying in the matrix.
pub fn move_column(state: &mut State, delta: isize) {
    let column = state.matrix.column as isize + delta;
    state.matrix.column = column.clamp(0, MATRIX_COLUMNS as isize - 1) as usize;
}

/// Space on a matrix cell: flips the scope or grant at once and saves it; the reply
/// confirms it or rolls it back.
pub fn toggle_cell(state: &mut State) -> Outcome {
    let Some(app) = state.apps.row(state.matrix.cursor.selected).cloned() else {
        return Outcome::done();
    };
    let column = state.matrix.column;
    let mut draft = app.draft();
    let patch = if let Some(&scope) = Scope::ALL.get(column) {
        if let Some(reason) = scope_forbidden_reason(app.platform, scope) {
            state.toast(ToastKind::Error, reason);
            return Outcome::done();
        }
        flip(&mut draft.scopes, scope);
        AppPatch {
            scopes: Some(draft.scopes.clone()),
            ..AppPatch::default()
        }
    } else if let Some(&grant) = GrantType::ALL.get(column - Scope::ALL.len()) {
        if let Some(reason) = grant_forbidden_reason(app.platform, grant) {
            state.toast(ToastKind::Error, reason);
            return Outcome::done();
        }
        flip(&mut draft.grant_types, grant);
        AppPatch {
            grant_types: Some(draft.grant_types.clone()),
            ..AppPatch::default()
        }
    } else {
        return Outcome::done();
    };
    // Say at once what the server would refuse, rather than flicker.
    if let Some(violation) = validate_draft(&draft.clone().normalized()).first() {
        state.toast(ToastKind::Error, violation.message.clone());
        return Outcome::done();
    }
    let client_id = app.client_id.clone();
    if removes_something(&app, &draft) {
        // Taking a scope or grant away ends it for the app's tokens at once: the
        // server counts them first, and the admin is asked when any are affected.
        return vec![state.requests.send(
            WorkerRequest::PreviewAppPatch {
                client_id: client_id.clone(),
                patch: patch.clone(),
            },
            Pending::NarrowingPreview { client_id, patch },
        )]
        .into();
    }
    Outcome::then(Action::PatchApp {
        client_id,
        patch,
        impact: None,
    })
}

/// True when `draft` leaves out a scope or grant type `app` has.
fn removes_something(app: &ClientApp, draft: &AppDraft) -> bool {
    app.scopes.iter().any(|s| !draft.scopes.contains(s))
        || app
            .grant_types
            .iter()
            .any(|g| !draft.grant_types.contains(g))
}

/// Saves a toggle: shown at once, rolled back if the server refuses.
pub fn save_patch(state: &mut State, client_id: String, patch: AppPatch) -> Outcome {
    let Some(app) = state.apps.get(&client_id).cloned() else {
        return Outcome::done();
    };
    let draft = patch.apply_to(&app.draft());
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
    .into()
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
