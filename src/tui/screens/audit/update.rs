//! The audit log tab: loading it a page at a time, and opening one record.

use super::state::AUDIT_PAGE;
use crate::domain::wire::AuditFilter;
use crate::tui::action::{Command, Outcome, Tab};
use crate::tui::shared::{LoadKind, Pending};
use crate::tui::state::State;
use crate::worker::WorkerRequest;

/// Asks for the first page of the audit log (or, with `more`, the next one).
pub fn load(state: &mut State, more: bool) -> Option<Command> {
    let cursor = if more {
        Some(state.audit.next_cursor.clone()?)
    } else {
        None
    };
    state.audit.loading_more = more;
    let filter = AuditFilter {
        limit: Some(AUDIT_PAGE),
        cursor,
        ..AuditFilter::default()
    };
    Some(state.requests.send(
        WorkerRequest::LoadAudit(filter),
        Pending::Load(LoadKind::Audit),
    ))
}

/// Down at the end of the loaded records fetches the next page.
pub fn after_move(state: &mut State) -> Outcome {
    if state.tab == Tab::AuditLog && state.audit.wants_more() {
        return load(state, true).into();
    }
    Outcome::done()
}

/// Enter: the record's full before/after.
pub fn open_record(state: &mut State) -> Outcome {
    state.audit.record_open = state.audit.selected().is_some();
    Outcome::done()
}
