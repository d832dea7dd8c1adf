//! The Client apps tab's keys; the row actions are among them.

use crate::tui::action::{Action, FlowAction};
use crate::tui::input::binding::{Binding, Context as C, NONE, b};
use ratatui::crossterm::event::KeyCode as K;

/// What can be done with the selected app.
#[rustfmt::skip]
pub const KEYS: &[Binding] = &[
    b(C::ClientApps, &[(K::Char('n'), NONE)], "n", Action::NewApp, "new", true),
    b(C::ClientApps, &[(K::Char('e'), NONE)], "e", Action::EditSelected, "edit", true),
    b(C::ClientApps, &[(K::Char('d'), NONE)], "d", Action::DeleteSelected, "delete", true),
    b(C::ClientApps, &[(K::Char('y'), NONE)], "y", Action::CopySelectedId, "copy ID", true),
    b(C::ClientApps, &[(K::Char('u'), NONE)], "u", Action::CopyRedirectUrl, "copy redirect URL", false),
    b(C::ClientApps, &[(K::Enter, NONE)], "⏎", Action::OpenDetails, "details", false),
    b(C::ClientApps, &[(K::Char('s'), NONE)], "s", Action::CycleSort, "sort", true),
    b(C::ClientApps, &[(K::Char('S'), NONE)], "S", Action::RotateSelectedSecret, "rotate secret", false),
    b(C::ClientApps, &[(K::Char('t'), NONE)], "t", Action::Flow(FlowAction::Open), "get token", true),
];
