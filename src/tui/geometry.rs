//! Where things go on the screen, as pure functions of the state and the terminal size:
//! header, tab bar, body, footer, and the list of the current tab. Render draws with
//! these; the mouse hit-tests with the same ones, so a click lands on what was drawn.

use crate::tui::action::Tab;
use crate::tui::kit::columns::{ListArea, list_area};
use crate::tui::kit::cursor::Cursor;
use crate::tui::screens::matrix;
use crate::tui::state::State;
use ratatui::layout::Rect;

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
// Five tabs need this much beside a full server label.
const ONE_LINE_HEADER: u16 = 146;

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

/// The terminal area as the last resize reported it.
pub fn frame_area(state: &State) -> Rect {
    Rect::new(0, 0, state.width, state.height)
}

/// The list of the current tab, as drawn.
pub fn current_list(state: &State) -> ListArea {
    let body = screen(frame_area(state)).body;
    match state.tab {
        Tab::ScopesAndGrants => list_area(matrix::layout::matrix_split(body).0),
        // This session's tokens sit above the list.
        Tab::ActiveTokens => list_area(tokens_list_body(state, body)),
        _ => list_area(body),
    }
}

/// How many rows the current tab's list shows at once.
pub fn page_rows(state: &State) -> usize {
    usize::from(current_list(state).rows.height).max(1)
}

/// The current tab's list cursor and how many rows that list shows.
pub fn list_cursor(state: &mut State) -> (&mut Cursor, usize) {
    match state.tab {
        Tab::ClientApps => (&mut state.apps.cursor, state.apps.visible.len()),
        Tab::ScopesAndGrants => (&mut state.matrix.cursor, state.apps.visible.len()),
        Tab::ActiveTokens => (&mut state.tokens.cursor, state.tokens.visible.len()),
        Tab::AuditLog => (&mut state.audit.cursor, state.audit.visible.len()),
        Tab::Users => (&mut state.users.cursor, state.users.visible.len()),
    }
}

pub fn keep_cursors_visible(state: &mut State) {
    let page = page_rows(state);
    let (cursor, len) = list_cursor(state);
    cursor.keep_visible(len, page);
}

/// How many rows this session's tokens take on top of the Active tokens tab.
pub fn session_height(state: &State) -> u16 {
    let count = state.flows.session.len();
    if count == 0 {
        return 0;
    }
    count.min(4) as u16 + 3
}

/// The part of the Active tokens body the token list keeps below this session's
/// tokens.
pub fn tokens_list_body(state: &State, body: Rect) -> Rect {
    let top = session_height(state).min(body.height.saturating_sub(6));
    Rect::new(body.x, body.y + top, body.width, body.height - top)
}
