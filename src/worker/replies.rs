//! Where a request's runner sends its answers: back to the console, tagged with the
//! request's id (a flow may answer several times).

use super::requests::{RequestId, WorkerReply};
use tokio::sync::mpsc;

/// Sends the replies of one request, all under its id.
#[derive(Clone)]
pub(super) struct Replies {
    id: RequestId,
    tx: mpsc::UnboundedSender<(RequestId, WorkerReply)>,
}

impl Replies {
    pub fn new(id: RequestId, tx: mpsc::UnboundedSender<(RequestId, WorkerReply)>) -> Replies {
        Replies { id, tx }
    }

    pub fn id(&self) -> RequestId {
        self.id
    }

    pub fn send(&self, reply: WorkerReply) {
        // The console may have quit meanwhile; nobody is left to tell.
        let _ = self.tx.send((self.id, reply));
    }
}
