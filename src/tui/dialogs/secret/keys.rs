//! The keys of the dialog that shows a new secret once.

use crate::tui::action::Action;
use crate::tui::input::binding::{Binding, Context as C, NONE, b};
use ratatui::crossterm::event::KeyCode as K;

/// Not Enter to close: a stray Enter must not throw the secret away.
#[rustfmt::skip]
pub const KEYS: &[Binding] = &[
    b(C::Secret, &[(K::Char('y'), NONE)], "y", Action::CopySecretModalId, "copy client ID", true),
    b(C::Secret, &[(K::Char('s'), NONE)], "s", Action::CopySecretModalSecret, "copy secret", true),
    b(C::Secret, &[(K::Esc, NONE)], "Esc", Action::Back, "close (the secret is gone)", true),
];
