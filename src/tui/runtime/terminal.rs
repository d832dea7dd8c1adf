//! The terminal while the console runs: raw mode, alternate screen, mouse capture and
//! bracketed paste, all undone on every exit path — drop, error and panic alike.
//!
//! `ratatui::init()` is not used: its panic hook restores raw mode and the alternate
//! screen but leaves mouse capture and bracketed paste on (DESIGN §7), which leaves the
//! user's shell printing escape sequences for every click.

use crossterm::cursor::Show;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{IsTerminal, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};
use std::thread::ThreadId;

/// The terminal the console draws on; stdout, as for every write of the console.
pub type ConsoleTerminal = Terminal<CrosstermBackend<Stdout>>;

/// What to switch on besides raw mode, the alternate screen and bracketed paste.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TerminalOptions {
    pub mouse: bool,
}

impl Default for TerminalOptions {
    fn default() -> Self {
        TerminalOptions { mouse: true }
    }
}

/// True while the terminal is in the console's modes; the panic hook restores only then,
/// so a panic after the console has quit prints no stray escape sequences.
static TERMINAL_TAKEN: AtomicBool = AtomicBool::new(false);
static PANIC_HOOK: Once = Once::new();
/// The thread that took the terminal: the console's loop, where `update` and `render`
/// run. A panic elsewhere (a worker task, which tokio catches) does not end the
/// console, so it must not take the terminal from under it.
static OWNER: Mutex<Option<ThreadId>> = Mutex::new(None);

fn set_owner(owner: Option<ThreadId>) {
    match OWNER.lock() {
        Ok(mut guard) => *guard = owner,
        Err(poisoned) => *poisoned.into_inner() = owner,
    }
}

fn owner() -> Option<ThreadId> {
    match OWNER.lock() {
        Ok(guard) => *guard,
        Err(poisoned) => *poisoned.into_inner(),
    }
}

/// Which end the console needs is not a terminal (`standard input`, `standard
/// output`), if one is not: the one check, for the console and the command line.
pub fn missing_terminal() -> Option<&'static str> {
    if !std::io::stdin().is_terminal() {
        return Some("standard input");
    }
    if !std::io::stdout().is_terminal() {
        return Some("standard output");
    }
    None
}

/// Owns the terminal in the console's modes; dropping it puts everything back.
pub struct TerminalGuard {
    terminal: ConsoleTerminal,
    /// What was switched on, to switch it on again after a suspend.
    options: TerminalOptions,
}

impl TerminalGuard {
    /// Switches the terminal into the console's modes. On error, whatever was switched
    /// on is switched off again before returning.
    pub fn enter(options: TerminalOptions) -> std::io::Result<TerminalGuard> {
        install_panic_hook();
        set_owner(Some(std::thread::current().id()));
        TERMINAL_TAKEN.store(true, Ordering::SeqCst);
        match enter_modes(options) {
            Ok(terminal) => Ok(TerminalGuard { terminal, options }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }

    /// Ctrl-Z: gives the terminal back to the shell as it found it, stops the process
    /// the way the terminal's own suspend key would (`SIGTSTP`), and once the shell
    /// continues it (`fg`, `SIGCONT`) takes the terminal again with a fresh screen, so
    /// the next draw repaints everything.
    pub fn suspend(&mut self) -> std::io::Result<()> {
        restore();
        signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
        // Here again after SIGCONT.
        TERMINAL_TAKEN.store(true, Ordering::SeqCst);
        match enter_modes(self.options) {
            Ok(terminal) => {
                self.terminal = terminal;
                Ok(())
            }
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }

    pub fn terminal(&mut self) -> &mut ConsoleTerminal {
        &mut self.terminal
    }

    /// The writer the console draws on, for bytes that are not drawing (OSC 52).
    pub fn writer(&mut self) -> &mut impl Write {
        self.terminal.backend_mut()
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

fn enter_modes(options: TerminalOptions) -> std::io::Result<ConsoleTerminal> {
    enable_raw_mode()?;
    let mut stdout = std::io::stdout();
    crossterm::execute!(stdout, EnterAlternateScreen, EnableBracketedPaste)?;
    if options.mouse {
        crossterm::execute!(stdout, EnableMouseCapture)?;
    }
    // Cleared directly: `Terminal::clear` asks the terminal where its cursor is, a round
    // trip over SSH that fails after two seconds where nothing answers.
    crossterm::execute!(stdout, Clear(ClearType::All))?;
    Terminal::new(CrosstermBackend::new(stdout))
}

/// Puts the terminal back as the shell expects it. Safe to call more than once, and
/// when nothing was switched on. Errors are ignored: there is nobody left to tell (the
/// terminal may be gone, e.g. after SIGHUP), and every step is still tried.
pub fn restore() {
    let mut stdout = std::io::stdout();
    if restore_once(&TERMINAL_TAKEN, &mut stdout) {
        let _ = disable_raw_mode();
    }
}

/// Writes the restore sequence to `out` if `taken` says the modes are on, and marks
/// them off; true when it wrote. A second call writes nothing.
fn restore_once(taken: &AtomicBool, out: &mut impl Write) -> bool {
    if !taken.swap(false, Ordering::SeqCst) {
        return false;
    }
    let _ = write_restore_sequence(out);
    true
}

/// Writes the sequences that switch off mouse capture (all its encodings) and
/// bracketed paste, leave the alternate screen and show the cursor. Mouse capture is
/// switched off even when it was not on: that is harmless and cannot be forgotten.
pub fn write_restore_sequence(out: &mut impl Write) -> std::io::Result<()> {
    crossterm::queue!(
        out,
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        Show
    )?;
    out.flush()
}

/// Restores the terminal before the previous hook prints the panic, so the message
/// lands on the user's normal screen, readable. Only for panics on the console's own
/// thread: those end it.
fn install_panic_hook() {
    PANIC_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if owner() == Some(std::thread::current().id()) {
                restore();
            }
            previous(info);
        }));
    });
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn restore_sequence_switches_off_every_mode_the_console_switches_on() {
        let mut out = Vec::new();
        write_restore_sequence(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        for (sequence, what) in [
            ("\x1b[?1049l", "leave the alternate screen"),
            ("\x1b[?1000l", "stop reporting mouse clicks"),
            ("\x1b[?1003l", "stop reporting mouse motion"),
            ("\x1b[?1006l", "stop SGR mouse encoding"),
            ("\x1b[?2004l", "switch off bracketed paste"),
            ("\x1b[?25h", "show the cursor"),
        ] {
            assert!(text.contains(sequence), "must {what}: {text:?}");
        }
        // Mouse capture goes off before the alternate screen is left, so no click
        // reaches the shell as text.
        let leave = text.find("\x1b[?1049l").unwrap();
        assert!(text.find("\x1b[?1000l").unwrap() < leave);
    }

    #[test]
    fn restore_writes_only_while_the_terminal_is_taken_and_only_once() {
        let taken = AtomicBool::new(false);
        let mut out = Vec::new();
        assert!(!restore_once(&taken, &mut out), "nothing was switched on");
        assert!(out.is_empty(), "wrote {out:?} without entering");

        taken.store(true, Ordering::SeqCst);
        assert!(restore_once(&taken, &mut out));
        let text = String::from_utf8(out.clone()).unwrap();
        assert!(text.contains("\x1b[?1049l"), "{text:?}");

        // A second exit path (drop after a panic hook) must not write again.
        let written = out.len();
        assert!(!restore_once(&taken, &mut out));
        assert_eq!(out.len(), written);
    }
}
