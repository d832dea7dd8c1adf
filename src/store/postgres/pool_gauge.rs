//! Pool use as Prometheus gauges, sampled once a second while the pool lives: how
//! many connections are lent out, how many are open, and how many callers wait.

use deadpool_postgres::Pool;
use std::time::Duration;

/// Connections lent out to requests right now.
pub const POOL_IN_USE_METRIC: &str = "oauth_console_store_pool_connections_in_use";
/// Connections open (lent out or idle).
pub const POOL_OPEN_METRIC: &str = "oauth_console_store_pool_connections_open";
/// Callers waiting for a connection: above zero, the pool is the bottleneck.
pub const POOL_WAITING_METRIC: &str = "oauth_console_store_pool_waiting";

const EVERY: Duration = Duration::from_secs(1);

/// Samples `pool` until it is dropped (a weak reference does not keep it alive).
pub(super) fn start(pool: &Pool) {
    let weak = pool.weak();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(EVERY);
        loop {
            every.tick().await;
            let Some(pool) = weak.upgrade() else {
                break;
            };
            let status = pool.status();
            metrics::gauge!(POOL_IN_USE_METRIC)
                .set(status.size.saturating_sub(status.available) as f64);
            metrics::gauge!(POOL_OPEN_METRIC).set(status.size as f64);
            metrics::gauge!(POOL_WAITING_METRIC).set(status.waiting as f64);
        }
    });
}
