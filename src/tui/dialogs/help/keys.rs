//! The help overlay's keys.

use crate::tui::action::Action;
use crate::tui::input::binding::{Binding, Context as C, NONE, b};
use ratatui::crossterm::event::KeyCode as K;

/// Closing the help overlay.
#[rustfmt::skip]
pub const KEYS: &[Binding] = &[
    b(C::Help, &[(K::Esc, NONE), (K::Char('?'), NONE), (K::Char('q'), NONE)], "Esc", Action::ToggleHelp, "close help", true),
];
