//! What opens over the tabs. Each folder holds one dialog's state, keys, update,
//! replies and view; dialogs never import one another or a tab's logic.

pub mod confirm;
pub mod details;
pub mod form;
pub mod get_token;
pub mod help;
pub mod palette;
pub mod prompt;
pub mod secret;
pub mod user_details;
