//! The device authorization grant (RFC 8628) as a worker task: show the user code,
//! poll until approved, denied, expired or cancelled, reporting each poll.

use super::authorization_flow::{require_grant, scope_strings};
use super::context::Context;
use super::flow_registry::FlowControl;
use super::replies::Replies;
use super::requests::{FlowId, WorkerReply};
use crate::api::flows::{
    DeviceAuthorization, EndpointAuth, FlowError, IssuedTokens, SecretString, poll_for_tokens,
    request_device_code,
};
use crate::domain::{ClientApp, GrantType, Scope};
use std::sync::Arc;
use tokio::sync::mpsc;

pub(super) async fn start(
    context: Arc<Context>,
    replies: Replies,
    app: ClientApp,
    secret: Option<SecretString>,
    scopes: Vec<Scope>,
) {
    let flow_id = replies.id();
    let scopes = scope_strings(&scopes);
    let device = match authorize_device(&context, &app, secret.as_ref(), &scopes).await {
        Ok(device) => device,
        Err(error) => {
            replies.send(WorkerReply::FlowFinished {
                flow_id,
                result: Err(error),
            });
            return;
        }
    };
    let controls = context.flows.register(flow_id);
    replies.send(WorkerReply::DeviceCode {
        flow_id,
        user_code: device.user_code.clone(),
        verification_uri: device.verification_uri.clone(),
        verification_uri_complete: device.verification_uri_complete.clone(),
        expires_at: device.expires_at,
        interval: device.interval,
    });
    let auth = EndpointAuth::Client {
        client_id: app.client_id.clone(),
        secret,
    };
    let result = poll_until_done(
        &context, &replies, flow_id, &auth, &device, &scopes, controls,
    )
    .await;
    context.flows.remove(flow_id);
    replies.send(WorkerReply::FlowFinished { flow_id, result });
}

async fn authorize_device(
    context: &Context,
    app: &ClientApp,
    secret: Option<&SecretString>,
    scopes: &[String],
) -> Result<DeviceAuthorization, FlowError> {
    require_grant(app, GrantType::DeviceCode)?;
    let metadata = context.metadata().await?;
    request_device_code(context.http()?, metadata, &app.client_id, secret, scopes).await
}

async fn poll_until_done(
    context: &Context,
    replies: &Replies,
    flow_id: FlowId,
    auth: &EndpointAuth,
    device: &DeviceAuthorization,
    scopes: &[String],
    mut controls: mpsc::UnboundedReceiver<FlowControl>,
) -> Result<IssuedTokens, FlowError> {
    let metadata = context.metadata().await?;
    let http = context.http()?;
    let polling = poll_for_tokens(http, metadata, auth, device, scopes, |event| {
        replies.send(WorkerReply::DevicePolling { flow_id, event });
    });
    tokio::pin!(polling);
    loop {
        tokio::select! {
            result = &mut polling => return result,
            control = controls.recv() => match control {
                Some(FlowControl::PastedUrl(_)) => replies.send(WorkerReply::PastedUrlRejected {
                    flow_id,
                    error: FlowError::InvalidCallback(
                        "a device sign-in is approved on the verification page, not by URL".into(),
                    ),
                }),
                Some(FlowControl::Cancel) | None => return Err(FlowError::Cancelled),
            },
        }
    }
}
