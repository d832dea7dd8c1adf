//! The real `oauth-console` binary in a pseudo-terminal, on its embedded server and a
//! throwaway data dir. What it draws is fed to a terminal emulator (vt100) to read the
//! screen as a user would see it; the raw bytes are kept to check what reached the
//! terminal (OSC 52, escape sequences, the restore on quit).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use expectrl::Session;
use expectrl::session::OsSession;
use std::io::{ErrorKind, Write};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_oauth-console");
const ROWS: u16 = 36;
const COLS: u16 = 120;
const WAIT: Duration = Duration::from_secs(20);

/// The console running in a pseudo-terminal, and everything it wrote so far.
struct Console {
    session: OsSession,
    raw: Vec<u8>,
    screen: vt100::Parser,
    exited: bool,
}

impl Console {
    /// Starts bare `oauth-console` on `data_dir`, as if over SSH (so copies use OSC 52)
    /// and outside tmux.
    fn start(data_dir: &Path) -> Console {
        // The size is set before exec, so the first frame is drawn at 120×36.
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!("stty rows {ROWS} cols {COLS} && exec \"$0\""))
            .arg(BIN)
            .env("OAUTH_CONSOLE_DATA_DIR", data_dir)
            .env("XDG_CONFIG_HOME", data_dir.join("config"))
            .env("SSH_CONNECTION", "192.0.2.10 50022 192.0.2.1 22")
            .env("TERM", "xterm-256color")
            .env_remove("TMUX")
            .env_remove("NO_COLOR")
            .env_remove("OAUTH_CONSOLE_ADMIN_KEY")
            .env_remove("RUST_LOG");
        let session = Session::spawn(command).expect("start oauth-console in a pty");
        Console {
            session,
            raw: Vec::new(),
            screen: vt100::Parser::new(ROWS.try_into().unwrap(), COLS.try_into().unwrap(), 0),
            exited: false,
        }
    }

    /// Reads whatever the console has written. Returns false once it has exited.
    fn pump(&mut self) -> bool {
        let mut buf = [0u8; 8192];
        loop {
            match self.session.try_read(&mut buf) {
                Ok(0) => {
                    self.exited = true;
                    return false;
                }
                Ok(n) => {
                    self.raw.extend_from_slice(&buf[..n]);
                    self.screen.process(&buf[..n]);
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => return true,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                // Linux answers EIO on the master side once the child has gone.
                Err(_) => {
                    self.exited = true;
                    return false;
                }
            }
        }
    }

    fn screen_text(&self) -> String {
        self.screen.screen().contents()
    }

    /// Waits until the screen shows `text`; fails with the screen as it is.
    fn wait_for(&mut self, text: &str) {
        self.wait_until(&format!("the screen to show {text:?}"), |screen| {
            screen.contains(text)
        });
    }

    fn wait_until(&mut self, what: &str, done: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + WAIT;
        loop {
            let alive = self.pump();
            if done(&self.screen_text()) {
                return;
            }
            assert!(
                alive && Instant::now() < deadline,
                "gave up waiting for {what}; the console {}; screen:\n{}",
                if alive { "is still running" } else { "exited" },
                self.screen_text()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Sends keys as a terminal would, and lets the console take them one batch at a
    /// time.
    fn send(&mut self, keys: &str) {
        self.session.write_all(keys.as_bytes()).unwrap();
        self.session.flush().unwrap();
        std::thread::sleep(Duration::from_millis(80));
        self.pump();
    }

    /// Types text one key at a time, like a person.
    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.send(&c.to_string());
        }
    }

    /// Waits for the console to exit and returns everything it wrote.
    fn wait_for_exit(&mut self) -> Vec<u8> {
        let deadline = Instant::now() + WAIT;
        while self.pump() {
            assert!(
                Instant::now() < deadline,
                "the console did not exit; screen:\n{}",
                self.screen_text()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
        self.raw.clone()
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        if !self.exited {
            let _ = self.session.get_process_mut().exit(true);
        }
    }
}

/// Runs a subcommand on the same data dir and returns its standard output.
fn cli(data_dir: &Path, args: &[&str]) -> String {
    let output = Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("OAUTH_CONSOLE_ADMIN_KEY")
        .output()
        .expect("run oauth-console");
    assert!(
        output.status.success(),
        "oauth-console {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Every `client_id` in a JSON document, wherever it sits.
fn client_ids(json: &serde_json::Value) -> Vec<String> {
    match json {
        serde_json::Value::Object(map) => map
            .iter()
            .flat_map(|(key, value)| match (key.as_str(), value) {
                ("client_id", serde_json::Value::String(id)) => vec![id.clone()],
                _ => client_ids(value),
            })
            .collect(),
        serde_json::Value::Array(items) => items.iter().flat_map(client_ids).collect(),
        _ => Vec::new(),
    }
}

fn apps_json(data_dir: &Path) -> serde_json::Value {
    serde_json::from_str(&cli(data_dir, &["apps", "list", "--json"])).unwrap()
}

/// The texts of every OSC 52 copy in `raw`, terminated by BEL or ST.
fn osc52_copies(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw);
    let mut copies = Vec::new();
    let mut rest = text.as_ref();
    while let Some(start) = rest.find("\x1b]52;") {
        let after = &rest[start + "\x1b]52;".len()..];
        let Some(semicolon) = after.find(';') else {
            break;
        };
        let payload = &after[semicolon + 1..];
        let end = payload
            .find(['\x07', '\x1b'])
            .expect("an OSC 52 sequence is terminated");
        let decoded = BASE64
            .decode(&payload[..end])
            .expect("OSC 52 payload is base64");
        copies.push(String::from_utf8(decoded).unwrap());
        rest = &payload[end..];
    }
    copies
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn an_app_created_in_the_form_has_its_client_id_copied_with_y() {
    let dir = TempDir::new().unwrap();
    let mut console = Console::start(dir.path());
    console.wait_for("Client apps");

    console.send("n");
    console.wait_for("Name");
    console.type_text("PTY test app");
    // Platform: one step right and back, to land on Web (confidential: has a secret).
    console.send("\t");
    console.send("\x1b[C");
    console.send("\x1b[D");
    console.wait_for("Web");
    // Redirect URL: "Add URL" opens a field that starts with https://.
    console.send("\t");
    console.send("\r");
    console.type_text("app.example.com/callback");
    // Past "Add URL" to the scopes: monitoring is ticked already; tick management too.
    console.send("\t");
    console.send("\t");
    console.send("\t");
    console.send(" ");
    console.send("\x13"); // Ctrl-S saves.
    console.wait_for("will not be shown again");

    console.send("\x1b"); // Esc dismisses the secret modal.
    console.wait_until("the secret modal to close", |screen| {
        !screen.contains("will not be shown again") && screen.contains("PTY test app")
    });
    // The only app is selected: copy its ID.
    console.send("y");
    console.wait_for("copied");
    console.send("q");
    let raw = console.wait_for_exit();

    let ids = client_ids(&apps_json(dir.path()));
    assert_eq!(ids.len(), 1, "one app was created: {ids:?}");
    let copies = osc52_copies(&raw);
    assert!(
        copies.contains(&ids[0]),
        "the OSC 52 copies {copies:?} hold the client ID {}",
        ids[0]
    );
}

#[test]
fn escape_sequences_in_an_app_name_are_shown_visibly_and_never_reach_the_terminal() {
    let dir = TempDir::new().unwrap();
    let evil = "\x1b]0;x\x07evil\x1b[31m";
    cli(
        dir.path(),
        &[
            "apps",
            "create",
            "--name",
            evil,
            "--platform",
            "api-services",
            "--scope",
            "monitoring",
            "--json",
        ],
    );
    assert_eq!(client_ids(&apps_json(dir.path())).len(), 1);

    let mut console = Console::start(dir.path());
    console.wait_for("^[]0;x^Gevil^[[31m");
    console.send("q");
    let raw = console.wait_for_exit();

    assert!(
        !contains(&raw, b"\x1b]0;x"),
        "the title-setting escape reached the terminal"
    );
    assert!(
        !contains(&raw, b"evil\x1b[31m"),
        "the colour escape reached the terminal"
    );
}

#[test]
fn quitting_with_q_restores_the_terminal() {
    let dir = TempDir::new().unwrap();
    let mut console = Console::start(dir.path());
    console.wait_for("Client apps");
    let before_quit = console.raw.len();
    // The console switched these on: alternate screen, bracketed paste, mouse capture.
    assert!(contains(&console.raw, b"\x1b[?1049h"));
    assert!(contains(&console.raw, b"\x1b[?2004h"));
    assert!(contains(&console.raw, b"\x1b[?1000h"));

    console.send("q");
    let raw = console.wait_for_exit();
    let tail = &raw[before_quit..];
    for (sequence, what) in [
        (&b"\x1b[?1049l"[..], "leave the alternate screen"),
        (&b"\x1b[?1000l"[..], "stop mouse capture"),
        (&b"\x1b[?1006l"[..], "stop SGR mouse reports"),
        (&b"\x1b[?2004l"[..], "stop bracketed paste"),
        (&b"\x1b[?25h"[..], "show the cursor"),
    ] {
        assert!(
            contains(tail, sequence),
            "after q the console must {what}; it wrote {:?}",
            String::from_utf8_lossy(tail)
        );
    }
    // Back on the normal screen, nothing of the console is left drawn.
    assert!(!console.screen.screen().alternate_screen());
}

#[test]
fn sigterm_ends_the_console_and_restores_the_terminal() {
    let dir = TempDir::new().unwrap();
    let mut console = Console::start(dir.path());
    console.wait_for("Client apps");
    let before = console.raw.len();
    console
        .session
        .get_process_mut()
        .signal(expectrl::process::unix::Signal::SIGTERM)
        .unwrap();
    let raw = console.wait_for_exit();
    let tail = &raw[before..];
    assert!(contains(tail, b"\x1b[?1049l"), "left the alternate screen");
    assert!(contains(tail, b"\x1b[?1000l"), "stopped mouse capture");
    assert!(contains(tail, b"\x1b[?2004l"), "stopped bracketed paste");
}

#[test]
fn without_a_terminal_the_console_says_so_in_one_line() {
    let dir = TempDir::new().unwrap();
    let output = Command::new(BIN)
        .env("OAUTH_CONSOLE_DATA_DIR", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("terminal"), "stderr: {stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "stderr: {stderr}");
    assert!(
        !contains(&output.stdout, b"\x1b["),
        "no escape sequences are written without a terminal"
    );
}

/// Run only by `a_panic_restores_the_terminal_before_the_message_is_printed`, in a
/// pseudo-terminal: takes the terminal as the console does, then panics.
#[test]
#[ignore = "a helper: run in a pseudo-terminal by the test below"]
fn panicking_console() {
    let _guard = oauth_console::tui::terminal::TerminalGuard::enter(
        oauth_console::tui::terminal::TerminalOptions { mouse: true },
    )
    .unwrap();
    panic!("deliberate panic with the terminal taken");
}

/// Run only by `a_panic_on_a_background_thread_leaves_the_console_running`: a thread
/// other than the console's panics, and the console goes on.
#[test]
#[ignore = "a helper: run in a pseudo-terminal by the test below"]
fn console_with_a_panicking_background_thread() {
    let _guard = oauth_console::tui::terminal::TerminalGuard::enter(
        oauth_console::tui::terminal::TerminalOptions { mouse: true },
    )
    .unwrap();
    let background = std::thread::spawn(|| panic!("deliberate background panic"));
    assert!(background.join().is_err());
    print!("console still running");
    std::io::stdout().flush().unwrap();
}

/// Runs one of the helper tests above in a pseudo-terminal until it ends.
fn run_helper_in_pty(name: &str) -> (String, Console) {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args([
        name,
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]);
    let mut console = Console {
        session: Session::spawn(command).unwrap(),
        raw: Vec::new(),
        screen: vt100::Parser::new(ROWS.try_into().unwrap(), COLS.try_into().unwrap(), 0),
        exited: false,
    };
    let raw = String::from_utf8_lossy(&console.wait_for_exit()).into_owned();
    (raw, console)
}

#[test]
fn a_panic_on_a_background_thread_leaves_the_console_running() {
    let (raw, _) = run_helper_in_pty("console_with_a_panicking_background_thread");
    let entered = raw.find("\x1b[?1049h").expect("the terminal was taken");
    let still = raw
        .find("console still running")
        .unwrap_or_else(|| panic!("the console went on: {raw:?}"));
    assert!(raw.contains("deliberate background panic"));
    assert!(
        !raw[entered..still].contains("\x1b[?1049l"),
        "a background panic must not leave the alternate screen: {raw:?}"
    );
    assert!(
        raw[still..].contains("\x1b[?1049l"),
        "the console restores when it ends: {raw:?}"
    );
}

#[test]
fn a_panic_restores_the_terminal_before_the_message_is_printed() {
    let (raw, console) = run_helper_in_pty("panicking_console");
    let entered = raw.find("\x1b[?1049h").expect("the terminal was taken");
    let message = raw
        .find("deliberate panic")
        .unwrap_or_else(|| panic!("the panic message was printed: {raw:?}"));
    let restored = |sequence: &str| raw[entered..message].contains(sequence);
    assert!(restored("\x1b[?1049l"), "alternate screen left: {raw:?}");
    assert!(restored("\x1b[?1000l"), "mouse capture off: {raw:?}");
    assert!(restored("\x1b[?2004l"), "bracketed paste off: {raw:?}");
    assert!(!console.screen.screen().alternate_screen());
}

#[test]
fn clicking_a_tab_with_the_mouse_opens_it() {
    let dir = TempDir::new().unwrap();
    let mut console = Console::start(dir.path());
    console.wait_for("3 Active tokens");
    // The tabs share the header line on wide terminals and get their own below it
    // on narrower ones: find the line they are on.
    let screen = console.screen_text();
    let (index, tabs) = screen
        .lines()
        .enumerate()
        .find(|(_, line)| line.contains("3 Active tokens"))
        .unwrap();
    let at = tabs.find("3 Active tokens").unwrap();
    let column = tabs[..at].chars().count() + 3;
    let row = index + 1;
    // An SGR mouse report, as a terminal sends it: press, then release (1-based).
    console.send(&format!("\x1b[<0;{column};{row}M\x1b[<0;{column};{row}m"));
    console.wait_for("Expires in");
}

#[test]
fn a_bracketed_paste_goes_into_the_focused_field_as_text() {
    let dir = TempDir::new().unwrap();
    let mut console = Console::start(dir.path());
    console.wait_for("Client apps");
    console.send("n");
    console.wait_for("New client app");
    // Keys inside a paste are text: "q" must not quit, "n" must not open anything.
    console.send("\x1b[200~Quarterly numbers\x1b[201~");
    console.wait_for("Quarterly numbers");
    assert!(!console.exited);
    console.send("\x03"); // Ctrl-C quits from anywhere.
    console.wait_for_exit();
}
