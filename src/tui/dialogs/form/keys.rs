//! The app form's keys.

use crate::tui::action::Action;
use crate::tui::input::binding::{Binding, CTRL, Context as C, NONE, b};
use ratatui::crossterm::event::KeyCode as K;

/// Moving between fields, toggling, saving; the choice keys only off text fields.
#[rustfmt::skip]
pub const KEYS: &[Binding] = &[
    b(C::Form, &[(K::Tab, NONE), (K::Down, NONE)], "Tab/↓", Action::FormNext, "next field", true),
    b(C::Form, &[(K::BackTab, NONE), (K::Up, NONE)], "S-Tab/↑", Action::FormPrev, "previous field", false),
    b(C::Form, &[(K::Enter, NONE)], "⏎", Action::FormActivate, "toggle / press / next", false),
    b(C::Form, &[(K::Char('s'), CTRL)], "Ctrl-S", Action::FormSave, "save", true),
    b(C::Form, &[(K::Char('d'), CTRL)], "Ctrl-D", Action::FormRemoveUrl, "remove redirect URL", false),
    b(C::Form, &[(K::Esc, NONE)], "Esc", Action::Back, "cancel", true),
    b(C::FormChoice, &[(K::Char(' '), NONE)], "space", Action::FormToggle, "toggle", true),
    b(C::FormChoice, &[(K::Char('j'), NONE)], "j", Action::FormNext, "next field", false),
    b(C::FormChoice, &[(K::Char('k'), NONE)], "k", Action::FormPrev, "previous field", false),
    b(C::FormChoice, &[(K::Left, NONE), (K::Char('h'), NONE)], "←/h", Action::MoveLeft, "previous platform", false),
    b(C::FormChoice, &[(K::Right, NONE), (K::Char('l'), NONE)], "→/l", Action::MoveRight, "next platform", false),
];
