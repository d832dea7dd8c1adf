//! Keys: how they are parsed and written, what one binding of the keymap is, and the
//! overrides from the config file. Knows actions, not screens.

pub mod binding;
pub mod keys;
pub mod overrides;
