//! Typed client of the admin API (and, later, the OAuth flows). The console and the
//! CLI reach the server only through this, the embedded server included.

mod admin_client;
mod error;
pub mod flows;
mod readiness;
mod server_trust;

pub use crate::domain::wire::TokenFilter;
pub use admin_client::AdminClient;
pub use error::ApiError;
pub use readiness::ServerHealth;
pub use server_trust::{ServerTrust, describe_http_error};
