//! The Scopes & grants tab's keys.

use crate::tui::action::Action;
use crate::tui::input::binding::{Binding, Context as C, NONE, b};
use ratatui::crossterm::event::KeyCode as K;

/// Moving across and toggling cells.
#[rustfmt::skip]
pub const KEYS: &[Binding] = &[
    b(C::ScopesAndGrants, &[(K::Char(' '), NONE)], "space", Action::ToggleCell, "toggle", true),
    b(C::ScopesAndGrants, &[(K::Left, NONE), (K::Char('h'), NONE)], "←/h", Action::MoveLeft, "left", false),
    b(C::ScopesAndGrants, &[(K::Right, NONE), (K::Char('l'), NONE)], "→/l", Action::MoveRight, "right", false),
];
