//! The Get token dialogs' keys, and those of this session's tokens.

use crate::tui::action::{Action, FlowAction};
use crate::tui::input::binding::{Binding, Context as C, NONE, b};
use ratatui::crossterm::event::KeyCode as K;

/// The setup dialog and the screens that wait for a browser or a device.
#[rustfmt::skip]
pub const KEYS: &[Binding] = &[
    b(C::FlowSetup, &[(K::Enter, NONE)], "⏎", Action::Flow(FlowAction::Start), "get token", true),
    b(C::FlowSetup, &[(K::Tab, NONE), (K::Down, NONE), (K::Char('j'), NONE)], "Tab/↓", Action::Flow(FlowAction::NextField), "next", true),
    b(C::FlowSetup, &[(K::BackTab, NONE), (K::Up, NONE), (K::Char('k'), NONE)], "S-Tab/↑", Action::Flow(FlowAction::PrevField), "previous", false),
    b(C::FlowSetup, &[(K::Left, NONE), (K::Char('h'), NONE)], "←/h", Action::Flow(FlowAction::CycleFlow(-1)), "previous flow", false),
    b(C::FlowSetup, &[(K::Right, NONE), (K::Char('l'), NONE)], "→/l", Action::Flow(FlowAction::CycleFlow(1)), "next flow", false),
    b(C::FlowSetup, &[(K::Char(' '), NONE)], "space", Action::Flow(FlowAction::Toggle), "toggle", true),
    b(C::FlowSetup, &[(K::Esc, NONE)], "Esc", Action::Back, "close", true),
    b(C::FlowSetupText, &[(K::Enter, NONE)], "⏎", Action::Flow(FlowAction::Start), "get token", true),
    b(C::FlowSetupText, &[(K::Tab, NONE), (K::Down, NONE)], "Tab/↓", Action::Flow(FlowAction::NextField), "next", true),
    b(C::FlowSetupText, &[(K::BackTab, NONE), (K::Up, NONE)], "S-Tab/↑", Action::Flow(FlowAction::PrevField), "previous", false),
    b(C::FlowSetupText, &[(K::Esc, NONE)], "Esc", Action::Back, "close", true),
    b(C::FlowBrowser, &[(K::Char('y'), NONE)], "y", Action::Flow(FlowAction::CopyUrl), "copy URL", true),
    b(C::FlowBrowser, &[(K::Char('o'), NONE)], "o", Action::Flow(FlowAction::OpenBrowser), "open browser", true),
    b(C::FlowBrowser, &[(K::Char('p'), NONE), (K::Tab, NONE)], "p", Action::Flow(FlowAction::FocusPaste), "paste URL", true),
    b(C::FlowBrowser, &[(K::Esc, NONE)], "Esc", Action::Back, "cancel", true),
    b(C::FlowPaste, &[(K::Enter, NONE)], "⏎", Action::Flow(FlowAction::SubmitPaste), "send URL", true),
    b(C::FlowPaste, &[(K::Tab, NONE)], "Tab", Action::Flow(FlowAction::FocusPaste), "leave field", false),
    b(C::FlowPaste, &[(K::Esc, NONE)], "Esc", Action::Back, "leave field", true),
    b(C::FlowDevice, &[(K::Char('y'), NONE)], "y", Action::Flow(FlowAction::CopyUrl), "copy URL", true),
    b(C::FlowDevice, &[(K::Char('c'), NONE)], "c", Action::Flow(FlowAction::CopyUserCode), "copy code", true),
    b(C::FlowDevice, &[(K::Char('o'), NONE)], "o", Action::Flow(FlowAction::OpenBrowser), "open browser", false),
    b(C::FlowDevice, &[(K::Esc, NONE)], "Esc", Action::Back, "cancel", true),
    b(C::FlowClose, &[(K::Esc, NONE), (K::Enter, NONE), (K::Char('q'), NONE)], "Esc", Action::Back, "close", true),
];

/// This session's tokens, on the Active tokens tab.
#[rustfmt::skip]
pub const SESSION_KEYS: &[Binding] = &[
    b(C::SessionTokens, &[(K::Char('y'), NONE)], "y", Action::Flow(FlowAction::CopyAccessToken), "copy token", true),
    b(C::SessionTokens, &[(K::Char('f'), NONE), (K::Char('F'), NONE)], "f", Action::Flow(FlowAction::Refresh), "refresh", true),
    b(C::SessionTokens, &[(K::Char('i'), NONE)], "i", Action::Flow(FlowAction::Introspect), "introspect", true),
    b(C::SessionTokens, &[(K::Char('x'), NONE)], "x", Action::Flow(FlowAction::Revoke), "revoke (RFC 7009)", true),
    b(C::SessionTokens, &[(K::Char('s'), NONE), (K::Esc, NONE)], "s", Action::Flow(FlowAction::ToggleSessionFocus), "all tokens", true),
];
