//! The console's main loop: terminal events, worker replies, a clock tick and signals
//! in; drawing, worker requests and clipboard copies out. All deciding happens in
//! `update`; this file only moves things between the world and it.

use super::clipboard::{Clipboard, ClipboardEnv, ClipboardMode};
use super::options::{TuiError, TuiOptions};
use super::terminal::{TerminalGuard, TerminalOptions, missing_terminal};
use crate::domain::unix_now;
use crate::tui::action::{Action, ClipboardOutcome, Command};
use crate::tui::app::config::{StartOptions, apply_config};
use crate::tui::app::{render, start, update};
use crate::tui::keymap::action_for_event;
use crate::tui::shared::ToastKind;
use crate::tui::state::State;
use crate::worker::{self, RequestId, WorkerHandle, WorkerReply, WorkerRequest};
use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use std::time::Duration;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::{Instant, MissedTickBehavior};

/// Shortest time between two draws: about 60 a second. Over SSH every byte is latency,
/// so a burst of events (a held key, a paste, many replies) costs one draw.
const FRAME: Duration = Duration::from_millis(16);
/// How often the header's readiness is checked (`/readyz`).
const HEALTH_EVERY: Duration = Duration::from_secs(5);
/// The id readiness checks go under: their answers have no owner to find by id, and
/// the ids `Requests` hands out count up from zero, never reaching this one.
const HEALTH_CHECK_ID: RequestId = RequestId::MAX;

pub(crate) async fn run(options: TuiOptions) -> Result<(), TuiError> {
    ensure_terminal()?;
    let monochrome = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let (worker, replies) = worker::spawn(options.client);
    let mut state = State::new(options.server_label, unix_now(), monochrome);
    let config = options.config;
    // Key overrides, theme, profile and read-only mode.
    // Problems in `[keys]` are shown by `apply_config` as a toast.
    apply_config(
        &mut state,
        &config,
        &StartOptions {
            profile: options.profile,
            read_only_flag: options.read_only,
            no_color: monochrome,
        },
    );
    // `o` in the Get token dialogs opens a browser only where one can show up.
    state.flows.can_open_browser =
        crate::api::flows::should_open_browser(|name| std::env::var(name).ok());
    let (clipboard_mode, terminal_options) = console_settings(&config);
    let refresh_every = options.refresh;
    let clipboard = Clipboard::new(clipboard_mode, ClipboardEnv::from_process());
    // Signals are set up before the terminal changes, so a failure leaves it untouched.
    let signals = Signals::new()?;
    let mut guard = TerminalGuard::enter(terminal_options)?;
    let mut runtime = Runtime {
        worker,
        clipboard,
        replies,
        signals,
        refresh_every,
    };
    let result = runtime.run(&mut state, &mut guard).await;
    // Restore before returning, so whatever the caller prints lands on the normal screen.
    drop(guard);
    result
}

/// The clipboard mode and mouse setting of the config file.
fn console_settings(config: &crate::config::Config) -> (ClipboardMode, TerminalOptions) {
    (
        config.clipboard.into(),
        TerminalOptions {
            mouse: config.mouse,
        },
    )
}

/// crossterm's `EventStream` panics without a terminal on stdin (DESIGN §7), and
/// drawing into a pipe helps nobody: say so before touching either.
fn ensure_terminal() -> Result<(), TuiError> {
    match missing_terminal() {
        Some(end) => Err(TuiError::NotATerminal(format!(
            "{end} is not a terminal; use the subcommands instead (oauth-console --help)"
        ))),
        None => Ok(()),
    }
}

/// SIGTERM and SIGHUP end the loop like `q` does, so the guard restores the terminal.
struct Signals {
    terminate: tokio::signal::unix::Signal,
    hangup: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> std::io::Result<Signals> {
        Ok(Signals {
            terminate: signal(SignalKind::terminate())?,
            hangup: signal(SignalKind::hangup())?,
        })
    }
}

struct Runtime {
    worker: WorkerHandle,
    clipboard: Clipboard,
    replies: UnboundedReceiver<(RequestId, WorkerReply)>,
    signals: Signals,
    /// How often the current tab's list reloads by itself (`--refresh`); `None`: never.
    refresh_every: Option<Duration>,
}

/// What woke the loop up. Lives for one turn of the loop, on the stack: its size
/// does not matter.
#[allow(clippy::large_enum_variant)]
enum Wake {
    Terminal(Option<std::io::Result<Event>>),
    Reply(Option<(RequestId, WorkerReply)>),
    Tick,
    HealthCheck,
    AutoRefresh,
    Draw,
    Signal,
}

impl Runtime {
    async fn run(&mut self, state: &mut State, guard: &mut TerminalGuard) -> Result<(), TuiError> {
        let mut events = EventStream::new();
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
        // The header's readiness: asked at once, then every few seconds.
        let mut health_check = tokio::time::interval(HEALTH_EVERY);
        health_check.set_missed_tick_behavior(MissedTickBehavior::Delay);
        // The lists reload on their own; the first tick (at once) is skipped, the
        // first requests below load them anyway.
        let refresh_every = self.refresh_every;
        let mut auto_refresh = tokio::time::interval_at(
            Instant::now() + refresh_every.unwrap_or(HEALTH_EVERY),
            refresh_every.unwrap_or(HEALTH_EVERY),
        );
        auto_refresh.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let size = guard.terminal().size()?;
        let mut dirty = self.apply(
            state,
            guard,
            Action::Resize {
                width: size.width,
                height: size.height,
            },
        );
        let first = start(state);
        self.execute(state, guard, first);
        let mut last_draw: Option<Instant> = None;
        let mut worker_alive = true;

        while !state.quit {
            let next_draw = last_draw.map_or_else(Instant::now, |at| at + FRAME);
            let wake = tokio::select! {
                event = events.next() => Wake::Terminal(event),
                reply = self.replies.recv(), if worker_alive => Wake::Reply(reply),
                _ = tick.tick(), if state.wants_tick() => Wake::Tick,
                _ = health_check.tick(), if worker_alive => Wake::HealthCheck,
                _ = auto_refresh.tick(), if worker_alive && refresh_every.is_some() => {
                    Wake::AutoRefresh
                }
                _ = tokio::time::sleep_until(next_draw), if dirty => Wake::Draw,
                _ = self.signals.terminate.recv() => Wake::Signal,
                _ = self.signals.hangup.recv() => Wake::Signal,
            };
            match wake {
                Wake::Terminal(Some(Ok(event))) => {
                    dirty |= self.apply_event(state, guard, event);
                    // Drain what is already waiting before drawing once. Polled with
                    // a zero timeout rather than through the stream: polling the stream
                    // outside `select!` would hand its wake-up task a waker nobody
                    // listens to, and the next key would go unnoticed.
                    while !state.quit && crossterm::event::poll(Duration::ZERO)? {
                        let event = crossterm::event::read()?;
                        dirty |= self.apply_event(state, guard, event);
                    }
                }
                Wake::Terminal(Some(Err(e))) => return Err(TuiError::Terminal(e)),
                Wake::Terminal(None) => break,
                Wake::Reply(Some((id, reply))) => {
                    dirty |= self.apply(state, guard, Action::WorkerReply(id, reply));
                    while let Ok((id, reply)) = self.replies.try_recv() {
                        dirty |= self.apply(state, guard, Action::WorkerReply(id, reply));
                    }
                }
                // The worker stopped: nothing will answer any more; keep the screen up
                // so the user can still read it and quit.
                Wake::Reply(None) => worker_alive = false,
                Wake::Tick => dirty |= self.apply(state, guard, Action::Tick { now: unix_now() }),
                Wake::HealthCheck => {
                    self.worker
                        .send(HEALTH_CHECK_ID, WorkerRequest::CheckHealth);
                }
                Wake::AutoRefresh => dirty |= self.apply(state, guard, Action::AutoRefresh),
                Wake::Draw => {}
                Wake::Signal => break,
            }
            if dirty && !state.quit && last_draw.is_none_or(|at| at.elapsed() >= FRAME) {
                guard.terminal().draw(|frame| render(state, frame))?;
                last_draw = Some(Instant::now());
                dirty = false;
            }
        }
        Ok(())
    }

    fn apply_event(&mut self, state: &mut State, guard: &mut TerminalGuard, event: Event) -> bool {
        match action_for_event(state, &event) {
            Some(action) => self.apply(state, guard, action),
            None => false,
        }
    }

    /// Runs `action` through `update` and carries out the commands it returns, feeding
    /// clipboard outcomes back in. Returns whether the state may have changed.
    fn apply(&mut self, state: &mut State, guard: &mut TerminalGuard, action: Action) -> bool {
        // The tick sleeps while nothing counts down; catch the clock up first, or a
        // toast raised now would expire at a time already past.
        let now = unix_now();
        if now != state.now && !matches!(action, Action::Tick { .. }) {
            let commands = update(state, Action::Tick { now });
            self.execute(state, guard, commands);
        }
        let commands = update(state, action);
        self.execute(state, guard, commands);
        true
    }

    /// Carries out what `update` asked for; a copy's outcome goes back through
    /// `update` so the toast can say which way the text went.
    fn execute(&mut self, state: &mut State, guard: &mut TerminalGuard, commands: Vec<Command>) {
        for command in commands {
            match command {
                Command::Worker(id, request) => {
                    if !self.worker.send(id, request) {
                        tracing::warn!("worker stopped; request {id} dropped");
                    }
                }
                Command::CopyToClipboard { text, what } => {
                    let result = match self.clipboard.copy(&text, guard.writer()) {
                        Ok(outcome) => {
                            if let Some(why) = &outcome.fallback_reason {
                                tracing::info!("system clipboard unavailable: {why}");
                            }
                            Ok(outcome.how())
                        }
                        Err(e) => Err(e.to_string()),
                    };
                    let outcome = Action::Clipboard(ClipboardOutcome { what, result });
                    let more = update(state, outcome);
                    self.execute(state, guard, more);
                }
                Command::OpenBrowser { url } => match super::browser::open(&url) {
                    Ok(()) => state.toast(ToastKind::Success, "✓ Browser opened"),
                    Err(why) => state.toast(ToastKind::Error, format!("✗ No browser: {why}")),
                },
                Command::Suspend => match guard.suspend() {
                    // Back after `fg`: the window may have changed size meanwhile.
                    Ok(()) => match guard.terminal().size() {
                        Ok(size) => {
                            let resize = Action::Resize {
                                width: size.width,
                                height: size.height,
                            };
                            let more = update(state, resize);
                            self.execute(state, guard, more);
                        }
                        Err(e) => tracing::warn!("terminal size unknown after resume: {e}"),
                    },
                    Err(e) => {
                        tracing::warn!("suspend failed: {e}");
                        state.toast(ToastKind::Error, format!("✗ Could not suspend: {e}"));
                    }
                },
                Command::Quit => state.quit = true,
            }
        }
    }
}
