//! The authorization code (+PKCE) and implicit flows as worker tasks: send the URL,
//! then wait for the redirect on a loopback listener or as a pasted URL, until done,
//! cancelled or timed out.

use super::context::Context;
use super::flow_registry::FlowControl;
use super::replies::Replies;
use super::requests::{FlowId, RedirectCapture, WorkerReply};
use crate::api::flows::{
    BoundLoopback, FlowError, IssuedTokens, LoopbackListener, PendingAuthorization, RedirectPlan,
    SecretString, ServerMetadata, code_from_pasted_url, plan_redirect, tokens_from_pasted_fragment,
};
use crate::domain::{ClientApp, GrantType, Platform, ResponseType, Scope, unix_now};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// How long a sign-in may take before the flow gives up and closes its listener.
pub(super) const AUTHORIZATION_WAIT: Duration = Duration::from_secs(600);

pub(super) async fn start_code(
    context: Arc<Context>,
    replies: Replies,
    app: ClientApp,
    secret: Option<SecretString>,
    scopes: Vec<Scope>,
) {
    let flow_id = replies.id();
    let prepared = prepare_code(&context, &app, secret, &scopes).await;
    run(context, replies, flow_id, prepared).await;
}

pub(super) async fn start_implicit(
    context: Arc<Context>,
    replies: Replies,
    app: ClientApp,
    scopes: Vec<Scope>,
) {
    let flow_id = replies.id();
    let prepared = prepare_implicit(&context, &app, &scopes).await;
    run(context, replies, flow_id, prepared).await;
}

struct Prepared {
    pending: PendingAuthorization,
    listener: Option<LoopbackListener>,
    capture: RedirectCapture,
}

async fn prepare_code(
    context: &Context,
    app: &ClientApp,
    secret: Option<SecretString>,
    scopes: &[Scope],
) -> Result<Prepared, FlowError> {
    require_grant(app, GrantType::AuthorizationCode)?;
    let metadata = context.metadata().await?;
    let scopes = scope_strings(scopes);
    let (bound, redirect_uri) = match plan_redirect(app)? {
        RedirectPlan::Listen {
            bind,
            path,
            redirect,
            port_may_vary,
        } => {
            let bound = BoundLoopback::bind(bind, &path, &redirect, port_may_vary).await?;
            let redirect_uri = bound.redirect_uri().to_string();
            (Some(bound), redirect_uri)
        }
        RedirectPlan::Paste { redirect_uri } => (None, redirect_uri),
    };
    let pending = PendingAuthorization::new(
        metadata,
        ResponseType::Code,
        &app.client_id,
        secret,
        &redirect_uri,
        &scopes,
    )?;
    Ok(match bound {
        Some(bound) => Prepared {
            listener: Some(bound.serve(pending.clone())?),
            pending,
            capture: RedirectCapture::Listening { redirect_uri },
        },
        None => Prepared {
            pending,
            listener: None,
            capture: RedirectCapture::Paste { redirect_uri },
        },
    })
}

async fn prepare_implicit(
    context: &Context,
    app: &ClientApp,
    scopes: &[Scope],
) -> Result<Prepared, FlowError> {
    if !app.has_grant(GrantType::Implicit) {
        return Err(FlowError::NotAllowed(format!(
            "{} does not enable the implicit grant",
            app.name
        )));
    }
    if !matches!(app.platform, Platform::Web | Platform::SinglePage) {
        return Err(FlowError::NotAllowed(
            "only Web and Single-page apps may use the implicit grant".into(),
        ));
    }
    let redirect_uri =
        app.redirect_urls.first().cloned().ok_or_else(|| {
            FlowError::NotAllowed("the app has no redirect URL registered".into())
        })?;
    let metadata = context.metadata().await?;
    // The tokens come back in the URL fragment, which never reaches a listener.
    let pending = PendingAuthorization::new(
        metadata,
        ResponseType::Token,
        &app.client_id,
        None,
        &redirect_uri,
        &scope_strings(scopes),
    )?;
    Ok(Prepared {
        pending,
        listener: None,
        capture: RedirectCapture::Paste { redirect_uri },
    })
}

async fn run(
    context: Arc<Context>,
    replies: Replies,
    flow_id: FlowId,
    prepared: Result<Prepared, FlowError>,
) {
    let prepared = match prepared {
        Ok(prepared) => prepared,
        Err(error) => {
            replies.send(WorkerReply::FlowFinished {
                flow_id,
                result: Err(error),
            });
            return;
        }
    };
    let Prepared {
        pending,
        mut listener,
        capture,
    } = prepared;
    let controls = context.flows.register(flow_id);
    let expires_at = unix_now().saturating_add(AUTHORIZATION_WAIT.as_secs() as i64);
    replies.send(WorkerReply::AuthorizationUrl {
        flow_id,
        url: pending.url.to_string(),
        capture,
        expires_at,
        legacy: pending.response_type == ResponseType::Token,
    });
    let result = tokio::time::timeout(
        AUTHORIZATION_WAIT,
        wait_for_redirect(&context, &replies, &pending, listener.as_mut(), controls),
    )
    .await
    .unwrap_or(Err(FlowError::TimedOut));
    // Close the port before telling anyone the flow is over.
    if let Some(listener) = listener {
        listener.close().await;
    }
    context.flows.remove(flow_id);
    replies.send(WorkerReply::FlowFinished { flow_id, result });
}

/// Waits for the first redirect that belongs to this flow and turns it into tokens.
async fn wait_for_redirect(
    context: &Context,
    replies: &Replies,
    pending: &PendingAuthorization,
    mut listener: Option<&mut LoopbackListener>,
    mut controls: mpsc::UnboundedReceiver<FlowControl>,
) -> Result<IssuedTokens, FlowError> {
    let flow_id = replies.id();
    loop {
        let from_listener = async {
            match listener.as_deref_mut() {
                Some(listener) => listener.next_outcome().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            outcome = from_listener => {
                let code = outcome?;
                return exchange(context, pending, &code).await;
            }
            control = controls.recv() => match control {
                Some(FlowControl::PastedUrl(url)) => match pending.response_type {
                    ResponseType::Token => match tokens_from_pasted_fragment(&url, pending) {
                        Err(e @ (FlowError::StateMismatch | FlowError::InvalidCallback(_))) => {
                            replies.send(WorkerReply::PastedUrlRejected { flow_id, error: e });
                        }
                        other => return other,
                    },
                    ResponseType::Code => match code_from_pasted_url(&url, pending) {
                        Ok(code) => return exchange(context, pending, &code).await,
                        Err(e @ (FlowError::StateMismatch | FlowError::InvalidCallback(_))) => {
                            replies.send(WorkerReply::PastedUrlRejected { flow_id, error: e });
                        }
                        Err(e) => return Err(e),
                    },
                },
                Some(FlowControl::Cancel) | None => return Err(FlowError::Cancelled),
            },
        }
    }
}

async fn exchange(
    context: &Context,
    pending: &PendingAuthorization,
    code: &SecretString,
) -> Result<IssuedTokens, FlowError> {
    let metadata: &ServerMetadata = context.metadata().await?;
    pending.exchange_code(context.http()?, metadata, code).await
}

/// Refuses a flow the app's grants do not allow, naming the grant.
pub(super) fn require_grant(app: &ClientApp, grant: GrantType) -> Result<(), FlowError> {
    if app.has_grant(grant) {
        Ok(())
    } else {
        Err(FlowError::NotAllowed(format!(
            "{} does not have the {} grant",
            app.name,
            grant.label().to_lowercase()
        )))
    }
}

pub(super) fn scope_strings(scopes: &[Scope]) -> Vec<String> {
    scopes.iter().map(|s| s.as_str().to_string()).collect()
}
