//! Tab 4, Audit log: who changed what, a page at a time.

pub mod keys;
pub mod reply;
pub mod state;
pub mod update;
pub mod view;
