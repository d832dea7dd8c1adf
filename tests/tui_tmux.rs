//! Copying over SSH, checked the way a user would: the real console inside a real tmux
//! with `set-clipboard on`, a `y` keypress, and the client ID arriving in tmux's paste
//! buffer through OSC 52. CI installs tmux (`.ci/run`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

#[path = "support/tools.rs"]
mod tools;
use tools::require_tool;

const BIN: &str = env!("CARGO_BIN_EXE_oauth-console");

/// tmux on a private socket, so the test never touches a user's sessions.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("tmux runs")
    }

    fn text(&self, args: &[&str]) -> String {
        String::from_utf8_lossy(&self.run(args).stdout).into_owned()
    }

    /// Polls until `probe` gives Some, or panics after `timeout` with `what`.
    fn wait_for<T>(
        &self,
        what: &str,
        timeout: Duration,
        mut probe: impl FnMut() -> Option<T>,
    ) -> T {
        let start = Instant::now();
        loop {
            if let Some(value) = probe() {
                return value;
            }
            if start.elapsed() > timeout {
                let screen = self.text(&["capture-pane", "-pt", "t"]);
                panic!("timed out waiting for {what}; screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

fn create_app(data: &Path, name: &str) -> String {
    let out = Command::new(BIN)
        .env_remove("OAUTH_CONSOLE_CONFIG")
        .arg("--data-dir")
        .arg(data)
        .args([
            "apps",
            "create",
            "--json",
            "--name",
            name,
            "--platform",
            "api-services",
            "--scope",
            "monitoring",
            "--grant",
            "client_credentials",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let app: Value = serde_json::from_slice(&out.stdout).unwrap();
    app["client_id"].as_str().unwrap().to_string()
}

#[test]
fn copy_id_over_ssh_lands_in_the_tmux_paste_buffer() {
    if !require_tool("tmux") {
        return;
    }
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("data");
    let client_id = create_app(&data, "Billing sync");

    let tmux = Tmux {
        socket: format!("oauth-console-test-{}", std::process::id()),
    };
    let console = format!(
        "env -u TMUX OAUTH_CONSOLE_DATA_DIR='{}' OAUTH_CONSOLE_CONFIG=/nonexistent/config.toml SSH_CONNECTION='10.0.0.1 50000 10.0.0.2 22' TERM=xterm-256color '{BIN}'",
        data.display()
    );
    let started = tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "t",
        "-x",
        "120",
        "-y",
        "36",
        &console,
    ]);
    assert!(
        started.status.success(),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );
    tmux.run(&["set-option", "-g", "set-clipboard", "on"]);

    tmux.wait_for("the app row", Duration::from_secs(20), || {
        tmux.text(&["capture-pane", "-pt", "t"])
            .contains("Billing sync")
            .then_some(())
    });
    tmux.run(&["send-keys", "-t", "t", "y"]);

    let copied = tmux.wait_for("the paste buffer", Duration::from_secs(10), || {
        let buffer = tmux.text(&["show-buffer"]);
        (!buffer.is_empty()).then_some(buffer)
    });
    assert_eq!(
        copied, client_id,
        "the whole client ID, not the shortened cell"
    );
    let screen = tmux.text(&["capture-pane", "-pt", "t"]);
    assert!(
        screen.contains("Client ID copied"),
        "toast missing:\n{screen}"
    );

    tmux.run(&["send-keys", "-t", "t", "q"]);
}

/// Ctrl-Z hands the terminal back to the shell as a terminal's suspend key would, and
/// `fg` brings the console back where it was: a real interactive shell with job
/// control in a real tmux.
#[test]
fn ctrl_z_suspends_to_the_shell_and_fg_brings_the_console_back() {
    if !require_tool("tmux") || !require_tool("bash") {
        return;
    }
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("data");
    create_app(&data, "Billing sync");

    let tmux = Tmux {
        socket: format!("oauth-console-suspend-{}", std::process::id()),
    };
    let shell = "env -u TMUX PS1='shell> ' TERM=xterm-256color bash --norc --noprofile -i";
    let started = tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "t",
        "-x",
        "120",
        "-y",
        "36",
        shell,
    ]);
    assert!(
        started.status.success(),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );
    let screen = || tmux.text(&["capture-pane", "-pt", "t"]);
    tmux.wait_for("the shell prompt", Duration::from_secs(10), || {
        screen().contains("shell>").then_some(())
    });
    let console = format!(
        "OAUTH_CONSOLE_DATA_DIR='{}' OAUTH_CONSOLE_CONFIG=/nonexistent/config.toml '{BIN}' --refresh 0",
        data.display()
    );
    tmux.run(&["send-keys", "-t", "t", &console, "Enter"]);
    tmux.wait_for("the app row", Duration::from_secs(20), || {
        screen().contains("Billing sync").then_some(())
    });
    // Somewhere to come back to: the audit log tab, with the app's creation.
    tmux.run(&["send-keys", "-t", "t", "4"]);
    tmux.wait_for("the audit log", Duration::from_secs(10), || {
        screen().contains("app.create").then_some(())
    });

    tmux.run(&["send-keys", "-t", "t", "C-z"]);
    let stopped = tmux.wait_for("the shell after Ctrl-Z", Duration::from_secs(10), || {
        let text = screen();
        (text.contains("Stopped") && !text.contains("app.create")).then_some(text)
    });
    assert!(stopped.contains("shell>"), "{stopped}");
    // The terminal is the shell's again: typed text echoes as usual.
    tmux.run(&["send-keys", "-t", "t", "echo still-here", "Enter"]);
    tmux.wait_for("the shell to answer", Duration::from_secs(10), || {
        screen()
            .lines()
            .any(|line| line.trim() == "still-here")
            .then_some(())
    });

    tmux.run(&["send-keys", "-t", "t", "fg", "Enter"]);
    let back = tmux.wait_for("the console after fg", Duration::from_secs(10), || {
        let text = screen();
        text.contains("app.create").then_some(text)
    });
    assert!(back.contains("Audit log"), "{back}");
    assert!(
        !back.contains("shell>"),
        "the whole screen is redrawn:\n{back}"
    );
    // And it still answers keys.
    tmux.run(&["send-keys", "-t", "t", "1"]);
    tmux.wait_for("the apps tab again", Duration::from_secs(10), || {
        screen().contains("sorted by").then_some(())
    });
    tmux.run(&["send-keys", "-t", "t", "q"]);
    tmux.wait_for("the shell after quitting", Duration::from_secs(10), || {
        let text = screen();
        (!text.contains("Billing sync") && text.contains("shell>")).then_some(())
    });
}
