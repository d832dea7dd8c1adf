//! The `:` command palette's state: what was typed and which line is highlighted.

use crate::tui::action::Action;
use std::borrow::Cow;
use tui_input::Input;

#[derive(Debug, Clone, Default)]
pub struct PaletteState {
    pub input: Input,
    /// Position in the filtered entries.
    pub selected: usize,
}

/// One line of the palette.
#[derive(Debug, Clone)]
pub struct PaletteEntry {
    /// The config name (`[keys]`); empty for actions that cannot be rebound.
    pub name: &'static str,
    pub keys: Cow<'static, str>,
    pub description: &'static str,
    pub action: Action,
    /// Which characters matched what was typed, as positions (in characters) in
    /// `description`, then a space, then `name` with `_` read as a space: the palette
    /// highlights them.
    pub matched: Vec<usize>,
}
