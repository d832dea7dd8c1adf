//! A new client secret, shown once (after create or rotate).

pub mod keys;
pub mod reply;
pub mod update;
pub mod view;
