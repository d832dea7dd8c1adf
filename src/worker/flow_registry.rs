//! The flows that wait for something (a redirect, a device approval), by flow id, so
//! that later requests can reach them. Each flow's secrets (PKCE verifier, state) live
//! in its own task; the registry holds only the way to talk to it.

use super::replies::Replies;
use super::requests::{FlowId, WorkerReply};
use crate::api::flows::FlowError;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use tokio::sync::mpsc;

/// What can be said to a waiting flow.
#[derive(Debug)]
pub(super) enum FlowControl {
    PastedUrl(String),
    Cancel,
}

#[derive(Default)]
pub(super) struct FlowRegistry {
    flows: Mutex<HashMap<FlowId, mpsc::UnboundedSender<FlowControl>>>,
}

impl FlowRegistry {
    fn lock(&self) -> MutexGuard<'_, HashMap<FlowId, mpsc::UnboundedSender<FlowControl>>> {
        // A panic elsewhere cannot leave this map half-changed: keep using it.
        self.flows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Registers a waiting flow; it reads its controls from the returned receiver.
    pub fn register(&self, flow_id: FlowId) -> mpsc::UnboundedReceiver<FlowControl> {
        let (tx, rx) = mpsc::unbounded_channel();
        if let Some(previous) = self.lock().insert(flow_id, tx) {
            // A reused id: the older flow cannot be reached any more, so end it.
            let _ = previous.send(FlowControl::Cancel);
        }
        rx
    }

    /// Called by a flow when it ends.
    pub fn remove(&self, flow_id: FlowId) {
        self.lock().remove(&flow_id);
    }

    pub fn paste(&self, flow_id: FlowId, url: String, replies: &Replies) {
        let sent = match self.lock().get(&flow_id) {
            Some(flow) => flow.send(FlowControl::PastedUrl(url)).is_ok(),
            None => false,
        };
        if !sent {
            replies.send(WorkerReply::PastedUrlRejected {
                flow_id,
                error: FlowError::UnknownFlow,
            });
        }
    }

    /// Ends a waiting flow; it answers `FlowFinished` with `Cancelled` once its
    /// listener is closed. Unknown ids (flows already finished) are ignored.
    pub fn cancel(&self, flow_id: FlowId) {
        if let Some(flow) = self.lock().remove(&flow_id) {
            let _ = flow.send(FlowControl::Cancel);
        }
    }

    pub fn cancel_all(&self) {
        for (_, flow) in self.lock().drain() {
            let _ = flow.send(FlowControl::Cancel);
        }
    }
}
