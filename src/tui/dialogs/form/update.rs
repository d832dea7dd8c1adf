//! The new/edit app form: opening it, moving through it, saving, leaving.

use super::state::{FormFocus, FormMode, FormState};
use crate::tui::action::{Action, Outcome};
use crate::tui::shared::{Pending, ToastKind};
use crate::tui::state::State;
use crate::worker::WorkerRequest;

/// `n` (a new app) or `e` (the app under the cursor, `target`).
pub fn open(state: &mut State, action: Action, target: Option<String>) -> Outcome {
    match action {
        Action::NewApp => state.form = Some(FormState::new_app()),
        Action::EditSelected => {
            if let Some(app) = target.and_then(|id| state.apps.get(&id)) {
                state.form = Some(FormState::edit(app));
                state.modal = None;
            }
        }
        _ => {}
    }
    Outcome::done()
}

pub fn update(state: &mut State, action: Action) -> Outcome {
    if let Action::DiscardForm = action {
        state.form = None;
        return Outcome::done();
    }
    let Some(form) = &mut state.form else {
        return Outcome::done();
    };
    match action {
        Action::FormNext => form.move_focus(1),
        Action::FormPrev => form.move_focus(-1),
        Action::FormToggle => form.toggle_focused(),
        Action::FormRemoveUrl => form.remove_focused_url(),
        Action::FormActivate => match form.focus {
            FormFocus::Scope(_) | FormFocus::Grant(_) => form.toggle_focused(),
            FormFocus::AddUrl => form.add_url(),
            FormFocus::Save => return save(state),
            FormFocus::Cancel => return Outcome::then(Action::Back),
            FormFocus::Platform => form.cycle_platform(1),
            FormFocus::Name | FormFocus::RedirectUrl(_) => form.move_focus(1),
        },
        Action::FormSave => return save(state),
        _ => {}
    }
    Outcome::done()
}

/// Esc: leaves the form, asking first when something was changed.
pub fn leave(state: &mut State) -> Outcome {
    if state.form.as_ref().is_some_and(|f| f.is_dirty()) {
        return Outcome::then(Action::Confirm(Box::new(Action::DiscardForm)));
    }
    state.form = None;
    Outcome::done()
}

fn save(state: &mut State) -> Outcome {
    let Some(form) = &mut state.form else {
        return Outcome::done();
    };
    if form.saving {
        return Outcome::done();
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
        return Outcome::done();
    }
    let draft = form.draft();
    let request = match &form.mode {
        FormMode::New => WorkerRequest::CreateApp(draft),
        FormMode::Edit { client_id } => WorkerRequest::UpdateApp {
            client_id: client_id.clone(),
            draft,
        },
    };
    form.saving = true;
    state.send_write(request, Pending::SaveForm).into()
}
