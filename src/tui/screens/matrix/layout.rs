//! Where the Scopes & grants matrix puts its name column, its nine cells and the legend.

use super::state::MATRIX_COLUMNS;
use crate::tui::kit::columns::MARKER;
use ratatui::layout::Rect;

/// The matrix: name column width, then the nine cell widths.
pub fn matrix_columns(width: u16) -> (u16, [u16; MATRIX_COLUMNS]) {
    let (scope_w, grant_w) = if width >= 100 { (5, 10) } else { (4, 8) };
    let mut cells = [grant_w; MATRIX_COLUMNS];
    for cell in cells.iter_mut().take(4) {
        *cell = scope_w;
    }
    let used: u16 = cells.iter().sum::<u16>() + MARKER + 1;
    (width.saturating_sub(used).clamp(8, 30), cells)
}

/// The matrix block above its legend and status line.
pub fn matrix_split(body: Rect) -> (Rect, Rect) {
    let legend_h = if body.height >= 24 { 11 } else { 1 };
    let legend_h = legend_h.min(body.height.saturating_sub(5));
    let table = Rect::new(body.x, body.y, body.width, body.height - legend_h);
    let legend = Rect::new(body.x, table.bottom(), body.width, legend_h);
    (table, legend)
}

/// The cell under column `x` of a row of the matrix `width` columns wide.
pub fn cell_at(width: u16, x: u16) -> Option<usize> {
    let (name_w, cells) = matrix_columns(width);
    let mut cx = MARKER + name_w + 1;
    for (i, w) in cells.iter().enumerate() {
        if x >= cx && x < cx + w {
            return Some(i);
        }
        cx += w;
    }
    None
}
