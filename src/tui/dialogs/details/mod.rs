//! One app's details.

pub mod keys;
pub mod reply;
pub mod update;
pub mod view;
