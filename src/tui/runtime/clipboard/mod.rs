//! Copying text for the user (DESIGN §4): to the system clipboard when one is at hand,
//! otherwise through the terminal with OSC 52, wrapped for tmux and screen.
//!
//! The choice is a pure function of [`ClipboardEnv`], a snapshot of the environment, so
//! it is tested without touching the real terminal or display.

use crate::config::ClipboardSetting;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use std::fmt;
use std::io::{IsTerminal, Write};

/// How the console copies: the `clipboard` setting of the config file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClipboardMode {
    /// OSC 52 over SSH or without a display server; the system clipboard otherwise.
    #[default]
    Auto,
    /// The system clipboard (falls back to OSC 52 when it cannot be opened).
    System,
    /// Always OSC 52.
    Osc52,
    /// Never copy.
    Off,
}

impl From<ClipboardSetting> for ClipboardMode {
    fn from(setting: ClipboardSetting) -> ClipboardMode {
        match setting {
            ClipboardSetting::Auto => ClipboardMode::Auto,
            ClipboardSetting::System => ClipboardMode::System,
            ClipboardSetting::Osc52 => ClipboardMode::Osc52,
            ClipboardSetting::Off => ClipboardMode::Off,
        }
    }
}

/// Terminal multiplexers that need OSC 52 wrapped to pass it on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Multiplexer {
    None,
    Tmux,
    Screen,
}

/// What the copy decision depends on, read once from the process.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClipboardEnv {
    /// `SSH_CONNECTION` or `SSH_TTY` is set.
    pub over_ssh: bool,
    /// `DISPLAY` or `WAYLAND_DISPLAY` is set and not empty.
    pub has_display: bool,
    /// `TMUX` is set.
    pub in_tmux: bool,
    /// The value of `TERM`.
    pub term: Option<String>,
    /// Standard output is a terminal (OSC 52 would otherwise land in a file or pipe).
    pub stdout_is_terminal: bool,
}

impl ClipboardEnv {
    /// Reads the snapshot from this process's environment and standard output.
    pub fn from_process() -> ClipboardEnv {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        ClipboardEnv {
            over_ssh: set("SSH_CONNECTION") || set("SSH_TTY"),
            has_display: set("DISPLAY") || set("WAYLAND_DISPLAY"),
            in_tmux: set("TMUX"),
            term: std::env::var("TERM").ok(),
            stdout_is_terminal: std::io::stdout().is_terminal(),
        }
    }

    fn multiplexer(&self) -> Multiplexer {
        if self.in_tmux {
            Multiplexer::Tmux
        } else if self
            .term
            .as_deref()
            .is_some_and(|t| t.starts_with("screen"))
        {
            Multiplexer::Screen
        } else {
            Multiplexer::None
        }
    }
}

/// Why OSC 52 was chosen; shown in the toast.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Osc52Reason {
    Ssh,
    NoDisplay,
    Configured,
    SystemUnavailable,
}

/// Which way a copy goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    System,
    Osc52 {
        reason: Osc52Reason,
        multiplexer: Multiplexer,
    },
}

/// The copy decision. `Err` says why nothing can be copied.
pub fn choose_route(mode: ClipboardMode, env: &ClipboardEnv) -> Result<Route, ClipboardError> {
    let osc52 = |reason| {
        if env.stdout_is_terminal {
            Ok(Route::Osc52 {
                reason,
                multiplexer: env.multiplexer(),
            })
        } else {
            Err(ClipboardError::NotATerminal)
        }
    };
    match mode {
        ClipboardMode::Off => Err(ClipboardError::Off),
        ClipboardMode::Osc52 => osc52(Osc52Reason::Configured),
        ClipboardMode::System => Ok(Route::System),
        ClipboardMode::Auto if env.over_ssh => osc52(Osc52Reason::Ssh),
        ClipboardMode::Auto if !env.has_display => osc52(Osc52Reason::NoDisplay),
        ClipboardMode::Auto => Ok(Route::System),
    }
}

/// Largest text copied, before base64: terminals drop or truncate longer OSC 52
/// payloads (xterm's default limit is about 100 kB), and nothing we copy comes close.
pub const MAX_COPY_BYTES: usize = 100_000;

/// Bytes per DCS chunk inside screen, which refuses longer strings.
const SCREEN_CHUNK: usize = 76;

/// The bytes that ask the terminal to put `text` on its clipboard.
///
/// Inside tmux two copies are sent: the plain sequence, which tmux itself takes when
/// `set-clipboard` is `on`, and a DCS passthrough (ESCs doubled), which reaches the
/// outer terminal when `allow-passthrough` is `on`. Either setting then works; with
/// both on, the outer terminal receives the same text twice, which is harmless.
pub fn osc52_bytes(text: &str, multiplexer: Multiplexer) -> Vec<u8> {
    let payload = BASE64.encode(text.as_bytes());
    let plain = format!("\x1b]52;c;{payload}\x07");
    match multiplexer {
        Multiplexer::None => plain.into_bytes(),
        Multiplexer::Tmux => {
            let doubled = plain.replace('\x1b', "\x1b\x1b");
            format!("{plain}\x1bPtmux;{doubled}\x1b\\").into_bytes()
        }
        Multiplexer::Screen => {
            let mut out = String::with_capacity(plain.len() + 16);
            for chunk in plain.as_bytes().chunks(SCREEN_CHUNK) {
                out.push_str("\x1bP");
                // The sequence is ASCII, so every chunk boundary is a char boundary.
                out.push_str(&String::from_utf8_lossy(chunk));
                out.push_str("\x1b\\");
            }
            out.into_bytes()
        }
    }
}

/// How a copy went, for the toast: `copied via OSC 52 (SSH)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyOutcome {
    pub route: Route,
    /// Set when the system clipboard was wanted but could not be opened.
    pub fallback_reason: Option<String>,
}

impl CopyOutcome {
    /// Which way the text went, in a few words for the toast's parentheses:
    /// `OSC 52 · SSH`, `system clipboard`, `OSC 52 · SSH · tmux`.
    pub fn how(&self) -> String {
        match self.route {
            Route::System => "system clipboard".into(),
            Route::Osc52 {
                reason,
                multiplexer,
            } => {
                let why = match reason {
                    Osc52Reason::Ssh => "SSH",
                    Osc52Reason::NoDisplay => "no display",
                    Osc52Reason::Configured => "configured",
                    Osc52Reason::SystemUnavailable => "system clipboard unavailable",
                };
                let through = match multiplexer {
                    Multiplexer::None => "",
                    Multiplexer::Tmux => " · tmux",
                    Multiplexer::Screen => " · screen",
                };
                format!("OSC 52 · {why}{through}")
            }
        }
    }
}

impl fmt::Display for CopyOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.route {
            Route::System => f.write_str("copied to the system clipboard"),
            Route::Osc52 { .. } => {
                let how = self.how();
                let details = how.strip_prefix("OSC 52 · ").unwrap_or(&how);
                write!(f, "copied via OSC 52 ({details})")
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ClipboardError {
    #[error("the clipboard is off (clipboard = \"off\" in the config)")]
    Off,
    #[error("output is not a terminal, so OSC 52 cannot reach a clipboard")]
    NotATerminal,
    #[error("{bytes} bytes is more than the {max} a clipboard copy may hold")]
    TooLarge { bytes: usize, max: usize },
    #[error("writing to the terminal failed: {0}")]
    Write(#[from] std::io::Error),
}

/// The console's clipboard. The system clipboard, when used, is opened once and kept
/// for the life of the process: on X11 the copied text lives only as long as its owner.
pub struct Clipboard {
    mode: ClipboardMode,
    env: ClipboardEnv,
    system: SystemClipboard,
}

enum SystemClipboard {
    NotOpened,
    Open(arboard::Clipboard),
    Failed(String),
}

impl Clipboard {
    pub fn new(mode: ClipboardMode, env: ClipboardEnv) -> Clipboard {
        Clipboard {
            mode,
            env,
            system: SystemClipboard::NotOpened,
        }
    }

    /// Copies `text`, writing any OSC 52 bytes to `terminal` (the writer the console
    /// draws on) and flushing it.
    pub fn copy(
        &mut self,
        text: &str,
        terminal: &mut impl Write,
    ) -> Result<CopyOutcome, ClipboardError> {
        if text.len() > MAX_COPY_BYTES {
            return Err(ClipboardError::TooLarge {
                bytes: text.len(),
                max: MAX_COPY_BYTES,
            });
        }
        match choose_route(self.mode, &self.env)? {
            Route::System => match self.copy_to_system(text) {
                Ok(()) => Ok(CopyOutcome {
                    route: Route::System,
                    fallback_reason: None,
                }),
                Err(why) => {
                    let route = choose_route(ClipboardMode::Osc52, &self.env)?;
                    let Route::Osc52 { multiplexer, .. } = route else {
                        return Err(ClipboardError::NotATerminal);
                    };
                    write_osc52(terminal, text, multiplexer)?;
                    Ok(CopyOutcome {
                        route: Route::Osc52 {
                            reason: Osc52Reason::SystemUnavailable,
                            multiplexer,
                        },
                        fallback_reason: Some(why),
                    })
                }
            },
            route @ Route::Osc52 { multiplexer, .. } => {
                write_osc52(terminal, text, multiplexer)?;
                Ok(CopyOutcome {
                    route,
                    fallback_reason: None,
                })
            }
        }
    }

    fn copy_to_system(&mut self, text: &str) -> Result<(), String> {
        if let SystemClipboard::NotOpened = self.system {
            // Opened lazily and once: it can block until an X11 timeout when no
            // display answers, which `choose_route` avoids in auto mode.
            self.system = match arboard::Clipboard::new() {
                Ok(clipboard) => SystemClipboard::Open(clipboard),
                Err(e) => SystemClipboard::Failed(e.to_string()),
            };
        }
        match &mut self.system {
            SystemClipboard::Open(clipboard) => clipboard.set_text(text).map_err(|e| e.to_string()),
            SystemClipboard::Failed(why) => Err(why.clone()),
            SystemClipboard::NotOpened => Err("system clipboard not opened".into()),
        }
    }
}

fn write_osc52(
    terminal: &mut impl Write,
    text: &str,
    multiplexer: Multiplexer,
) -> std::io::Result<()> {
    terminal.write_all(&osc52_bytes(text, multiplexer))?;
    terminal.flush()
}

#[cfg(test)]
mod tests;
