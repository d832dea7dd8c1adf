//! OAuth client flows the console runs against the server it is connected to (or any
//! RFC 8414 server): client credentials, authorization code + PKCE with a loopback
//! listener or a pasted URL, the device grant, the legacy implicit grant, and refresh,
//! introspection and revocation of the tokens obtained. One flow per file; the worker
//! (`crate::worker`) drives them without blocking the console.

mod authorize;
mod browser;
mod callback;
mod client_credentials;
mod device;
mod endpoint_auth;
mod error;
mod flow_kind;
mod http;
mod introspect;
mod loopback;
mod metadata;
mod redirect_plan;
mod refresh;
mod revoke;
mod secret;
mod tokens;

pub use authorize::PendingAuthorization;
pub use browser::should_open_browser;
pub use callback::{code_from_pasted_url, code_from_query, tokens_from_pasted_fragment};
pub use client_credentials::client_credentials;
pub use device::{
    DeviceAuthorization, DevicePollEvent, SLOW_DOWN_STEP, poll_for_tokens, request_device_code,
};
pub use endpoint_auth::EndpointAuth;
pub use error::FlowError;
pub use flow_kind::{FlowKind, flows_for};
pub use http::flow_http_client;
pub use introspect::{Introspection, introspect};
pub use loopback::{BoundLoopback, LoopbackListener};
pub use metadata::{METADATA_PATH, ServerMetadata};
pub use redirect_plan::{NATIVE_CALLBACK_PATH, RedirectPlan, plan_redirect};
pub use refresh::refresh;
pub use revoke::revoke;
pub use secret::SecretString;
pub use tokens::IssuedTokens;
