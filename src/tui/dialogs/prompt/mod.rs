//! A one-line question: a user's new password (masked), or the user to filter the
//! Active tokens tab by.

pub mod keys;
pub mod state;
pub mod update;
pub mod view;
