//! The confirm dialog in front of every destructive action.

pub mod keys;
pub mod update;
pub mod view;
