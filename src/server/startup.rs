//! Starting and stopping the server: data dir, store, first admin key, listener,
//! graceful shutdown.

use super::admin_key_file::ensure_admin_key;
use super::admin_listener::AdminListener;
use super::limits::ServerLimits;
use super::sign_in::SignInGuard;
use super::state::AppState;
use super::tls::{ServerTls, TlsError, TlsFiles};
use crate::domain::Issuer;
use crate::service::{Service, ServiceConfig, ServiceError, SystemClock};
use crate::store::{PurgeCounts, Store, StoreError, StoreLocation};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use url::Url;

const DATABASE_FILE: &str = "oauth-console.db";
const ADMIN_KEY_FILE: &str = "admin.key";
/// How much longer than the drain itself a shutdown waits for the serving task.
const SHUTDOWN_MARGIN: Duration = Duration::from_secs(1);

#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// The public issuer URL when behind a proxy, exactly as the metadata will state
    /// it; the listening address otherwise.
    pub issuer: Option<Issuer>,
    /// `postgres://…` or `sqlite:PATH`; `None` is the SQLite file in the data dir.
    pub database: Option<String>,
    /// Timeouts, the connection cap and the shutdown grace period.
    pub limits: ServerLimits,
}

/// How a server is exposed beyond its one plain-HTTP listener: TLS, and a separate
/// address for the admin API. The default is neither (the embedded server, tests).
#[derive(Debug, Clone, Default)]
pub struct ListenOptions {
    /// Serve HTTPS with this certificate and key (reloadable, see `RunningServer::tls`).
    pub tls: Option<TlsFiles>,
    /// Serve the admin API (and `/metrics`) here only; the public listener then answers
    /// 404 under `/admin/`.
    pub admin_listen: Option<SocketAddr>,
}

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("database: {0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Service(#[from] ServiceError),
    #[error("admin key file {path}: {reason}")]
    AdminKey { path: PathBuf, reason: String },
    #[error("server task failed: {0}")]
    Task(String),
    #[error(transparent)]
    Tls(#[from] TlsError),
}

pub(super) fn io_error(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> ServerError {
    let context = context.into();
    move |source| ServerError::Io { context, source }
}

/// A server that is accepting connections.
pub struct RunningServer {
    local_addr: SocketAddr,
    base_url: Url,
    issuer: Issuer,
    admin_key_file: PathBuf,
    service: Service,
    tls: Option<ServerTls>,
    /// The admin API's own listener, with `--admin-listen`.
    admin: Option<AdminListener>,
    shutdown_grace: Duration,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
    /// The cleanup task, stopped with the server.
    cleanup: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for RunningServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningServer")
            .field("local_addr", &self.local_addr)
            .field("issuer", &self.issuer.as_str())
            .finish_non_exhaustive()
    }
}

impl RunningServer {
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// `http://127.0.0.1:PORT/`: where this process can reach the server.
    pub fn base_url(&self) -> Url {
        self.base_url.clone()
    }

    /// The issuer identifier, equal to the metadata's `issuer`.
    pub fn issuer(&self) -> &Issuer {
        &self.issuer
    }

    pub fn admin_key_file(&self) -> &Path {
        &self.admin_key_file
    }

    /// Where the admin API is served when it has its own listener.
    pub fn admin_addr(&self) -> Option<SocketAddr> {
        self.admin.as_ref().map(AdminListener::local_addr)
    }

    /// The admin listener's URL as this process reaches it, when there is one.
    pub fn admin_url(&self) -> Option<Url> {
        let scheme = self.base_url.scheme();
        self.admin_addr()
            .and_then(|addr| reachable_url(addr, scheme).ok())
    }

    /// The listener's TLS, when it has some: `reload()` it to pick up new files.
    pub fn tls(&self) -> Option<&ServerTls> {
        self.tls.as_ref()
    }

    /// Creates another admin key (e.g. a read-only one); the key is returned once.
    pub async fn create_admin_key(
        &self,
        name: &str,
        read_only: bool,
    ) -> Result<String, ServerError> {
        let (key, _) = self.service.create_admin_key(name, read_only).await?;
        Ok(key)
    }

    /// Revokes an admin key made with `create_admin_key` (e.g. a CLI session's own).
    pub async fn revoke_admin_key(&self, name: &str) -> Result<(), ServerError> {
        Ok(self.service.revoke_admin_key_locally(name).await?)
    }

    /// Runs one cleanup pass now, as the background task does every interval.
    pub async fn clean_up(&self) -> Result<PurgeCounts, ServerError> {
        Ok(self.service.clean_up().await?)
    }

    /// Stops accepting connections, lets open requests finish, and returns.
    pub async fn shutdown(mut self) {
        if let Some(cleanup) = self.cleanup.take() {
            cleanup.abort();
        }
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let bound = self.shutdown_grace + SHUTDOWN_MARGIN;
        // Both listeners drain at once.
        let admin = self.admin.take();
        let admin_stopped = async move {
            if let Some(admin) = admin {
                admin.shutdown(bound).await;
            }
        };
        let public_stopped = async {
            match tokio::time::timeout(bound, &mut self.task).await {
                Ok(Ok(Ok(()))) => tracing::info!("server stopped"),
                Ok(Ok(Err(e))) => tracing::error!(error = %e, "server stopped with an error"),
                Ok(Err(e)) => tracing::error!(error = %e, "server task failed"),
                Err(_) => {
                    tracing::warn!("open requests did not finish in time; stopping anyway");
                    self.task.abort();
                }
            }
        };
        tokio::join!(public_stopped, admin_stopped);
    }

    /// Serves until the server stops, or until Ctrl-C / SIGTERM, which stop it gracefully.
    pub async fn wait(mut self) -> Result<(), ServerError> {
        tokio::select! {
            result = &mut self.task => {
                return result
                    .map_err(|e| ServerError::Task(e.to_string()))?
                    .map_err(io_error("serving"));
            }
            () = termination_signal() => {
                tracing::info!("stop signal received");
            }
        }
        self.shutdown().await;
        Ok(())
    }
}

async fn termination_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn reachable_url(addr: SocketAddr, scheme: &str) -> Result<Url, ServerError> {
    // A wildcard listener is reached through loopback from this process.
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    let text = format!("{scheme}://{}/", SocketAddr::new(ip, addr.port()));
    Url::parse(&text).map_err(|e| ServerError::Task(format!("bad listen address {text}: {e}")))
}

/// Creates the data dir, opens the store (`config.database`, else
/// `<data_dir>/oauth-console.db`), makes the first admin key if the store has none,
/// binds and serves.
pub async fn start(config: ServerConfig) -> Result<RunningServer, ServerError> {
    start_with_service_config(config, ServiceConfig::default()).await
}

/// `start` with the server's own lifetimes, retention and cleanup (`serve`'s flags).
pub async fn start_with_service_config(
    config: ServerConfig,
    service_config: ServiceConfig,
) -> Result<RunningServer, ServerError> {
    start_with_options(config, service_config, ListenOptions::default()).await
}

/// `start_with_service_config`, exposed as `options` say (`serve`'s TLS and admin
/// listener flags).
pub async fn start_with_options(
    config: ServerConfig,
    service_config: ServiceConfig,
    options: ListenOptions,
) -> Result<RunningServer, ServerError> {
    // The certificate first: a bad file should stop the start before anything is made.
    let tls = options.tls.clone().map(ServerTls::load).transpose()?;
    let dir = config.data_dir.clone();
    tokio::task::spawn_blocking(move || create_data_dir(&dir))
        .await
        .map_err(|e| ServerError::Task(e.to_string()))??;
    let store = store_location(&config)?.open().await?;
    let service = Service::new(store, service_config, Arc::new(SystemClock));
    serve_service(config, service, tls, options.admin_listen).await
}

/// Where `start` finds its store.
pub fn store_location(config: &ServerConfig) -> Result<StoreLocation, ServerError> {
    Ok(match &config.database {
        Some(url) => StoreLocation::parse(url)?,
        None => StoreLocation::Sqlite(config.data_dir.join(DATABASE_FILE)),
    })
}

fn create_data_dir(dir: &Path) -> Result<(), ServerError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(io_error(format!("creating data dir {}", dir.display())))
}

/// `start` over a store the caller opened (the data dir is still where the admin key goes).
pub async fn start_with_store(
    config: ServerConfig,
    store: Arc<dyn Store>,
) -> Result<RunningServer, ServerError> {
    start_with_service(config, Service::with_defaults(store)).await
}

/// `start` with a service the caller built: its own lifetimes, grace periods or clock
/// (tests move a clock by hand). The data dir must exist; the admin key goes there.
pub async fn start_with_service(
    config: ServerConfig,
    service: Service,
) -> Result<RunningServer, ServerError> {
    serve_service(config, service, None, None).await
}

async fn bind(addr: SocketAddr) -> Result<(tokio::net::TcpListener, SocketAddr), ServerError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(io_error(format!("listening on {addr}")))?;
    let local_addr = listener
        .local_addr()
        .map_err(io_error("reading the bound address"))?;
    Ok((listener, local_addr))
}

async fn serve_service(
    config: ServerConfig,
    service: Service,
    tls: Option<ServerTls>,
    admin_listen: Option<SocketAddr>,
) -> Result<RunningServer, ServerError> {
    let admin_key_file = config.data_dir.join(ADMIN_KEY_FILE);
    ensure_admin_key(&service, &admin_key_file).await?;

    let (listener, local_addr) = bind(config.listen).await?;
    // Bound before anything serves, so that a taken address fails the start whole.
    let admin_bound = match admin_listen {
        Some(addr) => Some(bind(addr).await?),
        None => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let base_url = reachable_url(local_addr, scheme)?;
    let issuer = config
        .issuer
        .clone()
        .unwrap_or_else(|| Issuer::from(base_url.clone()));

    let state = AppState {
        service: service.clone(),
        sign_in: Arc::new(SignInGuard::new(config.limits.sign_in)),
        secure_cookies: issuer.url().scheme() == "https",
        issuer: Arc::new(issuer.clone()),
    };
    let limits = config.limits;
    let (app, admin) = match admin_bound {
        None => (super::router(state), None),
        Some((admin_listener, admin_addr)) => {
            let metrics = match super::metrics::install() {
                Ok(handle) => Some(handle),
                Err(e) => {
                    tracing::warn!(error = %e, "no /metrics on the admin listener");
                    None
                }
            };
            let admin_app = super::admin_router(state.clone(), metrics.clone());
            let admin = AdminListener::start(
                admin_listener,
                admin_addr,
                admin_app,
                limits,
                tls.clone(),
                metrics,
            );
            (super::public_router(state), Some(admin))
        }
    };
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(super::listener::serve(
        listener,
        app,
        limits,
        tls.clone(),
        stopped,
    ));
    let cleanup = spawn_cleanup(&service);
    tracing::info!(addr = %local_addr, issuer = %issuer, "oauth-console server listening");
    Ok(RunningServer {
        local_addr,
        base_url,
        issuer,
        admin_key_file,
        service,
        tls,
        admin,
        shutdown_grace: limits.shutdown_grace,
        stop: Some(stop),
        task,
        cleanup,
    })
}

/// Runs the cleanup every `cleanup_interval` seconds (first after one interval), for
/// as long as the server runs.
fn spawn_cleanup(service: &Service) -> Option<JoinHandle<()>> {
    let seconds = service.config().cleanup_interval?;
    let every = Duration::from_secs(u64::try_from(seconds.max(1)).unwrap_or(1));
    let service = service.clone();
    Some(tokio::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(e) = service.clean_up().await {
                tracing::warn!(error = %e, "cleanup failed; trying again at the next interval");
            }
        }
    }))
}
