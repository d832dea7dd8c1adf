//! Opening the prompt, typing into it, and what Enter does with what was typed.

use super::state::{PromptKind, PromptState};
use crate::domain::UserPatch;
use crate::tui::action::{Action, Outcome};
use crate::tui::shared::Pending;
use crate::tui::state::{Modal, State};
use crate::worker::WorkerRequest;
use ratatui::crossterm::event::KeyEvent;

/// Opens the password prompt for `username`.
pub fn ask_password(state: &mut State, username: String) -> Outcome {
    state.modal = Some(Modal::Prompt(PromptState::new(PromptKind::Password {
        username,
    })));
    Outcome::done()
}

/// Opens the prompt for the user to filter the Active tokens tab by, with the
/// current one typed in.
pub fn ask_user_filter(state: &mut State) -> Outcome {
    let mut prompt = PromptState::new(PromptKind::UserFilter);
    if let Some(subject) = &state.tokens.subject {
        prompt.input.paste(subject);
    }
    state.modal = Some(Modal::Prompt(prompt));
    Outcome::done()
}

fn open_prompt(state: &mut State) -> Option<&mut PromptState> {
    match &mut state.modal {
        Some(Modal::Prompt(prompt)) => Some(prompt),
        _ => None,
    }
}

pub fn key(state: &mut State, key: KeyEvent) {
    if let Some(prompt) = open_prompt(state)
        && !prompt.waiting
    {
        prompt.input.key(key);
        prompt.error = None;
    }
}

pub fn paste(state: &mut State, text: &str) {
    if let Some(prompt) = open_prompt(state)
        && !prompt.waiting
    {
        prompt.input.paste(text);
        prompt.error = None;
    }
}

/// Enter in the password prompt: sends the new password; the dialog stays open until
/// the server answers, so its refusal (too short) can be shown there.
pub fn submit_password(state: &mut State) -> Outcome {
    let Some(prompt) = open_prompt(state) else {
        return Outcome::done();
    };
    let PromptKind::Password { username } = &prompt.kind else {
        return Outcome::done();
    };
    if prompt.waiting {
        return Outcome::done();
    }
    if prompt.input.is_empty() {
        prompt.error = Some("Type the new password first.".into());
        return Outcome::done();
    }
    let request = WorkerRequest::PatchUser {
        username: username.clone(),
        patch: UserPatch {
            disabled: None,
            password: Some(prompt.input.value().to_string()),
        },
    };
    prompt.waiting = true;
    let commands = state.send_write(request, Pending::UserChange);
    if commands.is_empty()
        && let Some(prompt) = open_prompt(state)
    {
        prompt.waiting = false;
    }
    commands.into()
}

/// Enter in the user prompt: the Active tokens tab shows that user's tokens (or
/// everyone's when nothing was typed).
pub fn apply_user_filter(state: &mut State) -> Outcome {
    let Some(Modal::Prompt(prompt)) = state.modal.take() else {
        return Outcome::done();
    };
    let typed = prompt.input.value().trim();
    let subject = (!typed.is_empty()).then(|| typed.to_string());
    Outcome::then(Action::ShowTokensOf { subject })
}
