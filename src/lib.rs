//! oauth-console: a terminal console for OAuth 2.0 client apps, and the authorization
//! server it administers. Dependencies point downwards (DESIGN §3):
//! `tui`/`cli` → `worker`/`api` → (HTTP) → `server` → `service` → `store` → `domain`.

pub mod api;
pub mod cli;
pub mod config;
pub mod domain;
#[doc(hidden)]
pub mod fuzzing;
pub mod server;
pub mod service;
pub mod store;
pub mod tui;
pub mod worker;
