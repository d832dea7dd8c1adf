//! Where things go on the screen, as pure functions of the state and the terminal size.
//! Render draws with these; the mouse handler in `update` hit-tests with the same ones,
//! so a click lands on what was drawn.

use super::action::{Action, Tab};
use super::cursor::Cursor;
use super::state::{MATRIX_COLUMNS, State};
use ratatui::layout::{Position, Rect};

/// The frame, split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Screen {
    pub header: Rect,
    /// The tab titles; on the header line when the terminal is wide enough.
    pub tabs: Rect,
    pub body: Rect,
    pub footer: Rect,
}

/// Terminals at least this wide get header and tabs on one line.
// Four tabs (with the audit log) need this much beside a full server label.
const ONE_LINE_HEADER: u16 = 136;

pub fn screen(area: Rect) -> Screen {
    let footer_h = u16::from(area.height > 1);
    let header_h = if area.width >= ONE_LINE_HEADER { 1 } else { 2 };
    let header_h = header_h.min(area.height - footer_h);
    let header = Rect::new(area.x, area.y, area.width, 1.min(area.height));
    let tabs = if header_h <= 1 {
        let w = tab_titles_width().min(area.width);
        Rect::new(area.right().saturating_sub(w), area.y, w, header.height)
    } else {
        Rect::new(area.x, area.y + 1, area.width, 1)
    };
    let body_y = area.y + header_h;
    let body_h = area.height.saturating_sub(header_h + footer_h);
    Screen {
        header,
        tabs,
        body: Rect::new(area.x, body_y, area.width, body_h),
        footer: Rect::new(area.x, body_y + body_h, area.width, footer_h),
    }
}

/// The text of one tab title: ` 1 Client apps `.
pub fn tab_title(tab: Tab) -> String {
    format!(" {} {} ", tab.number(), tab.title())
}

fn tab_titles_width() -> u16 {
    Tab::ALL
        .iter()
        .map(|t| tab_title(*t).chars().count() as u16 + 1)
        .sum()
}

/// Each tab's title area, for clicks.
pub fn tab_hits(tabs: Rect) -> Vec<(Rect, Tab)> {
    let mut x = tabs.x;
    let mut out = Vec::new();
    for tab in Tab::ALL {
        let w = tab_title(tab).chars().count() as u16;
        out.push((Rect::new(x, tabs.y, w, 1).intersection(tabs), tab));
        x = x.saturating_add(w + 1);
    }
    out
}

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

pub const APP_COLUMNS: [ColumnSpec; 6] = [
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
];

pub const TOKEN_COLUMNS: [ColumnSpec; 8] = [
    ColumnSpec {
        title: "App",
        min: 12,
        max: 24,
        drop_rank: 0,
    },
    ColumnSpec {
        title: "Kind",
        min: 7,
        max: 7,
        drop_rank: 5,
    },
    ColumnSpec {
        title: "Grant",
        min: 9,
        max: 18,
        drop_rank: 6,
    },
    ColumnSpec {
        title: "Scopes",
        min: 14,
        max: 14,
        drop_rank: 7,
    },
    ColumnSpec {
        title: "Subject",
        min: 10,
        max: 20,
        drop_rank: 4,
    },
    ColumnSpec {
        title: "Issued",
        min: 12,
        max: 12,
        drop_rank: 8,
    },
    ColumnSpec {
        title: "Expires in",
        min: 10,
        max: 10,
        drop_rank: 3,
    },
    ColumnSpec {
        title: "Status",
        min: 7,
        max: 7,
        drop_rank: 2,
    },
];

/// The row actions, as drawn: `(key, label, action)`, with the keys as bound now.
/// Wide rows also get *Get token*, last, when it fits without hiding more
/// cells; in read-only mode the writing ones are left out.
pub fn row_action_labels(state: &State, compact: bool) -> Vec<(String, &'static str, Action)> {
    row_action_defaults(compact)
        .into_iter()
        .filter(|(_, _, action)| !(state.read_only && super::keymap_overrides::is_write(action)))
        .map(|(key, label, action)| {
            let bound =
                super::keymap::bound_label(state, super::keymap::Context::ClientApps, &action);
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
            (
                "t",
                "Get token",
                Action::Flow(super::token_flow::FlowAction::Open),
            ),
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
}

/// Where the row actions go in a row of `width` columns: after as many leading cells
/// as leave room for them; the trailing cells give way.
pub fn row_actions(state: &State, columns: &[Placed], width: u16) -> RowActions {
    // The compact set has no Get token: its length is how many come before it.
    let base = row_action_labels(state, true).len();
    let four = place_row_actions(state, columns, width, base);
    // Get token joins only when it costs no cell the others would have kept.
    match place_row_actions(state, columns, width, base + 1) {
        Some(five)
            if four
                .as_ref()
                .is_some_and(|f| !f.compact && f.kept_columns == five.kept_columns) =>
        {
            five
        }
        _ => four.unwrap_or(RowActions {
            kept_columns: columns.len(),
            compact: true,
            buttons: Vec::new(),
        }),
    }
}

/// The first `count` row actions placed as `row_actions` describes, if they fit.
fn place_row_actions(
    state: &State,
    columns: &[Placed],
    width: u16,
    count: usize,
) -> Option<RowActions> {
    for compact in [false, true] {
        let labels: Vec<_> = row_action_labels(state, compact)
            .into_iter()
            .take(count)
            .collect();
        if labels.len() < count {
            continue;
        }
        let total: u16 = labels
            .iter()
            .map(|(k, l, _)| (k.chars().count() + 1 + l.chars().count()) as u16)
            .sum::<u16>()
            + GAP * (labels.len() as u16).saturating_sub(1);
        for kept in (1..=columns.len()).rev() {
            let start = columns[kept - 1].x + columns[kept - 1].width + GAP;
            if start + total <= width {
                let mut x = start;
                let buttons = labels
                    .into_iter()
                    .map(|(k, l, action)| {
                        let w = (k.chars().count() + 1 + l.chars().count()) as u16;
                        let button = (x, w, action);
                        x += w + GAP;
                        button
                    })
                    .collect();
                return Some(RowActions {
                    kept_columns: kept,
                    compact,
                    buttons,
                });
            }
        }
    }
    None
}

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

/// The terminal area as the last resize reported it.
pub fn frame_area(state: &State) -> Rect {
    Rect::new(0, 0, state.width, state.height)
}

/// The list of the current tab, as drawn.
pub fn current_list(state: &State) -> ListArea {
    let body = screen(frame_area(state)).body;
    match state.tab {
        Tab::ScopesAndGrants => list_area(matrix_split(body).0),
        // Token flows: this session's tokens sit above the list.
        Tab::ActiveTokens => list_area(super::token_flow::tokens_list_body(state, body)),
        _ => list_area(body),
    }
}

/// How many rows the current tab's list shows at once.
pub fn page_rows(state: &State) -> usize {
    usize::from(current_list(state).rows.height).max(1)
}

/// What is under the mouse pointer.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Hit {
    Tab(Tab),
    /// A row of the current list, by position in its visible rows.
    Row(usize),
    /// A row action button on that row.
    RowAction(usize, Action),
    /// A cell of the matrix: row, column.
    Cell(usize, usize),
    Nothing,
}

pub fn hit_test(state: &State, column: u16, row: u16) -> Hit {
    let position = Position::new(column, row);
    let screen = screen(frame_area(state));
    for (rect, tab) in tab_hits(screen.tabs) {
        if rect.contains(position) {
            return Hit::Tab(tab);
        }
    }
    let list = current_list(state);
    if !list.rows.contains(position) {
        return Hit::Nothing;
    }
    let offset_in_rows = usize::from(row - list.rows.y);
    let x = column - list.rows.x;
    match state.tab {
        Tab::ClientApps => {
            let len = state.apps.visible.len();
            let Some(index) = row_at(&state.apps.cursor, len, list.rows.height, offset_in_rows)
            else {
                return Hit::Nothing;
            };
            let columns = place_columns(&APP_COLUMNS, list.rows.width);
            let shows_actions =
                index == state.apps.cursor.selected || Some(index) == state.apps.hovered;
            if shows_actions {
                for (bx, bw, action) in row_actions(state, &columns, list.rows.width).buttons {
                    if x >= bx && x < bx + bw {
                        return Hit::RowAction(index, action);
                    }
                }
            }
            Hit::Row(index)
        }
        Tab::ActiveTokens => {
            let len = state.tokens.visible.len();
            row_at(&state.tokens.cursor, len, list.rows.height, offset_in_rows)
                .map_or(Hit::Nothing, Hit::Row)
        }
        Tab::AuditLog => {
            let len = state.audit.visible.len();
            row_at(&state.audit.cursor, len, list.rows.height, offset_in_rows)
                .map_or(Hit::Nothing, Hit::Row)
        }
        Tab::ScopesAndGrants => {
            let len = state.apps.visible.len();
            let Some(index) = row_at(&state.matrix.cursor, len, list.rows.height, offset_in_rows)
            else {
                return Hit::Nothing;
            };
            let (name_w, cells) = matrix_columns(list.rows.width);
            let mut cx = MARKER + name_w + 1;
            for (i, w) in cells.iter().enumerate() {
                if x >= cx && x < cx + w {
                    return Hit::Cell(index, i);
                }
                cx += w;
            }
            Hit::Row(index)
        }
    }
}

/// The index of the row `offset` rows below the top of a list of `len` rows drawn
/// `height` rows high with `cursor`, if a row is drawn there.
fn row_at(cursor: &Cursor, len: usize, height: u16, offset: usize) -> Option<usize> {
    let (start, end) = cursor.window(len, usize::from(height));
    let index = start + offset;
    (index < end).then_some(index)
}
