//! The admin listener (`serve --admin-listen ADDR`): the admin API and `/metrics` on
//! an address of their own, so that they can stay on a private network while the OAuth
//! endpoints face the internet. Same limits and TLS as the public listener.

use super::limits::ServerLimits;
use super::tls::ServerTls;
use axum::Router;
use metrics_exporter_prometheus::PrometheusHandle;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running admin listener; `shutdown` stops it.
pub struct AdminListener {
    local_addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
    upkeep: Option<JoinHandle<()>>,
}

impl AdminListener {
    /// Serves `app` on the bound `listener`; keeps `metrics`' histograms folded.
    pub fn start(
        listener: TcpListener,
        local_addr: SocketAddr,
        app: Router,
        limits: ServerLimits,
        tls: Option<ServerTls>,
        metrics: Option<PrometheusHandle>,
    ) -> AdminListener {
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(super::listener::serve(listener, app, limits, tls, stopped));
        let upkeep =
            metrics.map(|handle| tokio::spawn(super::metrics_listener::run_upkeep(handle)));
        tracing::info!(addr = %local_addr, "admin API listening");
        AdminListener {
            local_addr,
            stop: Some(stop),
            task,
            upkeep,
        }
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Stops accepting, lets open requests finish within `bound`, then closes them.
    pub async fn shutdown(mut self, bound: Duration) {
        if let Some(upkeep) = self.upkeep.take() {
            upkeep.abort();
        }
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if tokio::time::timeout(bound, &mut self.task).await.is_err() {
            tracing::warn!("admin requests did not finish in time; stopping anyway");
            self.task.abort();
        }
    }
}
