//! Everything that can happen to the console (`Action`), and everything the console
//! asks the outside world to do (`Command`). The keymap names actions; the worker and
//! the runtime answer with actions.

use super::token_flow::FlowAction;
use crate::worker::{RequestId, WorkerReply, WorkerRequest};
use ratatui::crossterm::event::KeyEvent;
use std::fmt;

/// The tabs of the console, in the order of their number keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    ClientApps,
    ScopesAndGrants,
    ActiveTokens,
    /// Operator features: who changed what.
    AuditLog,
}

impl Tab {
    pub const ALL: [Tab; 4] = [
        Tab::ClientApps,
        Tab::ScopesAndGrants,
        Tab::ActiveTokens,
        Tab::AuditLog,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::ClientApps => "Client apps",
            Tab::ScopesAndGrants => "Scopes & grants",
            Tab::ActiveTokens => "Active tokens",
            Tab::AuditLog => "Audit log",
        }
    }

    pub fn number(self) -> usize {
        match self {
            Tab::ClientApps => 1,
            Tab::ScopesAndGrants => 2,
            Tab::ActiveTokens => 3,
            Tab::AuditLog => 4,
        }
    }
}

/// How a copy to the clipboard went, as the runtime reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClipboardOutcome {
    /// What was copied, in words: `Client ID`, `Client secret`.
    pub what: String,
    /// `Ok(how)`, e.g. `Ok("OSC 52")`, or `Err(why not)`.
    pub result: Result<String, String>,
}

/// One thing that happened, or one thing the user asked for. The keymap table names
/// these; `update` is the only place that acts on them.
// Actions are moved once per event; boxing the worker's answers would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Action {
    // Anywhere.
    Quit,
    NextTab,
    PrevTab,
    GoToTab(Tab),
    ToggleHelp,
    /// Esc: close what is open, stop filtering, leave the form.
    Back,
    Refresh,

    // Moving in lists, tables and the matrix.
    MoveUp,
    MoveDown,
    MoveLeft,
    MoveRight,
    First,
    Last,
    PageUp,
    PageDown,

    // Filter line of the focused list.
    StartFilter,
    /// Enter while filtering: keep the filter, go back to the list.
    AcceptFilter,

    // Client apps.
    NewApp,
    EditSelected,
    DeleteSelected,
    CopySelectedId,
    OpenDetails,
    CycleSort,
    RotateSelectedSecret,

    // Scopes & grants.
    ToggleCell,

    // Active tokens.
    RevokeSelectedToken,
    RevokeSelectedAppTokens,

    // Confirm dialogs: `Confirm` opens one holding the action, `Confirmed` runs it.
    Confirm(Box<Action>),
    Confirmed,

    // What confirmed dialogs run.
    DeleteApp {
        client_id: String,
    },
    RotateSecret {
        client_id: String,
    },
    RevokeToken {
        token_id: String,
    },
    RevokeAppTokens {
        client_id: String,
    },
    DiscardForm,

    // The secret-once modal.
    CopySecretModalId,
    CopySecretModalSecret,

    // The form.
    FormNext,
    FormPrev,
    /// Enter: toggle a checkbox, press a button, leave a text field.
    FormActivate,
    /// Space: toggle a checkbox (typed into a text field instead).
    FormToggle,
    FormSave,
    FormRemoveUrl,

    /// A key for the text field being edited (form field or filter line).
    EditKey(KeyEvent),
    /// Bracketed paste into the text field being edited.
    Paste(String),

    // Operator features.
    /// `:` opens the command palette.
    OpenPalette,
    /// Enter in the palette: run the highlighted action.
    PaletteRun,
    /// `X` in details: end the previous secret's grace period (asks first).
    EndSelectedSecretGrace,
    /// What the confirm dialog of `EndSelectedSecretGrace` runs.
    EndSecretGrace {
        client_id: String,
    },
    /// Enter on the audit log: the record's full before/after.
    OpenAuditRecord,

    // From the runtime.
    /// The clock: Unix seconds. Drives countdowns and toast expiry.
    Tick {
        now: i64,
    },
    Resize {
        width: u16,
        height: u16,
    },
    MouseMoved {
        column: u16,
        row: u16,
    },
    MouseClicked {
        column: u16,
        row: u16,
    },
    ScrollUp,
    ScrollDown,
    Clipboard(ClipboardOutcome),
    WorkerReply(RequestId, WorkerReply),

    // Token flows: Get token, the waiting screens, this session's tokens.
    Flow(FlowAction),
}

/// What `update` asks the runtime to do.
// Commands live for one trip to the runtime; boxing the requests would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, PartialEq, Eq)]
pub enum Command {
    /// Send a request to the worker; the answer comes back as `Action::WorkerReply`.
    Worker(RequestId, WorkerRequest),
    /// Put `text` on the clipboard; answer with `Action::Clipboard`.
    CopyToClipboard {
        text: String,
        what: String,
    },
    /// Open `url` in the local browser (token flows). Only emitted where
    /// `api::flows::should_open_browser` said it can work; the runtime opens it.
    OpenBrowser {
        url: String,
    },
    Quit,
}

impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Worker(id, request) => {
                f.debug_tuple("Worker").field(id).field(request).finish()
            }
            // The text may be a client secret: never print it.
            Command::CopyToClipboard { what, .. } => f
                .debug_struct("CopyToClipboard")
                .field("what", what)
                .finish_non_exhaustive(),
            Command::OpenBrowser { url } => {
                f.debug_struct("OpenBrowser").field("url", url).finish()
            }
            Command::Quit => f.write_str("Quit"),
        }
    }
}
