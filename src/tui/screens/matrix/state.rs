//! The Scopes & grants tab's state: a cursor over apps × 9 columns.

use crate::tui::kit::cursor::Cursor;

/// The scopes & grants matrix: a cursor over apps × 9 columns.
#[derive(Debug, Clone, Default)]
pub struct MatrixView {
    pub cursor: Cursor,
    /// 0–3 the scopes, 4–8 the grant types.
    pub column: usize,
}

pub const MATRIX_COLUMNS: usize = 9;
