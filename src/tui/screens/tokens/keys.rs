//! The Active tokens tab's keys.

use crate::tui::action::{Action, FlowAction};
use crate::tui::input::binding::{Binding, Context as C, NONE, b};
use ratatui::crossterm::event::KeyCode as K;

/// Filtering and revoking tokens, and the way to this session's tokens.
#[rustfmt::skip]
pub const KEYS: &[Binding] = &[
    b(C::ActiveTokens, &[(K::Char('f'), NONE)], "f", Action::StartFilter, "filter by app", false),
    b(C::ActiveTokens, &[(K::Char('r'), NONE)], "r", Action::RevokeSelectedToken, "revoke", true),
    b(C::ActiveTokens, &[(K::Char('R'), NONE)], "R", Action::RevokeSelectedAppTokens, "revoke all of app", true),
    b(C::ActiveTokens, &[(K::Char('s'), NONE)], "s", Action::Flow(FlowAction::ToggleSessionFocus), "this session", true),
    b(C::ActiveTokens, &[(K::Char('u'), NONE)], "u", Action::PromptUserFilter, "filter by user", true),
    b(C::ActiveTokens, &[(K::Char('U'), NONE)], "U", Action::RevokeSelectedSubjectTokens, "revoke all of user", false),
];
