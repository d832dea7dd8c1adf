//! Where the Users table puts its columns and the row actions of the selected or
//! hovered row. The view draws with these and the mouse hit-tests with them.

use crate::domain::UserSummary;
use crate::tui::action::Action;
use crate::tui::input::binding::Context;
use crate::tui::keymap::bound_label;
use crate::tui::kit::buttons::{self, Button, PlacedButtons};
use crate::tui::kit::columns::{ColumnSpec, ListArea, Placed, place_columns};
use crate::tui::state::State;

pub const USER_COLUMNS: [ColumnSpec; 5] = [
    ColumnSpec {
        title: "Name",
        min: 14,
        max: 32,
        drop_rank: 0,
    },
    ColumnSpec {
        title: "Status",
        min: 8,
        max: 8,
        drop_rank: 3,
    },
    ColumnSpec {
        title: "Last sign-in",
        min: 12,
        max: 12,
        drop_rank: 2,
    },
    ColumnSpec {
        title: "Active tokens",
        min: 13,
        max: 13,
        drop_rank: 4,
    },
    ColumnSpec {
        title: "Apps authorised",
        min: 15,
        max: 15,
        drop_rank: 5,
    },
];

/// The row actions of `user`'s row: `(key, wide label, compact label, action)`.
fn defaults(user: &UserSummary) -> [(&'static str, &'static str, &'static str, Action); 6] {
    let (toggle, short) = if user.disabled {
        ("Enable", "En")
    } else {
        ("Disable", "Dis")
    };
    [
        ("⏎", "Details", "Open", Action::OpenUserDetails),
        ("e", toggle, short, Action::ToggleSelectedUser),
        ("p", "Password", "Pwd", Action::ResetSelectedUserPassword),
        ("R", "Revoke all", "Rvk", Action::RevokeSelectedUserTokens),
        ("d", "Delete", "Del", Action::DeleteSelectedUser),
        ("t", "Tokens", "Tok", Action::ShowSelectedUserTokens),
    ]
}

/// The buttons of `user`'s row, with the keys as bound now; in read-only mode the
/// writing ones are left out.
pub fn row_actions(
    state: &State,
    user: &UserSummary,
    columns: &[Placed],
    width: u16,
) -> PlacedButtons<Action> {
    let mut wide: Vec<Button<Action>> = Vec::new();
    let mut compact: Vec<Button<Action>> = Vec::new();
    for (key, label, short, action) in defaults(user) {
        if state.read_only && action.is_write() {
            continue;
        }
        let key = bound_label(state, Context::Users, &action)
            .map_or(key.to_string(), |bound| bound.into_owned());
        wide.push((key.clone(), label, action.clone()));
        compact.push((key, short, action));
    }
    buttons::place(&wide, &compact, columns, width)
}

/// The row action under column `x` of row `index`, if that row shows its actions
/// (selected or hovered).
pub fn action_at(state: &State, list: &ListArea, index: usize, x: u16) -> Option<Action> {
    let view = &state.users;
    let shows_actions = index == view.cursor.selected || Some(index) == view.hovered;
    if !shows_actions {
        return None;
    }
    let user = view.row(index)?;
    let columns = place_columns(&USER_COLUMNS, list.rows.width);
    buttons::at(&row_actions(state, user, &columns, list.rows.width), x)
}
