//! `cargo run --example screenshots`: pictures of the console for the README and for
//! review. Each screen is reached the way a user reaches it — actions through the
//! console's own `update`, requests answered from realistic fixtures as the server
//! would — then drawn by the real `render` on a 120×36 `TestBackend` and written to
//! `screenshots/` as SVG (and PNG, when `rsvg-convert` is installed).

mod fixtures;
mod people;
mod svg;

use oauth_console::tui::{Action, Command, State, Tab, render, start, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const WIDTH: u16 = 120;
const HEIGHT: u16 = 36;

/// The console, driven like the event loop drives it, with fixtures for a server.
struct Console {
    state: State,
    server: fixtures::Server,
}

impl Console {
    fn new() -> Console {
        let mut console = Console {
            state: State::new("embedded · http://127.0.0.1:41823", fixtures::NOW, false),
            server: fixtures::Server::new(),
        };
        console.act(Action::Resize {
            width: WIDTH,
            height: HEIGHT,
        });
        let first = start(&mut console.state);
        console.run(first);
        console
    }

    fn act(&mut self, action: Action) {
        let commands = update(&mut self.state, action);
        self.run(commands);
    }

    /// Answers worker requests at once, and copies as if over SSH.
    fn run(&mut self, commands: Vec<Command>) {
        for command in commands {
            match command {
                Command::Worker(id, request) => {
                    if let Some(reply) = self.server.answer(id, request) {
                        self.act(Action::WorkerReply(id, reply));
                    }
                }
                Command::CopyToClipboard { what, .. } => {
                    self.act(Action::Clipboard(oauth_console::tui::ClipboardOutcome {
                        what,
                        result: Ok("OSC 52 · SSH".into()),
                    }));
                }
                // Screenshots open no browser.
                Command::OpenBrowser { .. } | Command::Suspend | Command::Quit => {}
            }
        }
    }

    fn key(&mut self, code: KeyCode) {
        let key = KeyEvent::new(code, KeyModifiers::NONE);
        if let Some(action) = oauth_console::tui::keymap::action_for_key(&self.state, &key) {
            self.act(action);
        }
    }

    fn keys(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    fn picture(&self, name: &str, out: &Path) -> Result<PathBuf, String> {
        let mut terminal =
            Terminal::new(TestBackend::new(WIDTH, HEIGHT)).map_err(|e| e.to_string())?;
        terminal
            .draw(|frame| render(&self.state, frame))
            .map_err(|e| e.to_string())?;
        let path = out.join(format!("{name}.svg"));
        std::fs::write(&path, svg::buffer_to_svg(terminal.backend().buffer()))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(path)
    }
}

fn main() -> ExitCode {
    match take_screenshots() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("screenshots: {e}");
            ExitCode::FAILURE
        }
    }
}

fn take_screenshots() -> Result<(), String> {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut pictures = Vec::new();

    // 1: the apps, the second one selected, its row actions showing.
    let mut console = Console::new();
    console.key(KeyCode::Down);
    pictures.push(console.picture("01-client-apps", &out)?);

    // A copy of the selected client ID: the toast says which way it went.
    console.keys("y");
    pictures.push(console.picture("02-client-id-copied", &out)?);

    // 2: which app may use which scope and grant.
    let mut console = Console::new();
    console.act(Action::GoToTab(Tab::ScopesAndGrants));
    console.key(KeyCode::Down);
    console.key(KeyCode::Right);
    pictures.push(console.picture("03-scopes-and-grants", &out)?);

    // 3: the tokens issued, with expired and revoked ones.
    let mut console = Console::new();
    console.act(Action::GoToTab(Tab::ActiveTokens));
    console.key(KeyCode::Down);
    pictures.push(console.picture("04-active-tokens", &out)?);

    // The form for a new web app, half filled in, a rule broken.
    let mut console = Console::new();
    console.keys("n");
    console.keys("Ticketing bridge");
    console.key(KeyCode::Tab);
    console.key(KeyCode::Tab);
    console.key(KeyCode::Enter);
    // The field starts as "https://"; a plain-http URL off loopback breaks a rule.
    for _ in 0.."https://".len() {
        console.key(KeyCode::Backspace);
    }
    console.keys("http://tickets.example.com/oauth/callback");
    console.act(Action::FormSave);
    pictures.push(console.picture("05-new-app-form", &out)?);

    // Saved: the new app's secret, shown this once.
    let mut console = Console::new();
    console.keys("n");
    console.keys("Ticketing bridge");
    console.key(KeyCode::Tab);
    console.key(KeyCode::Tab);
    console.key(KeyCode::Enter);
    console.keys("tickets.example.com/oauth/callback");
    console.act(Action::FormSave);
    pictures.push(console.picture("06-new-app-secret", &out)?);

    // A new secret, shown this once, after a confirmed rotation.
    let mut console = Console::new();
    console.key(KeyCode::Down);
    console.key(KeyCode::Down);
    console.key(KeyCode::Down);
    console.key(KeyCode::Down);
    console.key(KeyCode::Down);
    console.keys("S");
    pictures.push(console.picture("07-confirm-rotate-secret", &out)?);
    console.key(KeyCode::Enter);
    pictures.push(console.picture("08-rotated-secret", &out)?);

    // A destructive action asks first.
    let mut console = Console::new();
    console.key(KeyCode::Down);
    console.keys("d");
    pictures.push(console.picture("09-confirm-delete", &out)?);

    // Every field of one app, with its count of active tokens.
    let mut console = Console::new();
    for _ in 0..6 {
        console.key(KeyCode::Down);
    }
    console.key(KeyCode::Enter);
    pictures.push(console.picture("10-app-details", &out)?);

    // The help, generated from the keymap.
    let mut console = Console::new();
    console.keys("?");
    pictures.push(console.picture("11-help", &out)?);

    // NO_COLOR: modifiers only.
    let mut console = Console::new();
    console.state.monochrome = true;
    console.key(KeyCode::Down);
    pictures.push(console.picture("12-client-apps-no-color", &out)?);

    // 4: the audit log, who changed what.
    let mut console = Console::new();
    console.act(Action::GoToTab(Tab::AuditLog));
    pictures.push(console.picture("13-audit-log", &out)?);

    // `:` the command palette, filtered as you type.
    let mut console = Console::new();
    console.keys(":rot");
    pictures.push(console.picture("14-command-palette", &out)?);

    // `t` on an API services app: client credentials, the secret typed masked.
    let mut console = Console::new();
    console.key(KeyCode::Down);
    console.keys("t");
    console.key(KeyCode::Enter);
    console.keys("ocs_example_secret");
    pictures.push(console.picture("15-get-token", &out)?);

    // The device flow of a Native app: the code to type, and a QR code of the link.
    let mut console = Console::new();
    for _ in 0..2 {
        console.key(KeyCode::Down);
    }
    console.keys("t");
    console.key(KeyCode::Right);
    console.key(KeyCode::Enter);
    pictures.push(console.picture("16-device-code", &out)?);

    // Taking Control away from an app whose tokens carry it: counted, then asked.
    let mut console = Console::new();
    console.act(Action::GoToTab(Tab::ScopesAndGrants));
    for _ in 0..console.state.apps.apps.len() {
        let selected = console.state.apps.row(console.state.matrix.cursor.selected);
        if selected.is_some_and(|app| app.name == "Remote support desk") {
            break;
        }
        console.key(KeyCode::Down);
    }
    console.key(KeyCode::Right);
    console.key(KeyCode::Right);
    console.key(KeyCode::Char(' '));
    pictures.push(console.picture("17-confirm-take-access-away", &out)?);

    // 5: the people who sign in, and what they may do.
    let mut console = Console::new();
    console.act(Action::GoToTab(Tab::Users));
    console.key(KeyCode::Down);
    pictures.push(console.picture("18-users", &out)?);

    // One user's authorised apps, each revocable.
    let mut console = Console::new();
    console.act(Action::GoToTab(Tab::Users));
    console.key(KeyCode::Enter);
    pictures.push(console.picture("19-user-details", &out)?);

    // An app's details with its last day of tokens, hour by hour.
    let mut console = Console::new();
    console.key(KeyCode::Down);
    console.key(KeyCode::Enter);
    pictures.push(console.picture("20-app-details-usage", &out)?);

    for svg in &pictures {
        println!("{}", svg.display());
        write_png(svg);
    }
    Ok(())
}

/// A PNG beside the SVG, for viewers that do not read SVG; skipped quietly when
/// `rsvg-convert` (librsvg2-bin) is not installed.
fn write_png(svg: &Path) {
    let png = svg.with_extension("png");
    match std::process::Command::new("rsvg-convert")
        .arg(svg)
        .arg("-o")
        .arg(&png)
        .status()
    {
        Ok(status) if status.success() => println!("{}", png.display()),
        Ok(status) => eprintln!("rsvg-convert failed on {}: {status}", svg.display()),
        Err(_) => {}
    }
}
