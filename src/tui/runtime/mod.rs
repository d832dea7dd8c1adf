//! The world outside `update` and `render`: the event loop, the terminal, the clipboard
//! and the browser.

pub mod browser;
pub mod clipboard;
pub mod event_loop;
pub mod options;
pub mod terminal;
