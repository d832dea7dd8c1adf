//! The audit log's keys.

use crate::tui::action::Action;
use crate::tui::input::binding::{Binding, Context as C, NONE, b};
use ratatui::crossterm::event::KeyCode as K;

/// Opening a record and closing it.
#[rustfmt::skip]
pub const KEYS: &[Binding] = &[
    b(C::AuditLog, &[(K::Enter, NONE)], "⏎", Action::OpenAuditRecord, "full record", true),
    b(C::AuditRecord, &[(K::Esc, NONE), (K::Enter, NONE), (K::Char('q'), NONE)], "Esc", Action::Back, "close", true),
];
