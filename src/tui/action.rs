//! Everything that can happen to the console (`Action`), and everything the console
//! asks the outside world to do (`Command`). The keymap names actions; the worker and
//! the runtime answer with actions.

use crate::domain::{AppChangeImpact, AppPatch};
use crate::worker::{RequestId, WorkerReply, WorkerRequest};
use ratatui::crossterm::event::KeyEvent;
use std::fmt;

/// The tabs of the console, in the order of their number keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    ClientApps,
    ScopesAndGrants,
    ActiveTokens,
    /// Who changed what.
    AuditLog,
    /// The people who sign in, and the apps they authorised.
    Users,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::ClientApps,
        Tab::ScopesAndGrants,
        Tab::ActiveTokens,
        Tab::AuditLog,
        Tab::Users,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::ClientApps => "Client apps",
            Tab::ScopesAndGrants => "Scopes & grants",
            Tab::ActiveTokens => "Active tokens",
            Tab::AuditLog => "Audit log",
            Tab::Users => "Users",
        }
    }

    pub fn number(self) -> usize {
        match self {
            Tab::ClientApps => 1,
            Tab::ScopesAndGrants => 2,
            Tab::ActiveTokens => 3,
            Tab::AuditLog => 4,
            Tab::Users => 5,
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
    /// Copies the app's first redirect URL (the one a client is usually set up with).
    CopyRedirectUrl,
    OpenDetails,
    CycleSort,
    RotateSelectedSecret,

    // Scopes & grants.
    ToggleCell,

    // Active tokens.
    RevokeSelectedToken,
    RevokeSelectedAppTokens,

    /// `U` on Active tokens: every token of the user the list is filtered by (or of the
    /// selected token's subject); asks first.
    RevokeSelectedSubjectTokens,
    /// `u` on Active tokens: asks for a username to filter the tokens by.
    PromptUserFilter,
    /// Enter in that prompt: filter by what was typed (nothing clears the filter).
    ApplyUserFilter,

    // Users.
    /// Disables the selected user (asks first: their tokens are revoked), or enables them.
    ToggleSelectedUser,
    /// Opens the masked input for the selected user's new password.
    ResetSelectedUserPassword,
    /// Enter in the password dialog: send the new password.
    SubmitPassword,
    RevokeSelectedUserTokens,
    DeleteSelectedUser,
    /// Enter on a user: the apps they authorised.
    OpenUserDetails,
    /// Switches to Active tokens filtered by the selected user.
    ShowSelectedUserTokens,
    /// `r` in user details: revoke the selected authorisation (asks first).
    RevokeSelectedGrant,

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
    /// A matrix toggle, saved: `impact` is what the server said it does to the app's
    /// active tokens when it takes something away (shown by the confirm dialog).
    PatchApp {
        client_id: String,
        patch: AppPatch,
        impact: Option<AppChangeImpact>,
    },
    DiscardForm,
    SetUserDisabled {
        username: String,
        disabled: bool,
    },
    RevokeUserTokens {
        username: String,
    },
    DeleteUser {
        username: String,
    },
    /// Revokes one authorisation: the token family `family_id` of `username`.
    RevokeUserGrant {
        username: String,
        family_id: String,
    },
    /// Active tokens, showing only `subject`'s tokens (everyone's for `None`).
    ShowTokensOf {
        subject: Option<String>,
    },

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

    // The palette, the old secret's grace period, the audit log.
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

    /// Ctrl-Z: hand the terminal back to the shell until `fg`.
    Suspend,

    // From the runtime.
    /// The auto-refresh timer (`--refresh`): the current tab's list again, quietly.
    AutoRefresh,
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

    /// Get token, the waiting screens, this session's tokens.
    Flow(FlowAction),
}

/// Everything the user can do with token flows; the keymap names these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlowAction {
    /// `t`: open the Get token dialog for the selected app.
    Open,
    NextField,
    PrevField,
    /// ←/→ on the flow row: another flow.
    CycleFlow(i8),
    /// Space on a scope row.
    Toggle,
    /// Enter in the dialog: run the flow.
    Start,
    /// `y` while waiting: copy the authorize URL / verification URL.
    CopyUrl,
    /// `c` on the device screen: copy the user code.
    CopyUserCode,
    /// `o` while waiting: open the browser, when that can work here.
    OpenBrowser,
    /// Tab / `p` while waiting in paste mode: into (or out of) the paste field.
    FocusPaste,
    /// Enter in the paste field: send the pasted URL.
    SubmitPaste,
    /// Esc: cancel the flow or close the dialog.
    Cancel,
    /// `s` on the Active tokens tab: move between this session's tokens and the list.
    ToggleSessionFocus,
    CopyAccessToken,
    Refresh,
    Introspect,
    Revoke,
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
    /// Ctrl-Z: restore the terminal, stop the process (`SIGTSTP`); on `fg`, take the
    /// terminal again and redraw everything.
    Suspend,
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
            Command::Suspend => f.write_str("Suspend"),
            Command::Quit => f.write_str("Quit"),
        }
    }
}

impl Action {
    /// The stable name of an action in the config file (`[keys]`) and the palette;
    /// `None` for actions that cannot be rebound (the data-carrying ones).
    pub fn name(&self) -> Option<&'static str> {
        use Action as A;
        Some(match self {
            A::Quit => "quit",
            A::NextTab => "next_tab",
            A::PrevTab => "prev_tab",
            A::GoToTab(Tab::ClientApps) => "tab_client_apps",
            A::GoToTab(Tab::ScopesAndGrants) => "tab_scopes_and_grants",
            A::GoToTab(Tab::ActiveTokens) => "tab_active_tokens",
            A::GoToTab(Tab::AuditLog) => "tab_audit_log",
            A::GoToTab(Tab::Users) => "tab_users",
            A::ToggleHelp => "help",
            A::Back => "back",
            A::Refresh => "refresh",
            A::MoveUp => "move_up",
            A::MoveDown => "move_down",
            A::MoveLeft => "move_left",
            A::MoveRight => "move_right",
            A::First => "first",
            A::Last => "last",
            A::PageUp => "page_up",
            A::PageDown => "page_down",
            A::StartFilter => "filter",
            A::AcceptFilter => "accept_filter",
            A::NewApp => "new_app",
            A::EditSelected => "edit",
            A::DeleteSelected => "delete",
            A::CopySelectedId => "copy_id",
            A::CopyRedirectUrl => "copy_redirect_url",
            A::OpenDetails => "details",
            A::CycleSort => "sort",
            A::RotateSelectedSecret => "rotate_secret",
            A::ToggleCell => "toggle_cell",
            A::RevokeSelectedToken => "revoke_token",
            A::RevokeSelectedAppTokens => "revoke_app_tokens",
            A::Confirmed => "confirm",
            A::CopySecretModalId => "copy_new_client_id",
            A::CopySecretModalSecret => "copy_new_secret",
            A::FormNext => "form_next",
            A::FormPrev => "form_prev",
            A::FormActivate => "form_activate",
            A::FormToggle => "form_toggle",
            A::FormSave => "save",
            A::FormRemoveUrl => "remove_url",
            A::OpenPalette => "palette",
            A::PaletteRun => "palette_run",
            A::EndSelectedSecretGrace => "end_secret_grace",
            A::OpenAuditRecord => "audit_record",
            A::RevokeSelectedSubjectTokens => "revoke_user_tokens_here",
            A::PromptUserFilter => "filter_by_user",
            A::ApplyUserFilter => "apply_user_filter",
            A::ToggleSelectedUser => "toggle_user",
            A::ResetSelectedUserPassword => "reset_password",
            A::SubmitPassword => "submit_password",
            A::RevokeSelectedUserTokens => "revoke_user_tokens",
            A::DeleteSelectedUser => "delete_user",
            A::OpenUserDetails => "user_details",
            A::ShowSelectedUserTokens => "user_tokens",
            A::RevokeSelectedGrant => "revoke_grant",
            A::Suspend => "suspend",
            // The Get token dialogs' own field moves keep their keys.
            A::Flow(flow) => match flow {
                FlowAction::Open => "get_token",
                FlowAction::Start => "start_flow",
                FlowAction::CopyUrl => "copy_url",
                FlowAction::CopyUserCode => "copy_user_code",
                FlowAction::OpenBrowser => "open_browser",
                FlowAction::FocusPaste => "paste_url",
                FlowAction::ToggleSessionFocus => "session_tokens",
                FlowAction::CopyAccessToken => "copy_access_token",
                FlowAction::Refresh => "refresh_session_token",
                FlowAction::Introspect => "introspect",
                FlowAction::Revoke => "revoke_session_token",
                _ => return None,
            },
            _ => return None,
        })
    }

    /// Actions that change something on the server: hidden and refused in read-only
    /// mode, however they are invoked (key, mouse, palette, a confirm dialog).
    pub fn is_write(&self) -> bool {
        use Action as A;
        matches!(
            self,
            A::NewApp
                | A::EditSelected
                | A::DeleteSelected
                | A::RotateSelectedSecret
                | A::ToggleCell
                | A::RevokeSelectedToken
                | A::RevokeSelectedAppTokens
                | A::FormSave
                | A::EndSelectedSecretGrace
                | A::DeleteApp { .. }
                | A::RotateSecret { .. }
                | A::RevokeToken { .. }
                | A::RevokeAppTokens { .. }
                | A::EndSecretGrace { .. }
                | A::PatchApp { .. }
                | A::RevokeSelectedSubjectTokens
                | A::ToggleSelectedUser
                | A::ResetSelectedUserPassword
                | A::SubmitPassword
                | A::RevokeSelectedUserTokens
                | A::DeleteSelectedUser
                | A::RevokeSelectedGrant
                | A::SetUserDisabled { .. }
                | A::RevokeUserTokens { .. }
                | A::DeleteUser { .. }
                | A::RevokeUserGrant { .. }
        )
    }
}

/// What a handler hands back to the dispatcher: commands for the runtime, and
/// follow-up actions the dispatcher runs next (through the same read-only gate).
/// Handlers never call `update` themselves.
#[derive(Debug, Default)]
pub struct Outcome {
    pub commands: Vec<Command>,
    pub then: Vec<Action>,
}

impl Outcome {
    /// Nothing more to do.
    pub fn done() -> Outcome {
        Outcome::default()
    }

    /// Run `action` next.
    pub fn then(action: Action) -> Outcome {
        Outcome {
            commands: Vec::new(),
            then: vec![action],
        }
    }
}

impl From<Vec<Command>> for Outcome {
    fn from(commands: Vec<Command>) -> Outcome {
        Outcome {
            commands,
            then: Vec::new(),
        }
    }
}

impl From<Option<Command>> for Outcome {
    fn from(command: Option<Command>) -> Outcome {
        Outcome::from(command.into_iter().collect::<Vec<_>>())
    }
}
