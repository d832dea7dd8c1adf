//! Tab 5, Users: the people who sign in on the consent and device pages, with the apps
//! they authorised, and disabling, password resets, revocations and deletion.

pub mod keys;
pub mod layout;
pub mod reply;
pub mod state;
pub mod update;
pub mod view;
