//! One line of the keymap: where it applies (`Context`), its keys, how they are
//! written, the action and what it does. The table itself is `keymap::KEYMAP`, put
//! together from each screen's and dialog's `keys.rs`.

use crate::tui::action::Action;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

/// Where a binding applies. Several contexts are active at once (see `active_contexts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Always, whatever is open.
    Always,
    /// The tabs, when nothing is open over them.
    Global,
    /// Moving in the list of the current tab.
    List,
    ClientApps,
    ScopesAndGrants,
    ActiveTokens,
    /// Typing into a filter line.
    Filter,
    /// The form, even while a text field has the focus.
    Form,
    /// The form, when the focus is on a choice (not a text field).
    FormChoice,
    Confirm,
    Secret,
    Details,
    Help,
    /// The `:` command palette.
    Palette,
    /// The audit log tab.
    AuditLog,
    /// The dialog with one audit record.
    AuditRecord,
    // The Get token dialogs.
    FlowSetup,
    FlowSetupText,
    FlowBrowser,
    FlowPaste,
    FlowDevice,
    FlowClose,
    SessionTokens,
    /// The Users tab.
    Users,
    /// One user's authorised apps.
    UserDetails,
    /// Typing a user's new password.
    PasswordPrompt,
    /// Typing the user to filter tokens by.
    UserPrompt,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Always | Context::Global => "Anywhere",
            Context::List => "Lists",
            Context::ClientApps => "Client apps",
            Context::ScopesAndGrants => "Scopes & grants",
            Context::ActiveTokens => "Active tokens",
            Context::Filter => "Filter line",
            Context::Form | Context::FormChoice => "App form",
            Context::Confirm => "Confirm dialog",
            Context::Secret => "New secret",
            Context::Details => "App details",
            Context::Help => "Help",
            Context::Palette => "Command palette",
            Context::AuditLog => "Audit log",
            Context::AuditRecord => "Audit record",
            Context::FlowSetup | Context::FlowSetupText => "Get token",
            Context::FlowBrowser | Context::FlowPaste => "Waiting for the browser",
            Context::FlowDevice => "Device code",
            Context::FlowClose => "Token dialogs",
            Context::SessionTokens => "This session's tokens",
            Context::Users => "Users",
            Context::UserDetails => "User details",
            Context::PasswordPrompt => "New password",
            Context::UserPrompt => "Tokens of a user",
        }
    }
}

pub struct Binding {
    pub context: Context,
    pub keys: &'static [(KeyCode, KeyModifiers)],
    /// How the keys are written in hints and help.
    pub label: &'static str,
    pub action: Action,
    pub description: &'static str,
    /// Shown in the footer (the help overlay shows every binding).
    pub footer: bool,
}

pub const NONE: KeyModifiers = KeyModifiers::NONE;
pub const CTRL: KeyModifiers = KeyModifiers::CONTROL;

pub const fn b(
    context: Context,
    keys: &'static [(KeyCode, KeyModifiers)],
    label: &'static str,
    action: Action,
    description: &'static str,
    footer: bool,
) -> Binding {
    Binding {
        context,
        keys,
        label,
        action,
        description,
        footer,
    }
}

/// The keymap: sections of bindings, in the order the help overlay lists them.
pub type Keymap = [&'static [Binding]];

/// Every binding of `keymap`, in table order.
pub fn all(keymap: &'static Keymap) -> impl Iterator<Item = &'static Binding> + Clone {
    keymap.iter().flat_map(|section| section.iter())
}
