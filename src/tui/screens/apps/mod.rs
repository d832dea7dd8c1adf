//! Tab 1, Client apps: the apps table with its row actions.

pub mod keys;
pub mod layout;
pub mod reply;
pub mod state;
pub mod update;
pub mod view;
