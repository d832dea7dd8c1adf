//! The `?` help overlay, generated from the keymap.

pub mod keys;
pub mod view;
