//! `oauth-console serve`: the server, headless, until SIGINT or SIGTERM.

use super::CliError;
use super::args::{GlobalArgs, ServeArgs};
use super::connection::data_dir;
use super::output::write_stdout;
use crate::server;

pub async fn run(global: &GlobalArgs, args: ServeArgs) -> Result<(), CliError> {
    let data_dir = data_dir(global)?;
    let config = server::ServerConfig {
        listen: args.listen,
        data_dir: data_dir.clone(),
        issuer: args.issuer,
    };
    let running = server::start(config).await.map_err(|e| {
        CliError::Failed(format!(
            "cannot start the server on {} with data dir {}: {e}",
            args.listen,
            data_dir.display()
        ))
    })?;
    // The key file's path, never the key: stdout may end up in a log collector.
    write_stdout(&format!(
        "oauth-console listening on {} ({})\nissuer: {}\nadmin key file: {}\n",
        running.local_addr(),
        running.base_url(),
        running.issuer(),
        running.admin_key_file().display(),
    ))?;
    let signal = wait_for_stop_signal().await;
    tracing::info!(signal, "stopping");
    running.shutdown().await;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves with the name of the first stop signal received.
#[cfg(unix)]
async fn wait_for_stop_signal() -> &'static str {
    use tokio::signal::unix::{SignalKind, signal};
    let (mut interrupt, mut terminate) = match (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) {
        (Ok(i), Ok(t)) => (i, t),
        // Without signal handlers the default action (exit) still applies.
        _ => return std::future::pending().await,
    };
    tokio::select! {
        _ = interrupt.recv() => "SIGINT",
        _ = terminate.recv() => "SIGTERM",
    }
}

#[cfg(not(unix))]
async fn wait_for_stop_signal() -> &'static str {
    let _ = tokio::signal::ctrl_c().await;
    "Ctrl-C"
}
