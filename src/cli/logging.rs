//! Logs: a file in `<data dir>/logs/`, never the terminal the console draws on; `serve`
//! also logs to stderr. The filter is `RUST_LOG`-style, `info` by default.

use super::log_rotation::{LogRotation, SizeRotatingFile};
use std::io::IsTerminal;
use std::path::Path;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Keeps the log writer thread alive; dropping it flushes what is left.
#[must_use]
pub struct LogGuard {
    _file: Option<WorkerGuard>,
}

/// Where logs should go.
pub struct LogTargets<'a> {
    /// The data dir, if one is known: logs go to its `logs/` folder.
    pub data_dir: Option<&'a Path>,
    pub stderr: bool,
    /// When the log file rotates, and how many old ones are kept.
    pub rotation: LogRotation,
}

/// Installs the global subscriber. A log file that cannot be opened is not a reason to
/// refuse the command: the problem is returned for the caller to mention, if it may.
pub fn init(targets: LogTargets<'_>) -> (LogGuard, Option<String>) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let mut problem = None;
    let (file_layer, guard) = match targets
        .data_dir
        .map(|dir| open_log_file(dir, targets.rotation))
    {
        Some(Ok(appender)) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let layer = tracing_subscriber::fmt::layer()
                .with_writer(writer)
                .with_ansi(false);
            (Some(layer), Some(guard))
        }
        Some(Err(e)) => {
            problem = Some(e);
            (None, None)
        }
        None => (None, None),
    };
    let stderr_layer = targets.stderr.then(|| {
        tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal())
    });
    // Fails only if a subscriber is already installed, which main never does.
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(file_layer)
        .with(stderr_layer)
        .try_init();
    (LogGuard { _file: guard }, problem)
}

fn open_log_file(data_dir: &Path, rotation: LogRotation) -> Result<SizeRotatingFile, String> {
    let dir = data_dir.join("logs");
    create_private_dir(&dir)
        .map_err(|e| format!("cannot create the log directory {}: {e}", dir.display()))?;
    SizeRotatingFile::open(&dir, "oauth-console.log", rotation)
        .map_err(|e| format!("cannot open a log file in {}: {e}", dir.display()))
}

/// The data dir holds the admin key: only its owner may look inside.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}
