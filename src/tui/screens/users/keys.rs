//! The Users tab's keys; the row actions are among them.

use crate::tui::action::Action;
use crate::tui::input::binding::{Binding, Context as C, NONE, b};
use ratatui::crossterm::event::KeyCode as K;

/// What can be done with the selected user.
#[rustfmt::skip]
pub const KEYS: &[Binding] = &[
    b(C::Users, &[(K::Enter, NONE)], "⏎", Action::OpenUserDetails, "authorised apps", true),
    b(C::Users, &[(K::Char('e'), NONE)], "e", Action::ToggleSelectedUser, "disable/enable", true),
    b(C::Users, &[(K::Char('p'), NONE)], "p", Action::ResetSelectedUserPassword, "reset password", true),
    b(C::Users, &[(K::Char('R'), NONE)], "R", Action::RevokeSelectedUserTokens, "revoke all tokens", false),
    b(C::Users, &[(K::Char('d'), NONE)], "d", Action::DeleteSelectedUser, "delete", true),
    b(C::Users, &[(K::Char('t'), NONE)], "t", Action::ShowSelectedUserTokens, "show their tokens", false),
    b(C::Users, &[(K::Char('s'), NONE)], "s", Action::CycleSort, "sort", true),
];
