//! Bare `oauth-console --profile NAME` in a pseudo-terminal: the console opens on the
//! profile's server and names it in the header; a bad config file stops it with one
//! line before the terminal is touched.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use expectrl::Session;
use expectrl::session::OsSession;
use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_oauth-console");
const WAIT: Duration = Duration::from_secs(20);

/// The console in a pty, with `config` as its config file; the screen as vt100 sees it.
struct Console {
    session: OsSession,
    screen: vt100::Parser,
    output: Vec<u8>,
    exited: bool,
}

impl Console {
    fn start(config: &Path, data_dir: &Path, args: &[&str]) -> Console {
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg("stty rows 36 cols 140 && exec \"$0\" \"$@\"")
            .arg(BIN)
            .args(args)
            .env("OAUTH_CONSOLE_CONFIG", config)
            .env("OAUTH_CONSOLE_DATA_DIR", data_dir)
            .env("TERM", "xterm-256color")
            .env_remove("OAUTH_CONSOLE_ADMIN_KEY")
            .env_remove("RUST_LOG");
        Console {
            session: Session::spawn(command).expect("start oauth-console in a pty"),
            screen: vt100::Parser::new(36u16.try_into().unwrap(), 140u16.try_into().unwrap(), 0),
            output: Vec::new(),
            exited: false,
        }
    }

    fn pump(&mut self) -> bool {
        let mut buf = [0u8; 8192];
        loop {
            match self.session.try_read(&mut buf) {
                Ok(0) => {
                    self.exited = true;
                    return false;
                }
                Ok(n) => {
                    self.output.extend_from_slice(&buf[..n]);
                    self.screen.process(&buf[..n]);
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => return true,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => {
                    self.exited = true;
                    return false;
                }
            }
        }
    }

    fn wait_for(&mut self, text: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let alive = self.pump();
            let screen = self.screen.screen().contents();
            if screen.contains(text) {
                return;
            }
            assert!(
                alive && Instant::now() < deadline,
                "gave up waiting for {text:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Waits for the exit; returns all that was written, as text.
    fn wait_for_exit(&mut self) -> String {
        let deadline = Instant::now() + WAIT;
        while self.pump() {
            assert!(Instant::now() < deadline, "the console did not exit");
            std::thread::sleep(Duration::from_millis(25));
        }
        String::from_utf8_lossy(&self.output).into_owned()
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        if !self.exited {
            let _ = self.session.get_process_mut().exit(true);
        }
    }
}

/// `serve` on 127.0.0.1:0; returns the process and its base URL.
fn serve(data: &Path) -> (Child, String) {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data)
        .env_remove("OAUTH_CONSOLE_CONFIG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut banner = String::new();
    while !banner.contains("admin key file") {
        banner.push_str(&lines.next().expect("a banner").unwrap());
        banner.push('\n');
    }
    std::thread::spawn(move || for _ in lines {});
    let start = banner.find("http://").unwrap();
    let url = banner[start..]
        .split([' ', ')', '\n'])
        .next()
        .unwrap()
        .to_string();
    (child, url)
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_console_opens_on_the_profiles_server_and_names_the_profile_in_the_header() {
    let server_data = TempDir::new().unwrap();
    let (child, url) = serve(server_data.path());
    let _served = Killed(child);
    // An app only the profile's server has: seeing it proves where the console went.
    let created = Command::new(BIN)
        .args(["--server", &url, "--admin-key-file"])
        .arg(server_data.path().join("admin.key"))
        .args([
            "apps",
            "create",
            "--name",
            "Only on prod",
            "--platform",
            "api-services",
            "--scope",
            "monitoring",
        ])
        .env("OAUTH_CONSOLE_CONFIG", server_data.path().join("none.toml"))
        .output()
        .unwrap();
    assert!(created.status.success());

    let scratch = TempDir::new().unwrap();
    let config = scratch.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.prod]\nserver = \"{url}\"\nadmin_key_file = \"{}\"\n",
            server_data.path().join("admin.key").display()
        ),
    )
    .unwrap();
    let mut console = Console::start(
        &config,
        &scratch.path().join("data"),
        &["--profile", "prod"],
    );
    console.wait_for("Only on prod");
    console.wait_for(&format!("[prod] {}", url.trim_end_matches('/')));
    console.session.write_all(b"q").unwrap();
    console.session.flush().unwrap();
    console.wait_for_exit();
}

#[test]
fn a_bad_config_file_stops_the_console_with_file_line_and_key() {
    let scratch = TempDir::new().unwrap();
    let config = scratch.path().join("config.toml");
    std::fs::write(&config, "mouse = \"sometimes\"\n").unwrap();
    let mut console = Console::start(&config, &scratch.path().join("data"), &[]);
    let written = console.wait_for_exit();
    assert!(written.contains("config.toml"), "{written}");
    assert!(written.contains("line 1"), "{written}");
    assert!(written.contains("mouse"), "{written}");
    // It never switched to the alternate screen: the error is all there is.
    assert!(!written.contains("\x1b[?1049h"), "{written:?}");
}

#[test]
fn the_config_file_rebinds_keys_and_turns_on_read_only_mode_in_the_console() {
    let scratch = TempDir::new().unwrap();
    let data = scratch.path().join("data");
    let config = scratch.path().join("config.toml");
    let created = Command::new(BIN)
        .arg("--data-dir")
        .arg(&data)
        .args([
            "apps",
            "create",
            "--name",
            "Billing sync",
            "--platform",
            "api-services",
        ])
        .args(["--scope", "monitoring"])
        .env("OAUTH_CONSOLE_CONFIG", &config)
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    std::fs::write(&config, "read_only = true\n[keys]\nquit = \"x\"\n").unwrap();

    let mut console = Console::start(&config, &data, &[]);
    console.wait_for("Billing sync");
    console.wait_for("read-only");
    // Writing is refused, with the reason, and nothing is sent.
    console.session.write_all(b"d").unwrap();
    console.wait_for("Read-only mode");
    // `q` is no longer bound to quit: the console still answers the key after it
    // (input is read in order, so had `q` quit, the help would never show).
    console.session.write_all(b"q?").unwrap();
    console.wait_for("Keys — ? or Esc closes");
    assert!(
        console.pump(),
        "q still quit the console after quit was rebound to x"
    );
    // `?` closes the help again, then `x` quits.
    console.session.write_all(b"?x").unwrap();
    console.wait_for_exit();
}

#[test]
fn a_bad_refresh_interval_stops_the_console_naming_where_it_came_from() {
    let scratch = TempDir::new().unwrap();
    let config = scratch.path().join("config.toml");
    std::fs::write(&config, "refresh = \"fast\"\n").unwrap();
    let data = scratch.path().join("data");
    let mut console = Console::start(&config, &data, &[]);
    let written = console.wait_for_exit();
    assert!(
        written.contains("`refresh` in the config file: \"fast\" is not an interval"),
        "{written}"
    );
    assert!(!written.contains("\x1b[?1049h"), "{written:?}");
    // The flag wins over the file, and is checked the same way.
    let mut console = Console::start(&config, &data, &["--refresh", "100ms"]);
    let written = console.wait_for_exit();
    assert!(
        written.contains("--refresh: \"100ms\" is too often"),
        "{written}"
    );
}
