//! The new/edit app form (drawn in place of the tab's body).

pub mod impact;
pub mod keys;
pub mod reply;
pub mod state;
pub mod update;
pub mod view;
