//! Row actions as buttons at the right of a table row: as many leading cells as leave
//! room for them stay, the trailing cells give way. Wide labels when they fit, compact
//! ones otherwise. Generic over what a button does, so this module knows no action.

use super::columns::{GAP, Placed};

/// One button: its key as bound now, its label, and what it does.
pub type Button<T> = (String, &'static str, T);

/// The buttons as placed in a row: x (relative to the row) and width of each.
#[derive(Debug, Clone)]
pub struct PlacedButtons<T> {
    /// How many leading columns stay visible.
    pub kept_columns: usize,
    pub buttons: Vec<(u16, u16, T)>,
    /// Each button's key and label, as drawn.
    pub labels: Vec<(String, &'static str)>,
}

fn button_width<T>((key, label, _): &Button<T>) -> u16 {
    (key.chars().count() + 1 + label.chars().count()) as u16
}

/// Places `labels` after as many leading columns as leave room for all of them, at
/// least the first; `None` when they do not fit even then.
pub fn place_set<T: Clone>(
    labels: &[Button<T>],
    columns: &[Placed],
    width: u16,
) -> Option<PlacedButtons<T>> {
    let total: u16 = labels.iter().map(button_width).sum::<u16>()
        + GAP * (labels.len() as u16).saturating_sub(1);
    for kept in (1..=columns.len()).rev() {
        let start = columns[kept - 1].x + columns[kept - 1].width + GAP;
        if start + total <= width {
            let mut x = start;
            let buttons = labels
                .iter()
                .map(|label| {
                    let w = button_width(label);
                    let button = (x, w, label.2.clone());
                    x += w + GAP;
                    button
                })
                .collect();
            return Some(PlacedButtons {
                kept_columns: kept,
                buttons,
                labels: labels.iter().map(|(k, l, _)| (k.clone(), *l)).collect(),
            });
        }
    }
    None
}

/// Places `wide` if it fits after at least the first column, else `compact`; no
/// buttons at all when neither fits.
pub fn place<T: Clone>(
    wide: &[Button<T>],
    compact: &[Button<T>],
    columns: &[Placed],
    width: u16,
) -> PlacedButtons<T> {
    for labels in [wide, compact] {
        if let Some(placed) = place_set(labels, columns, width) {
            return placed;
        }
    }
    PlacedButtons {
        kept_columns: columns.len(),
        buttons: Vec::new(),
        labels: Vec::new(),
    }
}

/// What the button under column `x` of the row does, if one is there.
pub fn at<T: Clone>(placed: &PlacedButtons<T>, x: u16) -> Option<T> {
    placed
        .buttons
        .iter()
        .find(|(bx, bw, _)| x >= *bx && x < bx + bw)
        .map(|(_, _, what)| what.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::kit::columns::{ColumnSpec, place_columns};

    const SPECS: [ColumnSpec; 3] = [
        ColumnSpec {
            title: "Name",
            min: 10,
            max: 10,
            drop_rank: 0,
        },
        ColumnSpec {
            title: "A",
            min: 10,
            max: 10,
            drop_rank: 1,
        },
        ColumnSpec {
            title: "B",
            min: 10,
            max: 10,
            drop_rank: 2,
        },
    ];

    #[test]
    fn trailing_cells_give_way_and_compact_labels_step_in() {
        let columns = place_columns(&SPECS, 50);
        let wide = vec![
            ("d".to_string(), "Delete", 1),
            ("x".to_string(), "Disable", 2),
        ];
        let compact = vec![("d".to_string(), "Del", 1), ("x".to_string(), "Dis", 2)];
        let placed = place(&wide, &compact, &columns, 50);
        assert_eq!(placed.kept_columns, 2);
        assert_eq!(placed.labels[0].1, "Delete");
        let (x, _, _) = placed.buttons[1];
        assert_eq!(at(&placed, x), Some(2));
        assert_eq!(at(&placed, 0), None);
        let narrow = place(&wide, &compact, &place_columns(&SPECS, 30), 30);
        assert_eq!(narrow.labels[0].1, "Del");
    }
}
