//! The prompt's keys; everything else is typed into it.

use crate::tui::action::Action;
use crate::tui::input::binding::{Binding, Context as C, NONE, b};
use ratatui::crossterm::event::KeyCode as K;

#[rustfmt::skip]
pub const KEYS: &[Binding] = &[
    b(C::PasswordPrompt, &[(K::Enter, NONE)], "⏎", Action::SubmitPassword, "set password", true),
    b(C::PasswordPrompt, &[(K::Esc, NONE)], "Esc", Action::Back, "cancel", true),
    b(C::UserPrompt, &[(K::Enter, NONE)], "⏎", Action::ApplyUserFilter, "show their tokens", true),
    b(C::UserPrompt, &[(K::Esc, NONE)], "Esc", Action::Back, "cancel", true),
];
