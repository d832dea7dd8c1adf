//! The async worker: owns every HTTP call the console makes. The console sends it
//! requests tagged with a request id and never waits; each answer comes back on a
//! channel with the same id, so the console can drop answers it no longer wants.

mod requests;

pub use requests::{WorkerReply, WorkerRequest};

use crate::api::AdminClient;
use tokio::sync::mpsc;

/// Tags a request and its answer; the console keeps the latest id per kind of request.
pub type RequestId = u64;

/// The console's end of the worker: cheap to clone, never blocks.
#[derive(Clone)]
pub struct WorkerHandle {
    requests: mpsc::UnboundedSender<(RequestId, WorkerRequest)>,
}

impl WorkerHandle {
    /// Queues a request. Returns false when the worker has stopped.
    pub fn send(&self, id: RequestId, request: WorkerRequest) -> bool {
        self.requests.send((id, request)).is_ok()
    }
}

/// Starts the worker on the current tokio runtime. Requests run concurrently; each
/// answer is sent on the returned receiver as soon as it is ready.
pub fn spawn(
    client: AdminClient,
) -> (
    WorkerHandle,
    mpsc::UnboundedReceiver<(RequestId, WorkerReply)>,
) {
    let (request_tx, mut request_rx) = mpsc::unbounded_channel::<(RequestId, WorkerRequest)>();
    let (reply_tx, reply_rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some((id, request)) = request_rx.recv().await {
            let client = client.clone();
            let reply_tx = reply_tx.clone();
            tokio::spawn(async move {
                let reply = request.run(&client).await;
                // The console may have quit meanwhile; nobody is left to tell.
                let _ = reply_tx.send((id, reply));
            });
        }
    });
    (
        WorkerHandle {
            requests: request_tx,
        },
        reply_rx,
    )
}
