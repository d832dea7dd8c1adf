//! `oauth-console serve`: the server, headless, until SIGINT or SIGTERM.

use super::CliError;
use super::args::{GlobalArgs, ServeArgs};
use super::connection::data_dir;
use super::output::write_stdout;
use crate::server;
use crate::service::ServiceConfig;

pub async fn run(global: &GlobalArgs, args: ServeArgs) -> Result<(), CliError> {
    let data_dir = data_dir(global)?;
    // Installed before the banner: whoever reads it may signal at once.
    let stop = StopSignals::install()
        .map_err(|e| CliError::Failed(format!("cannot listen for SIGINT/SIGTERM: {e}")))?;
    let config = server::ServerConfig {
        listen: args.listen,
        data_dir: data_dir.clone(),
        issuer: args.issuer,
    };
    let service = ServiceConfig {
        refresh_family_lifetime: args.refresh_family_lifetime,
        token_retention: args.token_retention,
        audit_retention: args.audit_retention.0,
        cleanup_interval: Some(args.cleanup_interval),
        ..ServiceConfig::default()
    };
    let running = server::start_with_service_config(config, service)
        .await
        .map_err(|e| {
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
    let signal = stop.received().await;
    tracing::info!(signal, "stopping");
    running.shutdown().await;
    tracing::info!("stopped");
    Ok(())
}

/// SIGINT and SIGTERM, caught so that the server can stop cleanly.
#[cfg(unix)]
struct StopSignals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl StopSignals {
    fn install() -> std::io::Result<StopSignals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(StopSignals {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    /// Resolves with the name of the first stop signal received.
    async fn received(mut self) -> &'static str {
        tokio::select! {
            _ = self.interrupt.recv() => "SIGINT",
            _ = self.terminate.recv() => "SIGTERM",
        }
    }
}

#[cfg(not(unix))]
struct StopSignals;

#[cfg(not(unix))]
impl StopSignals {
    fn install() -> std::io::Result<StopSignals> {
        Ok(StopSignals)
    }

    async fn received(self) -> &'static str {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}
