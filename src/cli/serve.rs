//! `oauth-console serve`: the server, headless, until SIGINT or SIGTERM.

use super::CliError;
use super::args::{GlobalArgs, ServeArgs};
use super::connection::data_dir;
use super::database::database_url;
use super::output::write_stdout;
use crate::server;
use crate::service::ServiceConfig;

pub async fn run(global: &GlobalArgs, args: ServeArgs) -> Result<(), CliError> {
    let data_dir = data_dir(global)?;
    let database = database_url(global)?;
    // Installed before the banner: whoever reads it may signal at once.
    let stop = StopSignals::install()
        .map_err(|e| CliError::Failed(format!("cannot listen for SIGINT/SIGTERM: {e}")))?;
    let config = server::ServerConfig {
        listen: args.listen,
        data_dir: data_dir.clone(),
        issuer: args.issuer.clone(),
        database,
        limits: limits(&args),
    };
    let location =
        server::store_location(&config).map_err(|e| CliError::Usage(format!("--database: {e}")))?;
    // Before the server, so that its first request is counted.
    let metrics = match args.metrics_listen {
        Some(addr) => Some(
            server::MetricsListener::start(addr)
                .await
                .map_err(|e| CliError::Failed(e.to_string()))?,
        ),
        None => None,
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
    let metrics_line = metrics
        .as_ref()
        .map(|m| format!("metrics: http://{}/metrics\n", m.local_addr()))
        .unwrap_or_default();
    write_stdout(&format!(
        "oauth-console listening on {} ({})\nissuer: {}\n{metrics_line}admin key file: {}\ndatabase: {}\n",
        running.local_addr(),
        running.base_url(),
        running.issuer(),
        running.admin_key_file().display(),
        location.describe(),
    ))?;
    let signal = stop.received().await;
    tracing::info!(signal, "stopping");
    running.shutdown().await;
    if let Some(metrics) = metrics {
        metrics.shutdown().await;
    }
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

/// The listener limits the flags set.
fn limits(args: &ServeArgs) -> server::ServerLimits {
    use std::time::Duration;
    let defaults = server::SignInLimits::default();
    server::ServerLimits {
        header_timeout: Duration::from_secs(args.header_timeout),
        body_timeout: Duration::from_secs(args.body_timeout),
        idle_timeout: Duration::from_secs(args.idle_timeout),
        max_connections: usize::try_from(args.max_connections).unwrap_or(usize::MAX),
        shutdown_grace: Duration::from_secs(args.shutdown_grace),
        sign_in: server::SignInLimits {
            per_account: server::ThrottlePolicy {
                free_failures: args.sign_in_attempts,
                ..defaults.per_account
            },
            per_address: server::ThrottlePolicy {
                free_failures: args.sign_in_attempts_per_address,
                ..defaults.per_address
            },
            verify_concurrency: args.password_checks,
            verify_queue: args.password_queue,
            ..defaults
        },
    }
}
