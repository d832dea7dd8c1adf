//! The Users tab's row actions: sorting, and the first step of each change (the
//! destructive ones ask first), then the writes the confirm dialog lets through.
//! `target` is the user under the cursor (or in the details dialog), resolved once by
//! the dispatcher.

use crate::domain::UserPatch;
use crate::tui::action::{Action, Outcome};
use crate::tui::geometry::keep_cursors_visible;
use crate::tui::shared::{Pending, ToastKind};
use crate::tui::state::State;
use crate::worker::WorkerRequest;

pub fn update(state: &mut State, action: Action, target: Option<String>) -> Outcome {
    match action {
        Action::CycleSort => {
            state.users.sort = state.users.sort.next();
            state.users.rebuild_index();
            keep_cursors_visible(state);
            Outcome::done()
        }
        Action::SetUserDisabled { username, disabled } => {
            let patch = UserPatch {
                disabled: Some(disabled),
                password: None,
            };
            write(state, WorkerRequest::PatchUser { username, patch })
        }
        Action::RevokeUserTokens { username } => {
            write(state, WorkerRequest::RevokeUserTokens { username })
        }
        Action::DeleteUser { username } => write(state, WorkerRequest::DeleteUser { username }),
        Action::RevokeUserGrant {
            username,
            family_id,
        } => write(
            state,
            WorkerRequest::RevokeUserGrant {
                username,
                family_id,
            },
        ),
        _ => match target {
            Some(username) => row_action(state, action, username),
            None => Outcome::done(),
        },
    }
}

fn write(state: &mut State, request: WorkerRequest) -> Outcome {
    state.send_write(request, Pending::UserChange).into()
}

fn row_action(state: &mut State, action: Action, username: String) -> Outcome {
    let confirm = |action: Action| Outcome::then(Action::Confirm(Box::new(action)));
    match action {
        Action::ToggleSelectedUser => {
            let disabled = state.users.get(&username).is_some_and(|u| u.disabled);
            if disabled {
                // Enabling takes nothing away: no question.
                Outcome::then(Action::SetUserDisabled {
                    username,
                    disabled: false,
                })
            } else {
                confirm(Action::SetUserDisabled {
                    username,
                    disabled: true,
                })
            }
        }
        Action::RevokeSelectedUserTokens => confirm(Action::RevokeUserTokens { username }),
        Action::DeleteSelectedUser => confirm(Action::DeleteUser { username }),
        Action::ShowSelectedUserTokens => Outcome::then(Action::ShowTokensOf {
            subject: Some(username),
        }),
        _ => {
            state.toast(ToastKind::Error, "Select a user first");
            Outcome::done()
        }
    }
}
