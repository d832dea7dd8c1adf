//! The device flow's screen (RFC 8628): where to go, the user code big and clear, a
//! QR code of the complete verification URL when the terminal has room, the polling
//! status and the time left.

use super::frame::{flow_key, hard_wrap, key, panel, put_lines, truncated};
use super::state::{DeviceWait, PollStatus};
use crate::tui::action::{Action, FlowAction};
use crate::tui::input::binding::Context;
use crate::tui::kit::dialog::{boxed, keys};
use crate::tui::kit::qr;
use crate::tui::kit::text::{countdown, safe};
use crate::tui::kit::theme::Theme;
use crate::tui::state::State;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

fn poll_line(state: &State, status: &PollStatus, theme: &Theme) -> Line<'static> {
    let spinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"][(state.ticks % 8) as usize];
    match status {
        PollStatus::Waiting => Line::from(Span::styled("Asking for a code…", theme.dim)),
        PollStatus::Pending { interval } => Line::from(vec![
            Span::styled(format!("{spinner} "), theme.warn),
            Span::raw(format!("Waiting for approval · polling every {interval}s")),
        ]),
        PollStatus::SlowDown { interval } => Line::from(vec![
            Span::styled(format!("{spinner} "), theme.warn),
            Span::raw(format!("Server asked to slow down · every {interval}s")),
        ]),
        PollStatus::Retrying { interval, reason } => Line::from(Span::styled(
            format!("Retrying in {interval}s: {}", safe(reason)),
            theme.error,
        )),
    }
}

pub fn render(state: &State, device: &DeviceWait, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let title = format!("Device code · {}", truncated(&device.flow.app_name, 30));
    let Some(code) = &device.code else {
        let lines = vec![
            poll_line(state, &device.status, theme),
            Line::default(),
            keys(
                &[(
                    key(state, Context::FlowDevice, Action::Back, "Esc"),
                    "cancel",
                )],
                theme,
            ),
        ];
        boxed(
            area,
            &title,
            lines,
            area.width.saturating_sub(4).min(60),
            theme,
            buf,
        );
        return;
    };
    let qr_target = code.verification_uri_complete.as_deref();
    let qr_size = qr_target.and_then(qr::size);
    const MIN_TEXT: u16 = 44;
    // The QR code goes to the right of the text, when the terminal has room for both.
    let with_qr =
        qr_size.filter(|(w, h)| MIN_TEXT + w + 6 <= area.width && h + 2 <= area.height && *h <= 30);
    let text_w = match with_qr {
        Some((qr_w, _)) => area.width.saturating_sub(qr_w + 6).clamp(MIN_TEXT, 56),
        None => MIN_TEXT,
    };
    let text_cols = usize::from(text_w.saturating_sub(2));
    let mut lines = vec![Line::from("On any device with a browser, open")];
    for row in hard_wrap(&safe(&code.verification_uri), text_cols) {
        lines.push(Line::from(Span::styled(row, theme.key)));
    }
    lines.push(Line::from("and enter the code"));
    lines.push(Line::default());
    let spaced: String = code
        .user_code
        .chars()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(" ");
    lines.push(Line::from(Span::styled(
        format!("   {}   ", safe(&spaced)),
        theme.focus.add_modifier(Modifier::BOLD),
    )));
    lines.push(Line::default());
    if let Some(complete) = qr_target {
        lines.push(Line::from(if with_qr.is_some() {
            "or scan the code, or open (y copies):"
        } else {
            "or open (y copies):"
        }));
        for row in hard_wrap(&safe(complete), text_cols) {
            lines.push(Line::from(Span::styled(row, theme.dim)));
        }
        lines.push(Line::default());
    }
    lines.push(poll_line(state, &device.status, theme));
    lines.push(if code.expires_at > state.now {
        Line::from(vec![
            Span::styled("Code expires in ", theme.dim),
            Span::styled(countdown(code.expires_at - state.now), theme.warn),
        ])
    } else {
        Line::from(Span::styled("The code has expired", theme.error))
    });
    lines.push(Line::default());
    let device = Context::FlowDevice;
    lines.push(keys(
        &[
            (
                flow_key(state, device, FlowAction::CopyUrl, "y"),
                "copy URL",
            ),
            (
                flow_key(state, device, FlowAction::CopyUserCode, "c"),
                "copy code",
            ),
            (key(state, device, Action::Back, "Esc"), "cancel"),
        ],
        theme,
    ));
    let text_h = lines.len() as u16;
    match with_qr {
        Some((qr_w, qr_h)) => {
            let inner = panel(
                area,
                &title,
                text_w + qr_w + 5,
                text_h.max(qr_h) + 2,
                theme,
                buf,
            );
            let text_area = Rect::new(inner.x, inner.y, text_w, inner.height);
            put_lines(text_area, &lines, buf);
            let qr_area = Rect::new(inner.x + text_w + 1, inner.y, qr_w, qr_h.min(inner.height));
            if let Some(target) = qr_target {
                qr::render(target, qr_area, buf);
            }
        }
        None => {
            let w = area.width.saturating_sub(4).min(text_w + 4);
            let inner = panel(area, &title, w, text_h + 2, theme, buf);
            put_lines(inner, &lines, buf);
        }
    }
}
