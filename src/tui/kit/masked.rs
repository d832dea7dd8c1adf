//! A text field whose content never shows in `Debug` output: client secrets and pasted
//! redirect URLs (they carry authorization codes or tokens).

use ratatui::crossterm::event::{Event, KeyEvent};
use std::fmt;
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

#[derive(Clone, Default)]
pub struct MaskedInput(Input);

impl MaskedInput {
    pub fn key(&mut self, key: KeyEvent) {
        if let Some(request) = to_input_request(&Event::Key(key)) {
            self.0.handle(request);
        }
    }

    /// Pastes the first line of `text` (a secret or URL is one line; a trailing newline
    /// from the clipboard must not end up in it).
    pub fn paste(&mut self, text: &str) {
        for c in text.lines().next().unwrap_or("").trim().chars() {
            self.0.handle(InputRequest::InsertChar(c));
        }
    }

    pub fn value(&self) -> &str {
        self.0.value()
    }

    pub fn is_empty(&self) -> bool {
        self.0.value().is_empty()
    }

    /// Characters typed before the cursor.
    pub fn cursor(&self) -> usize {
        self.0.cursor()
    }

    pub fn visual_scroll(&self, width: usize) -> usize {
        self.0.visual_scroll(width)
    }

    pub fn reset(&mut self) {
        self.0.reset();
    }
}

impl fmt::Debug for MaskedInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MaskedInput(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_what_was_typed() {
        let mut input = MaskedInput::default();
        input.paste("ocs_typed_secret\n");
        assert_eq!(input.value(), "ocs_typed_secret");
        assert!(!format!("{input:?}").contains("ocs_typed"));
    }
}
