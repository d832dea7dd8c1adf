//! Frame time of the console with 100,000 apps, and bytes written to the terminal per
//! selection move and per page scroll. Run: `cargo bench --bench render`.
//! Targets: ≤ 2 ms per frame, ≤ 250 B per selection move.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use oauth_console::domain::{ClientApp, Platform, Scope};
use oauth_console::tui::{Action, Command, State, render, start, update};
use oauth_console::worker::{WorkerReply, WorkerRequest};
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// A terminal's output, counted: the backend writes here, the bench reads the count.
#[derive(Clone, Default)]
struct Output(Rc<RefCell<Vec<u8>>>);

impl Write for Output {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const NOW: i64 = 1_795_867_200;
const APPS: usize = 100_000;

fn apps() -> Vec<ClientApp> {
    (0..APPS)
        .map(|i| {
            let platform = Platform::ALL[i % 4];
            ClientApp {
                client_id: format!("oc_{i:040}"),
                name: format!("App number {i}"),
                platform,
                redirect_urls: Vec::new(),
                scopes: vec![Scope::Monitoring, Scope::Management],
                grant_types: oauth_console::domain::rules::allowed_grants(platform).to_vec(),
                secret_hash: None,
                previous_secret_hash: None,
                previous_secret_expires_at: None,
                created_at: NOW - (i as i64) * 60,
                updated_at: NOW,
                access_token_ttl: None,
                refresh_token_ttl: None,
            }
        })
        .collect()
}

fn loaded_state(width: u16, height: u16) -> State {
    let mut state = State::new("embedded · http://127.0.0.1:41823", NOW, false);
    update(&mut state, Action::Resize { width, height });
    let commands = start(&mut state);
    let load = commands.iter().find_map(|c| match c {
        Command::Worker(id, WorkerRequest::LoadApps) => Some(*id),
        _ => None,
    });
    let started = Instant::now();
    update(
        &mut state,
        Action::WorkerReply(load.unwrap(), WorkerReply::Apps(Ok(apps()))),
    );
    println!("  load + index {APPS} apps: {:?}", started.elapsed());
    state
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn frame_time(width: u16, height: u16) {
    let mut state = loaded_state(width, height);
    update(&mut state, Action::PageDown);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut samples = Vec::new();
    for i in 0..300 {
        // Alternate the selection so that every frame has something to redraw.
        update(
            &mut state,
            if i % 2 == 0 {
                Action::MoveDown
            } else {
                Action::MoveUp
            },
        );
        let started = Instant::now();
        terminal.draw(|frame| render(&state, frame)).unwrap();
        samples.push(started.elapsed());
    }
    let m = median(samples);
    let verdict = if m <= Duration::from_millis(2) {
        "ok"
    } else {
        "OVER TARGET"
    };
    println!("  median frame at {width}x{height}: {m:?} ({verdict}, target ≤ 2 ms)");

    let mut samples = Vec::new();
    for c in ['A', 'p', 'p', ' ', '9', '9'] {
        update(&mut state, Action::StartFilter);
        let key =
            ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Char(c));
        let started = Instant::now();
        update(&mut state, Action::EditKey(key));
        samples.push(started.elapsed());
    }
    println!(
        "  median filter keystroke over {APPS} apps: {:?}",
        median(samples)
    );
}

/// Bytes the terminal receives for `action`, after one full draw.
fn bytes_for(action: Action, what: &str) {
    let (width, height) = (80, 24);
    let mut state = loaded_state(width, height);
    update(&mut state, Action::MoveDown);
    let output = Output::default();
    let backend = CrosstermBackend::new(output.clone());
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
    };
    let mut terminal = Terminal::with_options(backend, options).unwrap();
    terminal.draw(|frame| render(&state, frame)).unwrap();
    let full = output.0.borrow().len();
    output.0.borrow_mut().clear();
    update(&mut state, action);
    terminal.draw(|frame| render(&state, frame)).unwrap();
    let bytes = output.0.borrow().len();
    println!("  {what} at {width}x{height}: {bytes} B (first full frame {full} B)");
    if std::env::var_os("RENDER_BENCH_DUMP").is_some() {
        println!("{:?}", String::from_utf8_lossy(&output.0.borrow()));
    }
}

fn main() {
    println!("render bench, {APPS} apps");
    frame_time(80, 24);
    frame_time(120, 36);
    bytes_for(Action::MoveDown, "one selection move");
    bytes_for(Action::PageDown, "one page scroll");
}
