//! Get token: the dialog that starts a flow for an app, the screens that wait for a
//! browser or a device, and the tokens obtained this session.

pub mod device_view;
mod frame;
mod introspection_view;
pub mod keys;
pub mod reply;
mod session;
pub mod session_view;
mod setup;
mod setup_view;
pub mod state;
pub mod update;
pub mod view;
mod waiting;
