//! The user details dialog's keys.

use crate::tui::action::Action;
use crate::tui::input::binding::{Binding, Context as C, NONE, b};
use ratatui::crossterm::event::KeyCode as K;

#[rustfmt::skip]
pub const KEYS: &[Binding] = &[
    b(C::UserDetails, &[(K::Char('j'), NONE), (K::Down, NONE)], "j/↓", Action::MoveDown, "next app", false),
    b(C::UserDetails, &[(K::Char('k'), NONE), (K::Up, NONE)], "k/↑", Action::MoveUp, "previous app", false),
    b(C::UserDetails, &[(K::Char('r'), NONE)], "r", Action::RevokeSelectedGrant, "revoke this app's access", true),
    b(C::UserDetails, &[(K::Char('t'), NONE)], "t", Action::ShowSelectedUserTokens, "show their tokens", true),
    b(C::UserDetails, &[(K::Esc, NONE), (K::Char('q'), NONE)], "Esc", Action::Back, "close", true),
];
