//! Pure helpers with no knowledge of the console's screens: a list cursor, text
//! fitting, colours, columns, the filter line, the dialog frame, masked input, QR codes.

pub mod buttons;
pub mod columns;
pub mod cursor;
pub mod dialog;
pub mod filter;
pub mod masked;
pub mod qr;
pub mod table;
pub mod text;
pub mod theme;
