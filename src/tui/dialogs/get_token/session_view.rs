//! Tab 3's top box: the tokens this console obtained in this run. No token text is
//! ever drawn; `y` copies the access token.

use super::frame::flow_key;
use super::state::SessionToken;
use crate::api::flows::FlowKind;
use crate::tui::action::FlowAction;
use crate::tui::geometry::tokens_list_body;
use crate::tui::input::binding::Context;
use crate::tui::kit::text::{countdown, fit, safe};
use crate::tui::kit::theme::Theme;
use crate::tui::state::State;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

/// Draws the box above the token list; returns the body left for the list.
pub fn render(state: &State, theme: &Theme, body: Rect, buf: &mut Buffer) -> Rect {
    let rest = tokens_list_body(state, body);
    let height = rest.y - body.y;
    if height < 3 {
        return rest;
    }
    let area = Rect::new(body.x, body.y, body.width, height);
    let focused = state.flows.session_focus;
    let session = Context::SessionTokens;
    let key = |context, action, default| flow_key(state, context, action, default);
    let hint = if focused {
        format!(
            " {} copy · {} refresh · {} introspect · {} revoke · {} all tokens ",
            key(session, FlowAction::CopyAccessToken, "y"),
            key(session, FlowAction::Refresh, "f"),
            key(session, FlowAction::Introspect, "i"),
            key(session, FlowAction::Revoke, "x"),
            key(session, FlowAction::ToggleSessionFocus, "s"),
        )
    } else {
        let select = key(Context::ActiveTokens, FlowAction::ToggleSessionFocus, "s");
        format!(" {select} select ")
    };
    let block = Block::bordered()
        .border_style(if focused { theme.title } else { theme.border })
        .title(Line::from(vec![
            Span::styled(" This session ", theme.title),
            Span::styled(format!("{} ", state.flows.session.len()), theme.dim),
        ]))
        .title_bottom(Line::from(Span::styled(hint, theme.dim)).right_aligned());
    let inner = block.inner(area);
    block.render(area, buf);
    let rows = Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(1),
        inner.height,
    );
    let columns = columns(rows.width);
    let mut y = rows.y;
    let header: Vec<(u16, u16, &str)> = columns
        .iter()
        .map(|(x, w, title)| (*x, *w, *title))
        .collect();
    for (x, w, title) in &header {
        buf.set_stringn(
            rows.x + x,
            y,
            fit(title, usize::from(*w)),
            usize::from(*w),
            theme.header,
        );
    }
    y += 1;
    let visible = usize::from(rows.height.saturating_sub(1));
    let start = state
        .flows
        .selected
        .saturating_sub(visible.saturating_sub(1));
    for (index, token) in state
        .flows
        .session
        .iter()
        .enumerate()
        .skip(start)
        .take(visible)
    {
        let selected = focused && index == state.flows.selected;
        let style = if selected { theme.selected } else { theme.base };
        let line = Rect::new(inner.x, y, inner.width, 1);
        buf.set_style(line, style);
        if selected {
            buf.set_stringn(inner.x, y, "▌", 1, style);
        }
        for (i, (x, w, _)) in columns.iter().enumerate() {
            let (text, cell_style) = cell(state, token, i, theme);
            let cell_style = if selected { style } else { cell_style };
            buf.set_stringn(
                rows.x + x,
                y,
                fit(&text, usize::from(*w)),
                usize::from(*w),
                cell_style,
            );
        }
        y += 1;
    }
    rest
}

/// `(x, width, title)` of each column in `width` cells.
fn columns(width: u16) -> Vec<(u16, u16, &'static str)> {
    let fixed: [(u16, &str); 5] = [
        (11, "Flow"),
        (14, "Scopes"),
        (12, "Refresh"),
        (11, "Expires in"),
        (8, "Status"),
    ];
    let fixed_w: u16 = fixed.iter().map(|(w, _)| w + 1).sum();
    let app_w = width.saturating_sub(fixed_w).max(8);
    let mut x = 0;
    let mut out = vec![(x, app_w, "App")];
    x += app_w + 1;
    for (w, title) in fixed {
        out.push((x, w, title));
        x += w + 1;
    }
    out
}

fn cell(
    state: &State,
    token: &SessionToken,
    column: usize,
    theme: &Theme,
) -> (String, ratatui::style::Style) {
    let active = token.is_active(state.now);
    match column {
        0 => (safe(&token.app_name).into_owned(), theme.base),
        1 => (
            match token.kind {
                FlowKind::ClientCredentials => "client cred",
                FlowKind::AuthorizationCode => "code+PKCE",
                FlowKind::DeviceCode => "device",
                FlowKind::Implicit => "implicit",
            }
            .to_string(),
            theme.base,
        ),
        2 => (token.tokens.scopes.join(" "), theme.base),
        3 => (
            match (&token.tokens.refresh_token, token.refreshes) {
                (None, _) => "—".to_string(),
                (Some(_), 0) => "yes".to_string(),
                (Some(_), n) => format!("rotated ×{n}"),
            },
            theme.base,
        ),
        4 => (
            match token.tokens.expires_at {
                Some(at) if active => countdown(at - state.now),
                Some(_) | None if !active => "—".to_string(),
                _ => "no expiry".to_string(),
            },
            theme.base,
        ),
        _ => {
            if token.revoked {
                ("revoked".into(), theme.error)
            } else if active {
                ("active".into(), theme.ok)
            } else {
                ("expired".into(), theme.dim)
            }
        }
    }
}
