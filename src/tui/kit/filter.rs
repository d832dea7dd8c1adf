//! The `/` filter line of a list.

use tui_input::Input;

/// A filter line: the text, and whether keys currently go into it.
#[derive(Debug, Clone, Default)]
pub struct FilterLine {
    pub input: Input,
    pub editing: bool,
}

impl FilterLine {
    pub fn is_active(&self) -> bool {
        self.editing || !self.input.value().is_empty()
    }
}
