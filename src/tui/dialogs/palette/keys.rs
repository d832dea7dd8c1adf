//! The command palette's keys.

use crate::tui::action::Action;
use crate::tui::input::binding::{Binding, CTRL, Context as C, NONE, b};
use ratatui::crossterm::event::KeyCode as K;

/// Running, moving, closing.
#[rustfmt::skip]
pub const KEYS: &[Binding] = &[
    b(C::Palette, &[(K::Enter, NONE)], "⏎", Action::PaletteRun, "run", true),
    b(C::Palette, &[(K::Down, NONE), (K::Char('n'), CTRL)], "↓", Action::MoveDown, "next", true),
    b(C::Palette, &[(K::Up, NONE), (K::Char('p'), CTRL)], "↑", Action::MoveUp, "previous", true),
    b(C::Palette, &[(K::Esc, NONE)], "Esc", Action::Back, "close", true),
];
