//! The metrics listener (`serve --metrics-listen ADDR`): `GET /metrics` in the
//! Prometheus text format, on its own address so that it can stay on a private
//! network while the OAuth endpoints face the internet.

use super::metrics::{self, MetricsError};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::PrometheusHandle;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How often histograms are folded so that their memory stays bounded between scrapes.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);
/// The Prometheus text exposition format.
const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

#[derive(Debug, thiserror::Error)]
pub enum MetricsListenError {
    #[error(transparent)]
    Recorder(#[from] MetricsError),
    #[error("cannot listen for metrics on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
}

/// A running metrics listener; `shutdown` stops it.
pub struct MetricsListener {
    local_addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
    upkeep: JoinHandle<()>,
}

impl MetricsListener {
    /// Installs the recorder and serves `/metrics` on `addr` (port 0 picks one).
    pub async fn start(addr: SocketAddr) -> Result<MetricsListener, MetricsListenError> {
        let handle = metrics::install()?;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| MetricsListenError::Bind { addr, source })?;
        let local_addr = listener
            .local_addr()
            .map_err(|source| MetricsListenError::Bind { addr, source })?;
        let upkeep = tokio::spawn(run_upkeep(handle.clone()));
        let app = metrics_routes(handle);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await;
            if let Err(e) = served {
                tracing::error!(error = %e, "the metrics listener stopped");
            }
        });
        tracing::info!(addr = %local_addr, "metrics listening");
        Ok(MetricsListener {
            local_addr,
            stop: Some(stop),
            task,
            upkeep,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Stops accepting scrapes and waits for the one in progress.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.upkeep.abort();
        let _ = tokio::time::timeout(Duration::from_secs(5), &mut self.task).await;
    }
}

/// `GET /metrics` over `handle`, for this listener or the admin listener.
pub(super) fn metrics_routes(handle: PrometheusHandle) -> Router {
    Router::new()
        .route("/metrics", get(render))
        .with_state(handle)
}

async fn render(State(handle): State<PrometheusHandle>) -> Response {
    let mut response = handle.render().into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    response
}

pub(super) async fn run_upkeep(handle: PrometheusHandle) {
    let mut every = tokio::time::interval(UPKEEP_EVERY);
    loop {
        every.tick().await;
        handle.run_upkeep();
    }
}
