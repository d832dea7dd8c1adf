//! Tables on the screen: a bordered list's areas, columns fitted to a width (dropping
//! the least useful first), and which row a click lands on. Drawing and the mouse use
//! the same functions, so a click lands on what was drawn.

use super::cursor::Cursor;
use ratatui::layout::Rect;

/// A bordered list: its header row and the rows under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListArea {
    pub block: Rect,
    pub header: Rect,
    pub rows: Rect,
}

pub fn list_area(block: Rect) -> ListArea {
    let inner = Rect::new(
        block.x.saturating_add(1),
        block.y.saturating_add(1),
        block.width.saturating_sub(2),
        block.height.saturating_sub(2),
    );
    ListArea {
        block,
        header: Rect::new(inner.x, inner.y, inner.width, inner.height.min(1)),
        rows: Rect::new(
            inner.x,
            inner.y.saturating_add(1),
            inner.width,
            inner.height.saturating_sub(1),
        ),
    }
}

/// One column of a table: its title, how narrow and wide it may be, and when it goes
/// away on narrow terminals (higher goes first; 0 never).
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    pub title: &'static str,
    pub min: u16,
    pub max: u16,
    pub drop_rank: u8,
}

/// A placed column: x relative to the row's start, and width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    pub index: usize,
    pub x: u16,
    pub width: u16,
}

pub const GAP: u16 = 2;
/// Column 0 of every row holds the selection marker.
pub const MARKER: u16 = 1;

/// Fits `specs` into `width` columns: drops columns by rank until the minimums fit,
/// then widens the kept ones, left to right, up to their maximum.
pub fn place_columns(specs: &[ColumnSpec], width: u16) -> Vec<Placed> {
    let mut kept: Vec<usize> = (0..specs.len()).collect();
    let needed = |kept: &[usize]| -> u16 {
        MARKER
            + kept.iter().map(|&i| specs[i].min).sum::<u16>()
            + GAP * (kept.len().saturating_sub(1) as u16)
    };
    while needed(&kept) > width {
        let droppable = kept
            .iter()
            .enumerate()
            .filter(|(_, i)| specs[**i].drop_rank > 0)
            .max_by_key(|(_, i)| specs[**i].drop_rank);
        match droppable {
            Some((at, _)) => {
                kept.remove(at);
            }
            None => break,
        }
    }
    let mut widths: Vec<u16> = kept.iter().map(|&i| specs[i].min).collect();
    let mut spare = width.saturating_sub(needed(&kept));
    for (w, &i) in widths.iter_mut().zip(&kept) {
        let more = (specs[i].max - *w).min(spare);
        *w += more;
        spare -= more;
    }
    let mut x = MARKER;
    kept.iter()
        .zip(widths)
        .map(|(&index, width)| {
            let placed = Placed { index, x, width };
            x += width + GAP;
            placed
        })
        .collect()
}

/// The index of the row `offset` rows below the top of a list of `len` rows drawn
/// `height` rows high with `cursor`, if a row is drawn there.
pub fn row_at(cursor: &Cursor, len: usize, height: u16, offset: usize) -> Option<usize> {
    let (start, end) = cursor.window(len, usize::from(height));
    let index = start + offset;
    (index < end).then_some(index)
}
