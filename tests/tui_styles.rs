//! The console's key screens with their colours: the text snapshots hold characters
//! only, so a wrong colour (the device code once drawn cyan on cyan) changed none of
//! them. Here each screen is serialised as runs of styled text (foreground, background,
//! modifiers), and every key screen is checked for text drawn in its own background.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use oauth_console::api::ApiError;
use oauth_console::api::flows::DevicePollEvent;
use oauth_console::tui::{Action, ClipboardOutcome};
use oauth_console::worker::{WorkerReply, WorkerRequest};
use ratatui::buffer::{Buffer, Cell};
use ratatui::style::Color;
use std::fmt::Write;
use std::time::Duration;

mod tui_support;
use tui_support::*;

mod operator_console;

const WIDTH: u16 = 80;
const HEIGHT: u16 = 24;

/// How a cell is drawn, or `None` for the terminal's own colours without emphasis.
fn style_of(cell: &Cell) -> Option<String> {
    let mut parts = Vec::new();
    if cell.fg != Color::Reset {
        parts.push(format!("{:?}", cell.fg));
    }
    if cell.bg != Color::Reset {
        parts.push(format!("on {:?}", cell.bg));
    }
    if !cell.modifier.is_empty() {
        parts.push(format!("{:?}", cell.modifier));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// Every run of styled text, one line per screen row: `col[style]"text"`, runs apart
/// by two spaces. Text in the terminal's own colours is left out, so the map says only
/// what was given a colour or emphasis; rows alike in a block (a box's sides) are
/// written once, as `from-to`.
fn style_runs(buffer: &Buffer) -> String {
    let rows: Vec<String> = (0..buffer.area.height)
        .map(|y| {
            let mut runs = Vec::new();
            let mut x = 0;
            while x < buffer.area.width {
                let style = style_of(&buffer[(x, y)]);
                let start = x;
                let mut text = String::new();
                while x < buffer.area.width && style_of(&buffer[(x, y)]) == style {
                    text.push_str(buffer[(x, y)].symbol());
                    x += 1;
                }
                if let Some(style) = style {
                    runs.push(format!("{start}[{style}]{text:?}"));
                }
            }
            runs.join("  ")
        })
        .collect();
    let mut out = String::new();
    let mut y = 0;
    while y < rows.len() {
        let mut last = y;
        while last + 1 < rows.len() && rows[last + 1] == rows[y] {
            last += 1;
        }
        let at = if last > y {
            format!("{y:02}-{last:02}")
        } else {
            format!("{y:02}   ")
        };
        if !rows[y].is_empty() {
            writeln!(out, "{at} {}", rows[y]).unwrap();
        }
        y = last + 1;
    }
    out
}

/// Visible characters drawn in their own background colour: unreadable.
fn unreadable(buffer: &Buffer) -> Vec<String> {
    let mut found = Vec::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            let visible = !cell.symbol().trim().is_empty();
            if visible && cell.fg != Color::Reset && cell.fg == cell.bg {
                found.push(format!("{:?} at {x},{y} ({:?})", cell.symbol(), cell.fg));
            }
        }
    }
    found
}

/// The cells of the first place `text` shows on the screen.
fn cells_of<'b>(buffer: &'b Buffer, text: &str) -> Vec<&'b Cell> {
    for y in 0..buffer.area.height {
        let symbols: Vec<&str> = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect();
        let line: String = symbols.concat();
        if let Some(byte) = line.find(text) {
            // Column of the match: count the symbols before it.
            let mut column = 0;
            let mut seen = 0;
            while seen < byte {
                seen += symbols[column].len();
                column += 1;
            }
            let width = text.chars().count();
            return (column..column + width)
                .map(|x| &buffer[(u16::try_from(x).unwrap(), y)])
                .collect();
        }
    }
    panic!("{text:?} is not on the screen");
}

/// Snapshots the style map of `console`'s screen and checks it is all readable.
fn check(name: &str, buffer: &Buffer) {
    let unreadable = unreadable(buffer);
    assert!(
        unreadable.is_empty(),
        "{name}: text in its own background: {unreadable:?}"
    );
    insta::assert_snapshot!(format!("{name}_styles"), style_runs(buffer));
}

fn buffer_of(console: &Console) -> Buffer {
    console.draw().backend().buffer().clone()
}

#[test]
fn the_selected_row_is_highlighted_and_shows_its_actions() {
    let mut c = Console::with_apps(WIDTH, HEIGHT);
    c.key('j'); // Billing sync.
    let screen = buffer_of(&c);
    check("selected_row", &screen);
    let selected = cells_of(&screen, "Billing sync")[0];
    let plain = cells_of(&screen, "Legacy portal")[0];
    assert_ne!(
        style_of(selected),
        style_of(plain),
        "the selected row stands out"
    );
    let action_key = cells_of(&screen, "e Edit")[0];
    assert!(style_of(action_key).is_some(), "the action's key is marked");
}

#[test]
fn a_hovered_row_is_marked_apart_from_the_selected_one() {
    let mut c = Console::with_apps(WIDTH, HEIGHT);
    let row = c.screen_line_of("Legacy portal");
    c.act(Action::MouseMoved { column: 10, row });
    let screen = buffer_of(&c);
    check("hovered_row", &screen);
    let hovered = style_of(cells_of(&screen, "Legacy portal")[0]);
    let selected = style_of(cells_of(&screen, "Asset inventory")[0]);
    let plain = style_of(cells_of(&screen, "Billing sync")[0]);
    assert_ne!(hovered, plain, "the hovered row stands out");
    assert_ne!(hovered, selected, "and is not mistaken for the selection");
}

#[test]
fn a_success_toast_and_an_error_toast_look_different() {
    let mut ok = Console::with_apps(WIDTH, HEIGHT);
    ok.key('y');
    ok.act(Action::Clipboard(ClipboardOutcome {
        what: "Client ID".into(),
        result: Ok("OSC 52".into()),
    }));
    let ok_screen = buffer_of(&ok);
    check("toast_ok", &ok_screen);

    let mut failed = Console::with_apps(WIDTH, HEIGHT);
    failed.ctrl('r');
    failed.reply(
        |r| matches!(r, WorkerRequest::LoadApps),
        WorkerReply::Apps(Err(ApiError::Unreachable {
            url: "http://127.0.0.1:41823/".into(),
            reason: "connection refused".into(),
        })),
    );
    let failed_screen = buffer_of(&failed);
    check("toast_error", &failed_screen);

    let ok_style = style_of(cells_of(&ok_screen, "✓ Client ID copied")[0]);
    let error_style = style_of(cells_of(&failed_screen, "✗ Could not load")[0]);
    assert!(ok_style.is_some() && error_style.is_some());
    assert_ne!(ok_style, error_style, "success and failure look different");
}

#[test]
fn the_device_code_is_emphasised_and_readable() {
    let mut c = Console::with_apps(WIDTH, HEIGHT);
    c.key('t'); // Asset inventory is selected: a Native app with the device grant.
    c.key('l'); // Device code.
    c.special(ratatui::crossterm::event::KeyCode::Enter);
    let (flow_id, _) = c
        .last_request(|r| matches!(r, WorkerRequest::StartDeviceFlow { .. }))
        .expect("the device flow started");
    c.act(Action::WorkerReply(
        flow_id,
        WorkerReply::DeviceCode {
            flow_id,
            user_code: "WDJB-MJHT".into(),
            verification_uri: "http://127.0.0.1:41823/device".into(),
            verification_uri_complete: None,
            expires_at: NOW + 900,
            interval: Duration::from_secs(5),
        },
    ));
    c.act(Action::WorkerReply(
        flow_id,
        WorkerReply::DevicePolling {
            flow_id,
            event: DevicePollEvent::Pending {
                interval: Duration::from_secs(5),
            },
        },
    ));
    let screen = buffer_of(&c);
    check("device_code", &screen);
    for cell in cells_of(&screen, "W D J B - M J H T") {
        if cell.symbol() == " " {
            continue;
        }
        assert!(style_of(cell).is_some(), "the code is emphasised");
        assert_ne!(cell.fg, cell.bg, "the code is readable: {cell:?}");
    }
}

#[test]
fn read_only_hints_are_marked_and_readable() {
    let c = operator_console::Console::read_only(WIDTH, HEIGHT);
    let screen = c.draw().backend().buffer().clone();
    check("read_only", &screen);
    let badge = style_of(cells_of(&screen, "read-only")[0]);
    assert!(badge.is_some(), "the read-only badge stands out");
    let hint_key = style_of(cells_of(&screen, "y copy ID")[0]);
    assert!(hint_key.is_some(), "the hint bar marks its keys");
}
