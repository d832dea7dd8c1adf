//! The app details dialog's keys.

use crate::tui::action::{Action, FlowAction};
use crate::tui::input::binding::{Binding, Context as C, NONE, b};
use ratatui::crossterm::event::KeyCode as K;

/// What can be done with the app shown.
#[rustfmt::skip]
pub const KEYS: &[Binding] = &[
    b(C::Details, &[(K::Char('e'), NONE)], "e", Action::EditSelected, "edit", true),
    b(C::Details, &[(K::Char('d'), NONE)], "d", Action::DeleteSelected, "delete", true),
    b(C::Details, &[(K::Char('y'), NONE)], "y", Action::CopySelectedId, "copy ID", true),
    b(C::Details, &[(K::Char('S'), NONE)], "S", Action::RotateSelectedSecret, "rotate secret", true),
    b(C::Details, &[(K::Esc, NONE), (K::Enter, NONE), (K::Char('q'), NONE)], "Esc", Action::Back, "close", true),
    b(C::Details, &[(K::Char('t'), NONE)], "t", Action::Flow(FlowAction::Open), "get token", true),
    b(C::Details, &[(K::Char('X'), NONE)], "X", Action::EndSelectedSecretGrace, "end old secret's grace", false),
];
