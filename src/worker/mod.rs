//! The async worker: owns every HTTP call the console makes. The console sends it
//! requests tagged with a request id and never waits; each answer comes back on a
//! channel with the same id, so the console can drop answers it no longer wants.
//! An OAuth flow may answer several times under the id that started it.

mod admin_requests;
mod authorization_flow;
mod context;
mod device_flow;
mod flow_registry;
mod replies;
mod requests;
mod token_requests;

pub use requests::{FlowId, RedirectCapture, RequestId, WorkerReply, WorkerRequest};

use crate::api::AdminClient;
use context::Context;
use replies::Replies;
use std::sync::Arc;
use tokio::sync::mpsc;

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
    let context = Arc::new(Context::new(client));
    tokio::spawn(async move {
        while let Some((id, request)) = request_rx.recv().await {
            let context = Arc::clone(&context);
            let replies = Replies::new(id, reply_tx.clone());
            tokio::spawn(run(context, replies, request));
        }
        // The console is gone: end every waiting flow, closing its listener.
        context.flows.cancel_all();
    });
    (
        WorkerHandle {
            requests: request_tx,
        },
        reply_rx,
    )
}

/// Runs one request, sending its reply (or replies) as they come.
async fn run(context: Arc<Context>, replies: Replies, request: WorkerRequest) {
    use WorkerRequest as R;
    match request {
        R::ClientCredentials {
            client_id,
            secret,
            scopes,
        } => {
            token_requests::client_credentials(&context, &replies, client_id, secret, scopes).await
        }
        R::StartAuthorizationCode {
            app,
            secret,
            scopes,
        } => authorization_flow::start_code(context, replies, app, secret, scopes).await,
        R::StartImplicit { app, scopes } => {
            authorization_flow::start_implicit(context, replies, app, scopes).await
        }
        R::FinishWithPastedUrl { flow_id, url } => {
            context.flows.paste(flow_id, url, &replies);
        }
        R::CancelFlow { flow_id } => context.flows.cancel(flow_id),
        R::StartDeviceFlow {
            app,
            secret,
            scopes,
        } => device_flow::start(context, replies, app, secret, scopes).await,
        R::Refresh {
            client_id,
            secret,
            refresh_token,
            scopes,
        } => {
            token_requests::refresh(&context, &replies, client_id, secret, refresh_token, scopes)
                .await
        }
        R::Introspect {
            client_id,
            secret,
            token,
        } => token_requests::introspect(&context, &replies, client_id, secret, token).await,
        R::Revoke {
            client_id,
            secret,
            token,
        } => token_requests::revoke(&context, &replies, client_id, secret, token).await,
        admin => {
            if let Some(reply) = admin_requests::run(&context.admin, admin).await {
                replies.send(reply);
            }
        }
    }
}
