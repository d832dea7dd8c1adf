//! Prometheus metrics: what the server counts, and the recorder that keeps the counts.
//!
//! Recording goes through the `metrics` facade, so it costs next to nothing until
//! `install` puts a recorder in place (only `serve --metrics-listen` does). The names
//! are the contract with dashboards: change them only with care.
//!
//! Other parts of the server count through the small functions here
//! (`record_token_issued`, `record_sign_in_throttled`, …) rather than naming metrics
//! themselves, so that every name and label lives in this one file.

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Duration;

/// Requests answered, by endpoint (the route pattern), method and status code.
pub const HTTP_REQUESTS: &str = "oauth_console_http_requests_total";
/// Time from a request's arrival to its response head, by endpoint and method.
pub const HTTP_DURATION: &str = "oauth_console_http_request_duration_seconds";
/// Token responses issued, by grant type (`implicit` counts the tokens the
/// authorization endpoint hands out in a redirect).
pub const TOKENS_ISSUED: &str = "oauth_console_tokens_issued_total";
/// Token inserts that shared one database commit (PostgreSQL group commit; the store
/// records it).
pub const STORE_BATCH_SIZE: &str = crate::store::postgres::COMMIT_BATCH_SIZE_METRIC;
/// PostgreSQL pool use (sampled by the store).
pub use crate::store::postgres::{POOL_IN_USE_METRIC, POOL_OPEN_METRIC, POOL_WAITING_METRIC};
/// Writes the SQLite writer committed together in one transaction (its group commit).
pub const SQLITE_COMMIT_WRITES: &str = crate::store::sqlite::COMMIT_WRITES_METRIC;
/// Sign-in attempts refused because too many failed before.
pub const SIGN_INS_THROTTLED: &str = "oauth_console_sign_ins_throttled_total";

/// The endpoint label of a request no route matched: raw paths would let anyone grow
/// the label set without bound.
const UNMATCHED: &str = "unmatched";

/// Upper bounds of the latency buckets, in seconds: a token request takes a few
/// milliseconds; sign-in (argon2) some hundreds.
const LATENCY_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];
const BATCH_BUCKETS: [f64; 9] = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0];

#[derive(Debug, thiserror::Error)]
#[error("cannot install the metrics recorder: {0}")]
pub struct MetricsError(String);

static HANDLE: OnceLock<Result<PrometheusHandle, String>> = OnceLock::new();

/// Installs the process-wide Prometheus recorder (once; later calls return the same
/// handle). From then on, everything recorded here shows in `handle.render()`.
pub fn install() -> Result<PrometheusHandle, MetricsError> {
    HANDLE
        .get_or_init(build_and_install)
        .clone()
        .map_err(MetricsError)
}

fn build_and_install() -> Result<PrometheusHandle, String> {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full(HTTP_DURATION.into()), &LATENCY_BUCKETS)
        .and_then(|b| {
            b.set_buckets_for_metric(Matcher::Full(STORE_BATCH_SIZE.into()), &BATCH_BUCKETS)
        })
        .and_then(|b| {
            b.set_buckets_for_metric(Matcher::Full(SQLITE_COMMIT_WRITES.into()), &BATCH_BUCKETS)
        })
        .and_then(PrometheusBuilder::install_recorder)
        .map_err(|e| e.to_string())?;
    describe();
    // Shown at zero from the start, so that a dashboard's query finds the series
    // before the first event.
    metrics::counter!(SIGN_INS_THROTTLED).absolute(0);
    Ok(handle)
}

fn describe() {
    use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_counter!(
        HTTP_REQUESTS,
        "HTTP requests answered, by endpoint (route pattern), method and status"
    );
    describe_histogram!(
        HTTP_DURATION,
        Unit::Seconds,
        "Time to answer an HTTP request, by endpoint and method"
    );
    describe_counter!(TOKENS_ISSUED, "Token responses issued, by grant type");
    describe_histogram!(
        STORE_BATCH_SIZE,
        "Token inserts committed together in one database transaction"
    );
    describe_histogram!(
        SQLITE_COMMIT_WRITES,
        "Writes the SQLite writer committed together in one transaction"
    );
    describe_gauge!(POOL_IN_USE_METRIC, "PostgreSQL connections lent out");
    describe_gauge!(POOL_OPEN_METRIC, "PostgreSQL connections open");
    describe_gauge!(
        POOL_WAITING_METRIC,
        "Callers waiting for a PostgreSQL connection"
    );
    describe_counter!(
        SIGN_INS_THROTTLED,
        "Sign-in attempts refused because of too many recent failures"
    );
}

/// Whether a recorder is installed: without one, nothing is worth building labels for.
pub fn recording() -> bool {
    HANDLE.get().is_some_and(Result::is_ok)
}

/// Counts one answered request and its duration, labelled by the route that matched
/// (`/admin/v1/apps/{client_id}`, never the client ID itself; `None` when no route did).
pub fn record_request(endpoint: Option<&str>, method: &str, status: u16, took: Duration) {
    let endpoint = endpoint.unwrap_or(UNMATCHED).to_string();
    let method = method.to_string();
    metrics::histogram!(HTTP_DURATION, "endpoint" => endpoint.clone(), "method" => method.clone())
        .record(took.as_secs_f64());
    metrics::counter!(HTTP_REQUESTS, "endpoint" => endpoint, "method" => method, "status" => status.to_string())
        .increment(1);
}

/// One token response issued with `grant` (`client_credentials`, `device_code`, …).
pub fn record_token_issued(grant: &'static str) {
    metrics::counter!(TOKENS_ISSUED, "grant" => grant).increment(1);
}

/// One sign-in attempt (password or device user code) refused by the throttle.
pub fn record_sign_in_throttled() {
    metrics::counter!(SIGN_INS_THROTTLED).increment(1);
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn installing_twice_gives_the_same_recorder() {
        install().unwrap();
        record_sign_in_throttled();
        let second = install().unwrap();
        let text = second.render();
        assert!(
            text.contains(&format!("{SIGN_INS_THROTTLED} ")),
            "the second handle sees what the first recorder counted: {text}"
        );
    }
}
