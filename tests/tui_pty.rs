//! The real `oauth-console` binary in a pseudo-terminal, on its embedded server and a
//! throwaway data dir. What it draws is fed to a terminal emulator (vt100) to read the
//! screen as a user would see it; the raw bytes are kept to check what reached the
//! terminal (OSC 52, escape sequences, the restore on quit).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pty_support;
use expectrl::Session;
use pty_support::*;
use std::io::Write;
use std::process::Command;
use tempfile::TempDir;

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
