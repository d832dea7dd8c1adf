//! `oauth-console serve`: the server, headless, until SIGINT or SIGTERM; SIGHUP reloads
//! the TLS certificate.

use super::CliError;
use super::args::{GlobalArgs, ServeArgs};
use super::connection::data_dir;
use super::database::database_url;
use super::output::write_stdout;
use crate::server;
use crate::service::ServiceConfig;

pub async fn run(global: &GlobalArgs, args: ServeArgs) -> Result<(), CliError> {
    refuse_plain_http_off_loopback(global, &args)?;
    let data_dir = data_dir(global)?;
    let database = database_url(global)?;
    // Installed before the banner: whoever reads it may signal at once.
    let mut signals = Signals::install()
        .map_err(|e| CliError::Failed(format!("cannot listen for SIGINT/SIGTERM/SIGHUP: {e}")))?;
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
    let options = server::ListenOptions {
        tls: tls_files(&args),
        admin_listen: args.admin_listen,
    };
    let running = server::start_with_options(config, service, options)
        .await
        .map_err(|e| match e {
            // The operator's files, not the server: a usage error (exit 2).
            server::ServerError::Tls(e) => CliError::Usage(e.to_string()),
            e => CliError::Failed(format!(
                "cannot start the server on {} with data dir {}: {e}",
                args.listen,
                data_dir.display()
            )),
        })?;
    // The key file's path, never the key: stdout may end up in a log collector.
    let metrics_line = metrics
        .as_ref()
        .map(|m| format!("metrics: http://{}/metrics\n", m.local_addr()))
        .unwrap_or_default();
    let admin_line = match (running.admin_addr(), running.admin_url()) {
        (Some(addr), Some(url)) => format!("admin API: {url} (on {addr} only)\n"),
        _ => String::new(),
    };
    write_stdout(&format!(
        "oauth-console listening on {} ({})\nissuer: {}\n{admin_line}{metrics_line}admin key file: {}\ndatabase: {}\n",
        running.local_addr(),
        running.base_url(),
        running.issuer(),
        running.admin_key_file().display(),
        location.describe(),
    ))?;
    let signal = loop {
        match signals.next().await {
            Received::Stop(name) => break name,
            Received::Reload => reload_tls(&running),
        }
    };
    tracing::info!(signal, "stopping");
    running.shutdown().await;
    if let Some(metrics) = metrics {
        metrics.shutdown().await;
    }
    tracing::info!("stopped");
    Ok(())
}

/// Plain HTTP beyond this machine would carry admin keys, passwords and tokens in clear
/// text: it needs TLS, or `--insecure-http` (a proxy in front terminates TLS).
fn refuse_plain_http_off_loopback(global: &GlobalArgs, args: &ServeArgs) -> Result<(), CliError> {
    if args.tls_cert.is_some() || global.insecure_http {
        return Ok(());
    }
    let addresses = [
        ("--listen", Some(args.listen)),
        ("--admin-listen", args.admin_listen),
    ];
    for (flag, addr) in addresses {
        if let Some(addr) = addr
            && !addr.ip().is_loopback()
        {
            return Err(CliError::Usage(format!(
                "{flag} {addr}: refusing plain HTTP on an address other than loopback \
                 (admin keys, passwords and tokens would cross the network in clear text); \
                 pass --tls-cert PEM --tls-key PEM, or --insecure-http when a proxy in \
                 front terminates TLS"
            )));
        }
    }
    Ok(())
}

fn tls_files(args: &ServeArgs) -> Option<server::TlsFiles> {
    match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(server::TlsFiles {
            cert: cert.clone(),
            key: key.clone(),
        }),
        // clap makes each flag require the other.
        _ => None,
    }
}

/// SIGHUP: new handshakes get the files' certificate; a bad file keeps the old one.
fn reload_tls(running: &server::RunningServer) {
    let Some(tls) = running.tls() else {
        tracing::info!("SIGHUP received; there is no TLS certificate to reload");
        return;
    };
    match tls.reload() {
        Ok(()) => tracing::info!(
            cert = %tls.files().cert.display(),
            "SIGHUP: reloaded the TLS certificate"
        ),
        Err(e) => tracing::error!(
            error = %e,
            "SIGHUP: the TLS certificate was not reloaded; the previous one stays in use"
        ),
    }
}

/// What a signal asks of the server.
enum Received {
    Stop(&'static str),
    Reload,
}

/// SIGINT and SIGTERM, caught so that the server can stop cleanly, and SIGHUP.
#[cfg(unix)]
struct Signals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
    hangup: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Signals {
    fn install() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
            hangup: signal(SignalKind::hangup())?,
        })
    }

    /// Resolves with the next signal received.
    async fn next(&mut self) -> Received {
        tokio::select! {
            _ = self.interrupt.recv() => Received::Stop("SIGINT"),
            _ = self.terminate.recv() => Received::Stop("SIGTERM"),
            _ = self.hangup.recv() => Received::Reload,
        }
    }
}

#[cfg(not(unix))]
struct Signals;

#[cfg(not(unix))]
impl Signals {
    fn install() -> std::io::Result<Signals> {
        Ok(Signals)
    }

    async fn next(&mut self) -> Received {
        let _ = tokio::signal::ctrl_c().await;
        Received::Stop("Ctrl-C")
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
