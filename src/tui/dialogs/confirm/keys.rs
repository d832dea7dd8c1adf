//! The confirm dialog's keys.

use crate::tui::action::Action;
use crate::tui::input::binding::{Binding, Context as C, NONE, b};
use ratatui::crossterm::event::KeyCode as K;

/// Yes or no.
#[rustfmt::skip]
pub const KEYS: &[Binding] = &[
    b(C::Confirm, &[(K::Char('y'), NONE), (K::Enter, NONE)], "y/⏎", Action::Confirmed, "yes, do it", true),
    b(C::Confirm, &[(K::Char('n'), NONE), (K::Esc, NONE)], "n/Esc", Action::Back, "no, go back", true),
];
