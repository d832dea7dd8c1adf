//! The console as a whole: the one dispatcher (`update`), the routing of the worker's
//! answers, the pointer, the header, tab bar and footer (`render`), and the config
//! applied at start. The only module that calls into every screen and dialog.

pub mod config;
mod mouse;
mod navigation;
mod replies;
mod typing;
pub mod update;
pub mod view;

pub use update::{start, update};
pub use view::render;

#[cfg(test)]
mod tests;
