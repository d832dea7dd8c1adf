//! The worker's answer with a page of the audit log.

use crate::tui::geometry::keep_cursors_visible;
use crate::tui::shared::Connection;
use crate::tui::state::State;
use crate::worker::WorkerReply;

pub fn apply(state: &mut State, reply: WorkerReply) {
    let WorkerReply::Audit(result) = reply else {
        return;
    };
    match result {
        Ok(page) => {
            state.connection = Connection::Connected;
            state.audit.add_page(page.records, page.next_cursor);
            keep_cursors_visible(state);
        }
        Err(e) => {
            state.audit.loading_more = false;
            state.audit.error = Some(e.to_string());
            state.failed("Could not load the audit log", &e);
        }
    }
}
