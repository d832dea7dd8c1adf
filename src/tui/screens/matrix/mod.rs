//! Tab 2, Scopes & grants: every app against every scope and grant type.

pub mod keys;
pub mod layout;
pub mod reply;
pub mod state;
pub mod update;
pub mod view;
