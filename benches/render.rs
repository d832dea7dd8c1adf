//! Frame time of the console with 100,000 apps and with 100,000 users, and bytes
//! written to the terminal per selection move and per page scroll. Run:
//! `cargo bench --bench render`. Targets: ≤ 2 ms per frame, ≤ 250 B per selection move.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use oauth_console::domain::{AppUsage, ClientApp, ListedApp, Platform, Scope, UserSummary};
use oauth_console::tui::{Action, Command, State, Tab, render, start, update};
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
const USERS: usize = 100_000;

/// The apps as the server lists them: every third never used, the rest at times
/// spread over the last weeks.
fn listed_apps() -> Vec<ListedApp> {
    apps()
        .into_iter()
        .enumerate()
        .map(|(i, app)| ListedApp {
            app,
            usage: AppUsage {
                last_issued_at: (i % 3 != 0).then(|| NOW - (i as i64 * 37) % 2_000_000),
                issued_24h: (i % 50) as u64,
            },
            active_tokens: (i % 7) as u64,
        })
        .collect()
}

fn users() -> Vec<UserSummary> {
    (0..USERS)
        .map(|i| UserSummary {
            username: format!("user{i:06}@example.com"),
            disabled: i % 40 == 0,
            created_at: NOW - 90 * 86_400,
            last_sign_in: (i % 5 != 0).then(|| NOW - (i as i64 * 61) % 5_000_000),
            active_tokens: (i % 9) as u64,
            authorised_apps: (i % 4) as u64,
        })
        .collect()
}

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
        Action::WorkerReply(load.unwrap(), WorkerReply::Apps(Ok(listed_apps()))),
    );
    println!("  load + index {APPS} apps: {:?}", started.elapsed());
    state
}

/// The console on the Users tab with `USERS` users loaded.
fn users_state(width: u16, height: u16) -> State {
    let mut state = loaded_state(width, height);
    let commands = update(&mut state, Action::GoToTab(Tab::Users));
    let load = commands.iter().find_map(|c| match c {
        Command::Worker(id, WorkerRequest::LoadUsers) => Some(*id),
        _ => None,
    });
    let started = Instant::now();
    update(
        &mut state,
        Action::WorkerReply(load.unwrap(), WorkerReply::Users(Ok(users()))),
    );
    println!("  load + index {USERS} users: {:?}", started.elapsed());
    state
}

/// Median frame time over selection moves, with a verdict against the target.
fn frames(state: &mut State, width: u16, height: u16, what: &str) {
    update(state, Action::PageDown);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut samples = Vec::new();
    for i in 0..300 {
        update(
            state,
            if i % 2 == 0 {
                Action::MoveDown
            } else {
                Action::MoveUp
            },
        );
        let started = Instant::now();
        terminal.draw(|frame| render(state, frame)).unwrap();
        samples.push(started.elapsed());
    }
    let m = median(samples);
    let verdict = if m <= Duration::from_millis(2) {
        "ok"
    } else {
        "OVER TARGET"
    };
    println!("  median frame of {what} at {width}x{height}: {m:?} ({verdict}, target ≤ 2 ms)");
}

fn users_frame_time(width: u16, height: u16) {
    let mut state = users_state(width, height);
    frames(&mut state, width, height, "the Users tab");
    let started = Instant::now();
    update(&mut state, Action::CycleSort);
    println!(
        "  re-sort {USERS} users (idle first): {:?}",
        started.elapsed()
    );
    println!(
        "  median filter keystroke over {USERS} users: {:?}",
        filter_keystrokes(&mut state, "user99")
    );
}

/// Median time of one keystroke typed into the filter, over the letters of `typed`.
fn filter_keystrokes(state: &mut State, typed: &str) -> Duration {
    let mut samples = Vec::new();
    for c in typed.chars() {
        update(state, Action::StartFilter);
        let key =
            ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Char(c));
        let started = Instant::now();
        update(state, Action::EditKey(key));
        samples.push(started.elapsed());
    }
    median(samples)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn frame_time(width: u16, height: u16) {
    let mut state = loaded_state(width, height);
    frames(&mut state, width, height, "the Client apps tab");
    println!(
        "  median filter keystroke over {APPS} apps: {:?}",
        filter_keystrokes(&mut state, "App 99")
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
    println!("render bench, {APPS} apps, {USERS} users");
    frame_time(80, 24);
    frame_time(120, 36);
    users_frame_time(80, 24);
    users_frame_time(120, 36);
    bytes_for(Action::MoveDown, "one selection move");
    bytes_for(Action::PageDown, "one page scroll");
}
