//! What the console can ask of the worker, and what it answers.
//!
//! Admin requests get exactly one reply. OAuth flows may get several: a flow's id is
//! the id of the request that started it, and every reply about the flow (URL, device
//! code, progress, the end) comes under that request id and names the `flow_id`.

use crate::api::flows::{DevicePollEvent, FlowError, Introspection, IssuedTokens, SecretString};
use crate::api::{ApiError, TokenFilter};
use crate::domain::wire::{
    AppDetails, AuditFilter, AuditPage, CreatedApp, RevokedCount, RotatedSecret, TokenPage, WhoAmI,
};
use crate::domain::{
    AppChangeImpact, AppDraft, AppPatch, ClientApp, ListedApp, Scope, UserChanged, UserDetails,
    UserPatch, UserSummary,
};
use std::time::Duration;

/// Tags a request and its answer; the console keeps the latest id per kind of request.
pub type RequestId = u64;

/// Identifies a running OAuth flow: the id of the request that started it.
pub type FlowId = u64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkerRequest {
    WhoAmI,
    /// The server's readiness (`/readyz`), for the console's header.
    CheckHealth,
    LoadApps,
    LoadAppDetails {
        client_id: String,
    },
    CreateApp(AppDraft),
    UpdateApp {
        client_id: String,
        draft: AppDraft,
    },
    PatchApp {
        client_id: String,
        patch: AppPatch,
    },
    /// What `patch` would do to the app's active tokens; nothing is saved.
    /// Answer: `AppChangeImpact`.
    PreviewAppPatch {
        client_id: String,
        patch: AppPatch,
    },
    DeleteApp {
        client_id: String,
    },
    RotateSecret {
        client_id: String,
    },
    LoadTokens(TokenFilter),
    RevokeToken {
        token_id: String,
    },
    RevokeAppTokens {
        client_id: String,
    },
    // The audit log and ending a secret's grace period.
    /// One page of the audit log. Answer: `Audit`.
    LoadAudit(AuditFilter),
    /// The previous client secret stops working now. Answer: `SecretGraceEnded`.
    EndSecretGrace {
        client_id: String,
    },
    // The people who sign in.
    /// Every user. Answer: `Users`.
    LoadUsers,
    /// One user and the apps they authorised. Answer: `UserDetails`.
    LoadUserDetails {
        username: String,
    },
    /// Disables or enables a user, or sets their password. Answer: `UserChanged`.
    PatchUser {
        username: String,
        patch: UserPatch,
    },
    /// Answer: `UserDeleted`.
    DeleteUser {
        username: String,
    },
    /// Revokes every token of the user. Answer: `UserTokensRevoked`.
    RevokeUserTokens {
        username: String,
    },
    /// Revokes one authorisation (a token family). Answer: `UserGrantRevoked`.
    RevokeUserGrant {
        username: String,
        family_id: String,
    },

    /// Client credentials (API services apps), with the secret the user typed.
    /// Answer: `FlowFinished`.
    ClientCredentials {
        client_id: String,
        secret: SecretString,
        scopes: Vec<Scope>,
    },
    /// Authorization code + PKCE. `secret` is for confidential (Web) apps.
    /// Answers: `AuthorizationUrl` at once, then `FlowFinished`; `PastedUrlRejected`
    /// for each pasted URL that does not belong to the flow.
    StartAuthorizationCode {
        app: ClientApp,
        secret: Option<SecretString>,
        scopes: Vec<Scope>,
    },
    /// Implicit grant (legacy), for apps that enable it. Answers as
    /// `StartAuthorizationCode`; the redirect is always pasted back.
    StartImplicit {
        app: ClientApp,
        scopes: Vec<Scope>,
    },
    /// The URL the browser ended on, for a flow that cannot listen for it itself.
    FinishWithPastedUrl {
        flow_id: FlowId,
        url: String,
    },
    /// Stops a waiting flow and closes its listener. Its `FlowFinished` says `Cancelled`.
    CancelFlow {
        flow_id: FlowId,
    },
    /// Device authorization grant (RFC 8628). Answers: `DeviceCode`, `DevicePolling`
    /// after each poll, then `FlowFinished`.
    StartDeviceFlow {
        app: ClientApp,
        secret: Option<SecretString>,
        scopes: Vec<Scope>,
    },
    /// Trades a refresh token for new tokens. Answer: `Refreshed`.
    Refresh {
        client_id: String,
        secret: Option<SecretString>,
        refresh_token: SecretString,
        /// The scopes of the tokens being refreshed, kept when the server names none.
        scopes: Vec<String>,
    },
    /// RFC 7662. Authenticates as the client when a secret is given, otherwise with
    /// the console's admin key. Answer: `Introspected`.
    Introspect {
        client_id: String,
        secret: Option<SecretString>,
        token: SecretString,
    },
    /// RFC 7009, as the client (public clients by `client_id`). Answer: `Revoked`.
    Revoke {
        client_id: String,
        secret: Option<SecretString>,
        token: SecretString,
    },
}

/// Where the redirect of an authorization request will be picked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirectCapture {
    /// A loopback listener of the worker waits for the browser.
    Listening { redirect_uri: String },
    /// The redirect goes elsewhere: the user pastes the URL it reached
    /// (`FinishWithPastedUrl`).
    Paste { redirect_uri: String },
}

#[derive(Debug, Clone)]
pub enum WorkerReply {
    WhoAmI(Result<WhoAmI, ApiError>),
    Health(crate::api::ServerHealth),
    /// Every app, with its usage.
    Apps(Result<Vec<ListedApp>, ApiError>),
    AppDetails(Result<AppDetails, ApiError>),
    AppCreated(Result<CreatedApp, ApiError>),
    /// Answer to both `UpdateApp` and `PatchApp`.
    AppUpdated {
        client_id: String,
        result: Result<ClientApp, ApiError>,
    },
    AppDeleted {
        client_id: String,
        result: Result<(), ApiError>,
    },
    AppChangeImpact {
        client_id: String,
        result: Result<AppChangeImpact, ApiError>,
    },
    SecretRotated(Result<RotatedSecret, ApiError>),
    Tokens(Result<TokenPage, ApiError>),
    TokenRevoked {
        token_id: String,
        result: Result<(), ApiError>,
    },
    AppTokensRevoked {
        client_id: String,
        result: Result<RevokedCount, ApiError>,
    },
    // The audit log and the grace period.
    Audit(Result<AuditPage, ApiError>),
    SecretGraceEnded {
        client_id: String,
        result: Result<ClientApp, ApiError>,
    },
    // The people who sign in.
    Users(Result<Vec<UserSummary>, ApiError>),
    UserDetails(Result<UserDetails, ApiError>),
    UserChanged {
        username: String,
        result: Result<UserChanged, ApiError>,
    },
    UserDeleted {
        username: String,
        result: Result<RevokedCount, ApiError>,
    },
    UserTokensRevoked {
        username: String,
        result: Result<RevokedCount, ApiError>,
    },
    UserGrantRevoked {
        username: String,
        family_id: String,
        result: Result<RevokedCount, ApiError>,
    },

    /// The URL to open in a browser (or copy) for an authorization flow.
    AuthorizationUrl {
        flow_id: FlowId,
        url: String,
        capture: RedirectCapture,
        /// Unix seconds: after this the flow gives up (`TimedOut`).
        expires_at: i64,
        /// True for the implicit grant (RFC 9700 §2.1.2 says not to use it).
        legacy: bool,
    },
    /// A pasted URL was refused (wrong `state`, not a redirect); the flow still waits.
    PastedUrlRejected {
        flow_id: FlowId,
        error: FlowError,
    },
    /// What to show for a device flow.
    DeviceCode {
        flow_id: FlowId,
        user_code: String,
        verification_uri: String,
        verification_uri_complete: Option<String>,
        /// Unix seconds.
        expires_at: i64,
        interval: Duration,
    },
    /// A device flow polled and keeps waiting.
    DevicePolling {
        flow_id: FlowId,
        event: DevicePollEvent,
    },
    /// A flow ended: with tokens, or why not.
    FlowFinished {
        flow_id: FlowId,
        result: Result<IssuedTokens, FlowError>,
    },
    /// The new tokens; the refresh token in them replaces the old one.
    Refreshed(Result<IssuedTokens, FlowError>),
    Introspected(Result<Introspection, FlowError>),
    Revoked(Result<(), FlowError>),
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_of_a_flow_request_hides_the_secret_and_tokens() {
        let request = WorkerRequest::ClientCredentials {
            client_id: "oc_billing".into(),
            secret: SecretString::new("ocs_typed_by_the_user"),
            scopes: vec![Scope::Monitoring],
        };
        let shown = format!("{request:?}");
        assert!(shown.contains("oc_billing"), "{shown}");
        assert!(!shown.contains("ocs_typed_by_the_user"), "{shown}");
        let refresh = WorkerRequest::Refresh {
            client_id: "oc_x".into(),
            secret: None,
            refresh_token: SecretString::new("ocr_live_refresh"),
            scopes: vec![],
        };
        assert!(!format!("{refresh:?}").contains("ocr_live_refresh"));
    }
}
