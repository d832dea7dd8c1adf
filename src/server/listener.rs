//! The accept loop: hyper's HTTP/1 server with a timer, each connection watched for
//! slow heads and idleness, each body bounded in time, at most `max_connections` open
//! at once, and a shutdown that drains requests in flight within a bound. With TLS,
//! the handshake happens inside the same bounds: it holds a connection permit and
//! must finish within the header timeout.
//!
//! `axum::serve` gives hyper no timer and no limits; a client that sends half a head
//! would hold its connection for as long as it liked.

use super::body_deadline::DeadlineBody;
use super::connection_watch::{ConnectionClock, WatchedIo};
use super::limits::ServerLimits;
use super::tls::ServerTls;
use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot, watch};
use tokio::task::JoinSet;
use tower::ServiceExt;

/// Pause after an accept error that is not about one connection (e.g. out of file
/// descriptors), so the loop does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Serves `app` on `listener` until `stop` fires (or its sender is dropped); over TLS
/// when `tls` is given.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ServerLimits,
    tls: Option<ServerTls>,
    mut stop: oneshot::Receiver<()>,
) -> std::io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (closing, closing_rx) = watch::channel(false);
    let mut connections = JoinSet::new();
    loop {
        let permit = tokio::select! {
            biased;
            _ = &mut stop => break,
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
        };
        let (stream, peer) = tokio::select! {
            biased;
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) if is_connection_error(&e) => continue,
                Err(e) => {
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
        };
        while connections.try_join_next().is_some() {}
        connections.spawn(accept_connection(
            stream,
            peer,
            app.clone(),
            limits,
            tls.clone(),
            closing_rx.clone(),
            permit,
        ));
    }
    drop(listener);
    let _ = closing.send(true);
    let drained = tokio::time::timeout(limits.shutdown_grace, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            open = connections.len(),
            "requests still open after the shutdown grace period; closing them"
        );
        connections.abort_all();
    }
    Ok(())
}

fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    )
}

/// Marks a request finished when its handling ends, however it ends.
struct Finished(Arc<ConnectionClock>);

impl Drop for Finished {
    fn drop(&mut self) {
        self.0.request_finished();
    }
}

/// Completes the TLS handshake, if any, then serves the connection. The permit is
/// held from the accept on, so handshakes count against the connection cap.
async fn accept_connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    limits: ServerLimits,
    tls: Option<ServerTls>,
    mut closing: watch::Receiver<bool>,
    _permit: OwnedSemaphorePermit,
) {
    let _ = stream.set_nodelay(true);
    let Some(tls) = tls else {
        return serve_connection(stream, peer, app, limits, closing).await;
    };
    let handshake = tokio::time::timeout(limits.header_timeout, tls.acceptor().accept(stream));
    let stream = tokio::select! {
        shaken = handshake => match shaken {
            Ok(Ok(stream)) => stream,
            Ok(Err(e)) => {
                tracing::debug!(error = %e, %peer, "TLS handshake failed");
                return;
            }
            Err(_) => {
                tracing::debug!(%peer, "closing a connection whose TLS handshake took too long");
                return;
            }
        },
        // A shutdown does not wait for handshakes: no request has started on them.
        _ = closing.changed() => return,
    };
    serve_connection(stream, peer, app, limits, closing).await;
}

async fn serve_connection<S>(
    stream: S,
    peer: SocketAddr,
    app: Router,
    limits: ServerLimits,
    mut closing: watch::Receiver<bool>,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let clock = ConnectionClock::new();
    let io = TokioIo::new(WatchedIo::new(stream, clock.clone()));
    let requests = clock.clone();
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        requests.request_started();
        let finished = Finished(requests.clone());
        let mut request = request.map(|body| DeadlineBody::new(body, limits.body_timeout));
        request.extensions_mut().insert(ConnectInfo(peer));
        let app = app.clone();
        async move {
            let response = app.oneshot(request).await;
            drop(finished);
            response
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    // hyper's own head timer counts from when the connection is ready for a request,
    // idle time included: a backstop behind the watch below, which counts precisely.
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout + limits.idle_timeout)
        .keep_alive(true);
    let connection = builder.serve_connection(io, service);
    tokio::pin!(connection);
    let mut draining = false;
    loop {
        tokio::select! {
            served = connection.as_mut() => {
                if let Err(e) = served {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                return;
            }
            expired = clock.expired(limits.header_timeout, limits.idle_timeout) => {
                tracing::debug!(?expired, %peer, "closing a connection that broke a timeout");
                return;
            }
            _ = closing.changed(), if !draining => {
                draining = true;
                connection.as_mut().graceful_shutdown();
            }
        }
    }
}
