//! The worker's answers, each routed to the screen or dialog that asked: the owner is
//! recorded with the request (`Pending`), and answers whose request is unknown or
//! superseded are dropped by id. Token flows answer several times under one id and
//! name their flow, so they keep their own books (`get_token::reply`).

use crate::tui::action::Outcome;
use crate::tui::dialogs::{details, form, get_token, secret};
use crate::tui::screens::{apps, audit, matrix, tokens, users};
use crate::tui::shared::{LoadKind, Pending};
use crate::tui::state::State;
use crate::worker::{RequestId, WorkerReply};

pub fn apply(state: &mut State, id: RequestId, reply: WorkerReply) -> Outcome {
    // Readiness is polled by the runtime, not asked for by a screen: no owner.
    if let WorkerReply::Health(health) = reply {
        state.observe_health(health);
        return Outcome::done();
    }
    if get_token::reply::is_flow_reply(&reply) {
        return get_token::reply::apply(state, id, reply).into();
    }
    let Some(pending) = state.requests.take(id) else {
        // Superseded by a newer request of the same kind, or never asked for.
        return Outcome::done();
    };
    match pending {
        Pending::Load(LoadKind::WhoAmI) => {
            if let WorkerReply::WhoAmI(result) = reply
                && let Some(who) = state.ok(result)
            {
                state.read_only = who.read_only || state.read_only_by_choice;
            }
        }
        Pending::Load(LoadKind::Apps) | Pending::Delete => apps::reply::apply(state, reply),
        Pending::Load(LoadKind::Details) | Pending::EndGrace => details::reply::apply(state, reply),
        Pending::Load(LoadKind::Tokens) | Pending::Revoke => tokens::reply::apply(state, reply),
        Pending::Load(LoadKind::Audit) => audit::reply::apply(state, reply),
        Pending::Load(LoadKind::Users | LoadKind::UserDetails) | Pending::UserChange => {
            return users::reply::apply(state, reply).into();
        }
        Pending::SaveForm => form::reply::apply(state, reply),
        Pending::Patch { before } => matrix::reply::apply(state, *before, reply),
        Pending::NarrowingPreview { client_id, patch } => {
            return matrix::reply::preview(state, client_id, patch, reply);
        }
        Pending::Load(LoadKind::FormImpact) => form::reply::impact(state, reply),
        Pending::RotateSecret => secret::reply::apply(state, reply),
        // Answered above: flows never reach here.
        Pending::TokenFlow => {}
    }
    Outcome::done()
}
