//! One user: the apps they authorised, each revocable.

pub mod keys;
pub mod state;
pub mod update;
pub mod view;
