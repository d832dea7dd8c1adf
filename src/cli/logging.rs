//! Logs: a file in `<data dir>/logs/`, never the terminal the console draws on; `serve`
//! also logs to stderr, as text or JSON (`--log-format`). The filter is `RUST_LOG`-style,
//! `info` by default.

use super::args::LogFormat;
use super::log_rotation::{LogRotation, SizeRotatingFile};
use std::io::IsTerminal;
use std::path::Path;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Registry};

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
    pub format: LogFormat,
    /// When the log file rotates, and how many old ones are kept.
    pub rotation: LogRotation,
}

/// Installs the global subscriber. A log file that cannot be opened is not a reason to
/// refuse the command: the problem is returned for the caller to mention, if it may.
pub fn init(targets: LogTargets<'_>) -> (LogGuard, Option<String>) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let mut problem = None;
    let mut layers: Vec<BoxedLayer> = Vec::new();
    let guard = match targets
        .data_dir
        .map(|dir| open_log_file(dir, targets.rotation))
    {
        Some(Ok(appender)) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            layers.push(format_layer(writer, false, targets.format));
            Some(guard)
        }
        Some(Err(e)) => {
            problem = Some(e);
            None
        }
        None => None,
    };
    if targets.stderr {
        let ansi = std::io::stderr().is_terminal() && targets.format == LogFormat::Text;
        layers.push(format_layer(std::io::stderr, ansi, targets.format));
    }
    // Fails only if a subscriber is already installed, which main never does.
    let _ = tracing_subscriber::registry()
        .with(layers)
        .with(filter)
        .try_init();
    (LogGuard { _file: guard }, problem)
}

type BoxedLayer = Box<dyn Layer<Registry> + Send + Sync>;

/// One line per event: text for people, or a JSON object (with the span's fields
/// flattened in) for log shippers.
fn format_layer<W>(writer: W, ansi: bool, format: LogFormat) -> BoxedLayer
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(writer)
        .with_ansi(ansi);
    match format {
        LogFormat::Text => Box::new(layer),
        LogFormat::Json => Box::new(layer.json().flatten_event(true).with_current_span(true)),
    }
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
