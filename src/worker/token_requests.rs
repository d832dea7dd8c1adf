//! One-shot token requests: client credentials, refresh, introspection, revocation.

use super::authorization_flow::scope_strings;
use super::context::Context;
use super::replies::Replies;
use super::requests::WorkerReply;
use crate::api::flows::{self, EndpointAuth, FlowError, IssuedTokens, SecretString};
use crate::domain::{Scope, TokenKind};

pub(super) async fn client_credentials(
    context: &Context,
    replies: &Replies,
    client_id: String,
    secret: SecretString,
    scopes: Vec<Scope>,
) {
    let result = async {
        let metadata = context.metadata().await?;
        flows::client_credentials(
            context.http()?,
            metadata,
            &client_id,
            &secret,
            &scope_strings(&scopes),
        )
        .await
    }
    .await;
    replies.send(WorkerReply::FlowFinished {
        flow_id: replies.id(),
        result,
    });
}

pub(super) async fn refresh(
    context: &Context,
    replies: &Replies,
    client_id: String,
    secret: Option<SecretString>,
    refresh_token: SecretString,
    scopes: Vec<String>,
) {
    let result: Result<IssuedTokens, FlowError> = async {
        let metadata = context.metadata().await?;
        flows::refresh(
            context.http()?,
            metadata,
            &client_id,
            secret.as_ref(),
            &refresh_token,
            &scopes,
        )
        .await
    }
    .await;
    replies.send(WorkerReply::Refreshed(result));
}

pub(super) async fn introspect(
    context: &Context,
    replies: &Replies,
    client_id: String,
    secret: Option<SecretString>,
    token: SecretString,
) {
    // Public clients cannot authenticate; the admin key can (where the server accepts it).
    let auth = match secret {
        Some(secret) => EndpointAuth::Client {
            client_id,
            secret: Some(secret),
        },
        None => EndpointAuth::Bearer(SecretString::new(context.admin.admin_key())),
    };
    let result = async {
        let metadata = context.metadata().await?;
        flows::introspect(context.http()?, metadata, &auth, &token, type_hint(&token)).await
    }
    .await;
    replies.send(WorkerReply::Introspected(result));
}

pub(super) async fn revoke(
    context: &Context,
    replies: &Replies,
    client_id: String,
    secret: Option<SecretString>,
    token: SecretString,
) {
    let auth = EndpointAuth::Client { client_id, secret };
    let result = async {
        let metadata = context.metadata().await?;
        flows::revoke(context.http()?, metadata, &auth, &token, type_hint(&token)).await
    }
    .await;
    replies.send(WorkerReply::Revoked(result));
}

/// Our tokens carry a prefix saying what they are; other servers' tokens get no hint.
fn type_hint(token: &SecretString) -> Option<&'static str> {
    TokenKind::from_token(token.expose()).map(TokenKind::type_hint)
}
