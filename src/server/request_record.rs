//! What every request leaves behind: its count and duration in the metrics (when a
//! recorder is installed, i.e. `serve --metrics-listen`), and at DEBUG a span naming
//! its method and path, around everything logged while it is served, and one line
//! with its status and duration. Only the method and path are recorded: query strings
//! and bodies can hold codes, tokens and secrets.
//!
//! One small layer rather than axum's `from_fn` and tower-http's `TraceLayer`: those
//! cloned the route's boxed service and wrapped the response body on every request,
//! which the throughput bench measured at ~15 % of a cheap request's CPU. Here a
//! request pays for what is switched on, and one boxed future.

use super::metrics;
use axum::extract::{MatchedPath, Request};
use axum::response::Response;
use futures::future::BoxFuture;
use std::task::{Context, Poll};
use tokio::time::Instant;
use tower::{Layer, Service};
use tracing::Instrument;

#[derive(Clone, Copy, Default)]
pub struct RequestRecordLayer;

impl<S> Layer<S> for RequestRecordLayer {
    type Service = RequestRecord<S>;

    fn layer(&self, inner: S) -> RequestRecord<S> {
        RequestRecord { inner }
    }
}

#[derive(Clone)]
pub struct RequestRecord<S> {
    inner: S,
}

impl<S> Service<Request> for RequestRecord<S>
where
    S: Service<Request, Response = Response>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Response, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let counted = metrics::recording();
        let logged = tracing::enabled!(tracing::Level::DEBUG);
        if !counted && !logged {
            return Box::pin(self.inner.call(request));
        }
        let endpoint = request.extensions().get::<MatchedPath>().cloned();
        let method = request.method().clone();
        let span = tracing::debug_span!("request", method = %method, path = %request.uri().path());
        let started = Instant::now();
        let answered = self.inner.call(request).instrument(span.clone());
        Box::pin(async move {
            let response = answered.await?;
            let took = started.elapsed();
            let status = response.status().as_u16();
            if counted {
                let endpoint = endpoint.as_ref().map(MatchedPath::as_str);
                metrics::record_request(endpoint, method.as_str(), status, took);
            }
            span.in_scope(|| {
                tracing::debug!(
                    status,
                    latency_ms = took.as_secs_f64() * 1e3,
                    "request answered"
                );
            });
            Ok(response)
        })
    }
}
