//! What every screen and dialog reads or writes besides its own state: whether the
//! server answers, the toast in the footer, and the requests in flight (each recorded
//! with what its answer is for, so stale answers are dropped by id).

use crate::api::TokenFilter;
use crate::domain::{AppPatch, ClientApp};
use crate::tui::action::Command;
use crate::worker::{RequestId, WorkerRequest};
use std::collections::HashMap;

/// Whether the server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Connected,
    Unreachable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Success,
    Error,
}

/// A short message in the footer that goes away by itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    pub kind: ToastKind,
    pub text: String,
    /// Unix second at which it disappears.
    pub expires_at: i64,
}

/// How long toasts stay, in seconds.
pub const TOAST_SECONDS: i64 = 4;

/// The loads whose older answers are dropped when a newer request exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LoadKind {
    WhoAmI,
    Apps,
    Details,
    Tokens,
    Audit,
    /// What the form's edit would do to the app's active tokens.
    FormImpact,
    Users,
    UserDetails,
}

/// What an answer in flight belongs to.
#[derive(Debug, Clone)]
pub enum Pending {
    Load(LoadKind),
    SaveForm,
    /// A matrix toggle: the app as it was, to roll back to if the server refuses.
    Patch {
        before: Box<ClientApp>,
    },
    /// A matrix toggle that takes something away: what it does to the active tokens
    /// is asked before it is saved.
    NarrowingPreview {
        client_id: String,
        patch: AppPatch,
    },
    Delete,
    RotateSecret,
    Revoke,
    EndGrace,
    /// A change to a user: enable/disable, password, delete, revocations.
    UserChange,
    /// A token flow, or a refresh / introspection / revocation of a session token.
    TokenFlow,
}

/// Request ids handed out, and the answers still awaited.
#[derive(Debug, Clone, Default)]
pub struct Requests {
    next_id: RequestId,
    latest: HashMap<LoadKind, RequestId>,
    pub in_flight: HashMap<RequestId, Pending>,
}

impl Requests {
    /// Tags `request` with a fresh id and remembers what its answer is for.
    pub fn send(&mut self, request: WorkerRequest, pending: Pending) -> Command {
        self.next_id += 1;
        let id = self.next_id;
        if let Pending::Load(kind) = &pending {
            self.latest.insert(*kind, id);
        }
        self.in_flight.insert(id, pending);
        Command::Worker(id, request)
    }

    /// Takes the record of an answer; `None` when it is unknown or stale (a newer
    /// request of the same kind was sent since).
    pub fn take(&mut self, id: RequestId) -> Option<Pending> {
        let pending = self.in_flight.remove(&id)?;
        if let Pending::Load(kind) = &pending
            && self.latest.get(kind) != Some(&id)
        {
            return None;
        }
        Some(pending)
    }

    pub fn load_apps(&mut self) -> Command {
        self.send(WorkerRequest::LoadApps, Pending::Load(LoadKind::Apps))
    }

    /// The first 1000 tokens, all apps, active or not; only `subject`'s when given.
    pub fn load_tokens(&mut self, subject: Option<String>) -> Command {
        let filter = TokenFilter {
            limit: Some(1000),
            subject,
            ..TokenFilter::default()
        };
        self.send(
            WorkerRequest::LoadTokens(filter),
            Pending::Load(LoadKind::Tokens),
        )
    }

    /// One app with its count of active tokens.
    pub fn load_details(&mut self, client_id: &str) -> Command {
        self.send(
            WorkerRequest::LoadAppDetails {
                client_id: client_id.to_string(),
            },
            Pending::Load(LoadKind::Details),
        )
    }

    pub fn load_users(&mut self) -> Command {
        self.send(WorkerRequest::LoadUsers, Pending::Load(LoadKind::Users))
    }

    /// One user with the apps they authorised.
    pub fn load_user_details(&mut self, username: &str) -> Command {
        self.send(
            WorkerRequest::LoadUserDetails {
                username: username.to_string(),
            },
            Pending::Load(LoadKind::UserDetails),
        )
    }

    /// Whether a load of `kind` is still awaited (auto refresh does not pile up).
    pub fn loading(&self, kind: LoadKind) -> bool {
        self.latest
            .get(&kind)
            .is_some_and(|id| self.in_flight.contains_key(id))
    }

    pub fn busy(&self) -> bool {
        !self.in_flight.is_empty()
    }
}
