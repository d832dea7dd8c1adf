//! Tab 3, Active tokens: the issued tokens, and revoking them.

pub mod keys;
pub mod layout;
pub mod reply;
pub mod state;
pub mod update;
pub mod view;
