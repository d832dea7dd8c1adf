//! What the prompt asks for, what was typed, and what the server said about it.

use crate::tui::kit::masked::MaskedInput;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    /// A new password for `username`; typed characters are never shown.
    Password { username: String },
    /// The user whose tokens the Active tokens tab shows (empty: everyone's).
    UserFilter,
}

#[derive(Debug, Clone)]
pub struct PromptState {
    pub kind: PromptKind,
    /// Masked in `Debug` output either way; drawn as dots for a password.
    pub input: MaskedInput,
    /// The server's word on the last try (e.g. the password is too short).
    pub error: Option<String>,
    /// Sent; the answer is awaited.
    pub waiting: bool,
}

impl PromptState {
    pub fn new(kind: PromptKind) -> PromptState {
        PromptState {
            kind,
            input: MaskedInput::default(),
            error: None,
            waiting: false,
        }
    }
}
