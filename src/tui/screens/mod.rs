//! The tabs. Each folder holds one tab's state, keys, update, replies, layout and view;
//! tabs never import one another's logic.

pub mod apps;
pub mod audit;
pub mod matrix;
pub mod tokens;
pub mod users;
