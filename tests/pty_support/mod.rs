//! The real `oauth-console` binary in a pseudo-terminal, read through a terminal
//! emulator (vt100) as a user would see it, with the raw bytes kept to check what
//! reached the terminal (OSC 52 copies, escape sequences, the restore on quit).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use expectrl::Session;
use expectrl::session::OsSession;
use std::io::{ErrorKind, Write};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_oauth-console");
pub const ROWS: u16 = 36;
pub const COLS: u16 = 120;
pub const WAIT: Duration = Duration::from_secs(20);

/// The console running in a pseudo-terminal, and everything it wrote so far.
pub struct Console {
    pub session: OsSession,
    pub raw: Vec<u8>,
    pub screen: vt100::Parser,
    pub exited: bool,
}

impl Console {
    /// Starts bare `oauth-console` on `data_dir`, as if over SSH (so copies use OSC 52)
    /// and outside tmux.
    pub fn start(data_dir: &Path) -> Console {
        Console::start_with_args(data_dir, &[])
    }

    /// `oauth-console ARGS…` on `data_dir` in the same terminal: a subcommand as a user
    /// types it (its prompts, its tables).
    pub fn start_with_args(data_dir: &Path, args: &[&str]) -> Console {
        // The size is set before exec, so the first frame is drawn at 120×36.
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!(
                "stty rows {ROWS} cols {COLS} && exec \"$0\" \"$@\""
            ))
            .arg(BIN)
            .args(args)
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
    pub fn pump(&mut self) -> bool {
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

    pub fn screen_text(&self) -> String {
        self.screen.screen().contents()
    }

    /// Waits until the screen shows `text`; fails with the screen as it is.
    pub fn wait_for(&mut self, text: &str) {
        self.wait_until(&format!("the screen to show {text:?}"), |screen| {
            screen.contains(text)
        });
    }

    pub fn wait_until(&mut self, what: &str, done: impl Fn(&str) -> bool) {
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

    /// Sends keys as a terminal would. It does not wait: the console reads its input in
    /// order, so what a test needs to see it waits for with `wait_for`/`wait_until`.
    /// One thing does need a wait: a lone Esc followed at once by another key reads as
    /// Alt+key, so after sending Esc wait for what it does before the next key.
    pub fn send(&mut self, keys: &str) {
        self.session.write_all(keys.as_bytes()).unwrap();
        self.session.flush().unwrap();
        self.pump();
    }

    /// Types text one key at a time, like a person.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.send(&c.to_string());
        }
    }

    /// Waits for the console to exit and returns everything it wrote.
    pub fn wait_for_exit(&mut self) -> Vec<u8> {
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
pub fn cli(data_dir: &Path, args: &[&str]) -> String {
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
pub fn client_ids(json: &serde_json::Value) -> Vec<String> {
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

pub fn apps_json(data_dir: &Path) -> serde_json::Value {
    serde_json::from_str(&cli(data_dir, &["apps", "list", "--json"])).unwrap()
}

/// The texts of every OSC 52 copy in `raw`, terminated by BEL or ST.
pub fn osc52_copies(raw: &[u8]) -> Vec<String> {
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

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
