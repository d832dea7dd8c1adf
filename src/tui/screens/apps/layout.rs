//! Where the Client apps table puts its columns and the selected row's actions. The
//! view draws with these and the mouse hit-tests with them.

use crate::tui::action::{Action, FlowAction};
use crate::tui::input::binding::Context;
use crate::tui::keymap::bound_label;
use crate::tui::kit::buttons;
use crate::tui::kit::columns::{ColumnSpec, ListArea, Placed, place_columns};
use crate::tui::state::State;

pub const APP_COLUMNS: [ColumnSpec; 7] = [
    ColumnSpec {
        title: "Name",
        min: 14,
        max: 30,
        drop_rank: 0,
    },
    ColumnSpec {
        title: "Platform",
        min: 12,
        max: 12,
        drop_rank: 3,
    },
    ColumnSpec {
        title: "Client ID",
        min: 13,
        max: 18,
        drop_rank: 2,
    },
    ColumnSpec {
        title: "Scopes",
        min: 14,
        max: 14,
        drop_rank: 4,
    },
    ColumnSpec {
        title: "Grants",
        min: 18,
        max: 27,
        drop_rank: 5,
    },
    ColumnSpec {
        title: "Created",
        min: 8,
        max: 8,
        drop_rank: 6,
    },
    ColumnSpec {
        title: "Last used",
        min: 9,
        max: 9,
        drop_rank: 1,
    },
];

/// The row actions, as drawn: `(key, label, action)`, with the keys as bound now.
/// Wide rows also get the extras after *Details* (Get token, Copy URL), each only
/// when it fits without hiding more cells; in read-only mode the writing ones are
/// left out.
pub fn row_action_labels(state: &State, compact: bool) -> Vec<(String, &'static str, Action)> {
    row_action_defaults(compact)
        .into_iter()
        .filter(|(_, _, action)| !(state.read_only && action.is_write()))
        .map(|(key, label, action)| {
            let bound = bound_label(state, Context::ClientApps, &action);
            (
                bound.map_or(key.to_string(), |b| b.into_owned()),
                label,
                action,
            )
        })
        .collect()
}

fn row_action_defaults(compact: bool) -> Vec<(&'static str, &'static str, Action)> {
    if compact {
        vec![
            ("e", "Edit", Action::EditSelected),
            ("d", "Del", Action::DeleteSelected),
            ("y", "Copy", Action::CopySelectedId),
            ("⏎", "Open", Action::OpenDetails),
        ]
    } else {
        vec![
            ("e", "Edit", Action::EditSelected),
            ("d", "Delete", Action::DeleteSelected),
            ("y", "Copy ID", Action::CopySelectedId),
            ("⏎", "Details", Action::OpenDetails),
            ("t", "Get token", Action::Flow(FlowAction::Open)),
            ("u", "Copy URL", Action::CopyRedirectUrl),
        ]
    }
}

/// Each row action's x (relative to the row) and width.
#[derive(Debug, Clone)]
pub struct RowActions {
    /// How many leading columns stay visible.
    pub kept_columns: usize,
    pub compact: bool,
    pub buttons: Vec<(u16, u16, Action)>,
    /// Each button's key and label, as drawn.
    pub labels: Vec<(String, &'static str)>,
}

type Label = (String, &'static str, Action);

/// Where the row actions go in a row of `width` columns: after as many leading cells
/// as leave room for them; the trailing cells give way.
pub fn row_actions(state: &State, columns: &[Placed], width: u16) -> RowActions {
    // The labels are worked out once: each asks the keymap for its keys.
    let compact = row_action_labels(state, true);
    let wide = row_action_labels(state, false);
    let sets = [(false, wide.as_slice()), (true, compact.as_slice())];
    // The compact set has no extras: its length is how many come before them.
    let base = compact.len();
    let Some(mut best) = place_row_actions(&sets, columns, width, base) else {
        return RowActions {
            kept_columns: columns.len(),
            compact: true,
            buttons: Vec::new(),
            labels: Vec::new(),
        };
    };
    if best.compact {
        return best;
    }
    // Each extra joins only when it costs no cell the others would have kept.
    for count in base + 1..=wide.len() {
        match place_row_actions(&sets, columns, width, count) {
            Some(more) if more.kept_columns == best.kept_columns => best = more,
            _ => break,
        }
    }
    best
}

/// The first `count` row actions, wide labels if they fit, else compact ones.
fn place_row_actions(
    sets: &[(bool, &[Label])],
    columns: &[Placed],
    width: u16,
    count: usize,
) -> Option<RowActions> {
    for &(compact, labels) in sets {
        let Some(labels) = labels.get(..count) else {
            continue;
        };
        if let Some(placed) = buttons::place_set(labels, columns, width) {
            return Some(RowActions {
                kept_columns: placed.kept_columns,
                compact,
                buttons: placed.buttons,
                labels: placed.labels,
            });
        }
    }
    None
}

/// The row action under column `x` of row `index` of the list, if that row shows its
/// actions (selected or hovered).
pub fn action_at(state: &State, list: &ListArea, index: usize, x: u16) -> Option<Action> {
    let shows_actions = index == state.apps.cursor.selected || Some(index) == state.apps.hovered;
    if !shows_actions {
        return None;
    }
    let columns = place_columns(&APP_COLUMNS, list.rows.width);
    row_actions(state, &columns, list.rows.width)
        .buttons
        .into_iter()
        .find(|(bx, bw, _)| x >= *bx && x < bx + bw)
        .map(|(_, _, action)| action)
}
