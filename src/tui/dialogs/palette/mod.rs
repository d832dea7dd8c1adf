//! The `:` command palette, generated from the keymap.

pub mod keys;
pub mod state;
pub mod update;
pub mod view;
