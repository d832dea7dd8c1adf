//! Watches one connection for the two ways a client can hold it without using it:
//! sending a request head slowly (the header timeout runs from the head's first byte)
//! and letting nothing move at all (the idle timeout, which also ends kept-alive
//! connections between requests and clients that stop reading a response).
//!
//! The watch is told nothing when a head begins: it never sleeps longer than the
//! header timeout while no head is being read, so a head that begins while it sleeps
//! expires no earlier than it wakes, and it then sleeps exactly until that head's
//! deadline. A busy connection costs one timer per header timeout, not one per request.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Instant;

/// No request head is being read.
const NO_HEAD: u64 = u64::MAX;

/// Why the watch closed a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expired {
    /// A request head took longer than the header timeout.
    Header,
    /// Nothing moved for the idle timeout.
    Idle,
}

/// What the I/O and the request path record, and the watch reads.
pub struct ConnectionClock {
    opened: Instant,
    /// Milliseconds since `opened` of the last byte read or written.
    last_activity: AtomicU64,
    /// Milliseconds since `opened` of the first byte of the head being read.
    head_started: AtomicU64,
    in_flight: AtomicUsize,
}

impl ConnectionClock {
    pub fn new() -> Arc<ConnectionClock> {
        Arc::new(ConnectionClock {
            opened: Instant::now(),
            last_activity: AtomicU64::new(0),
            head_started: AtomicU64::new(NO_HEAD),
            in_flight: AtomicUsize::new(0),
        })
    }

    fn elapsed_ms(&self) -> u64 {
        u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX - 1)
    }

    fn at(&self, ms: u64) -> Instant {
        self.opened + Duration::from_millis(ms)
    }

    fn read_some(&self) {
        let now = self.elapsed_ms();
        self.last_activity.store(now, Ordering::Relaxed);
        if self.in_flight.load(Ordering::Acquire) == 0 {
            // The first byte of a head starts its clock; later bytes do not move it.
            let _ = self.head_started.compare_exchange(
                NO_HEAD,
                now,
                Ordering::AcqRel,
                Ordering::Relaxed,
            );
        }
    }

    fn wrote_some(&self) {
        self.last_activity
            .store(self.elapsed_ms(), Ordering::Relaxed);
    }

    /// A complete head arrived: the header clock stops until the response is out.
    pub fn request_started(&self) {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        self.head_started.store(NO_HEAD, Ordering::Release);
    }

    pub fn request_finished(&self) {
        self.in_flight.fetch_sub(1, Ordering::AcqRel);
        self.last_activity
            .store(self.elapsed_ms(), Ordering::Relaxed);
    }

    /// Resolves when the connection has broken one of its timeouts.
    pub async fn expired(&self, header_timeout: Duration, idle_timeout: Duration) -> Expired {
        loop {
            let idle_at = self.at(self.last_activity.load(Ordering::Relaxed)) + idle_timeout;
            let head = self.head_started.load(Ordering::Acquire);
            // No head yet: any that begins from now on expires after `now + header_timeout`.
            let header_at = if head == NO_HEAD {
                Instant::now() + header_timeout
            } else {
                self.at(head) + header_timeout
            };
            tokio::time::sleep_until(header_at.min(idle_at)).await;
            let now = Instant::now();
            let head = self.head_started.load(Ordering::Acquire);
            if head != NO_HEAD && now >= self.at(head) + header_timeout {
                return Expired::Header;
            }
            let last = self.last_activity.load(Ordering::Relaxed);
            if now >= self.at(last) + idle_timeout {
                return Expired::Idle;
            }
        }
    }
}

/// A stream that tells its clock when bytes move.
pub struct WatchedIo<S> {
    inner: S,
    clock: Arc<ConnectionClock>,
}

impl<S> WatchedIo<S> {
    pub fn new(inner: S, clock: Arc<ConnectionClock>) -> WatchedIo<S> {
        WatchedIo { inner, clock }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for WatchedIo<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.clock.read_some();
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for WatchedIo<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.clock.wrote_some();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.clock.wrote_some();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_head_begun_and_not_finished_expires_at_the_header_timeout_from_its_first_byte() {
        let clock = ConnectionClock::new();
        let watch = {
            let clock = clock.clone();
            tokio::spawn(async move {
                clock
                    .expired(Duration::from_millis(300), Duration::from_secs(30))
                    .await
            })
        };
        // Quiet for longer than the header timeout: that is idleness, not a slow head.
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(!watch.is_finished());
        let first_byte = Instant::now();
        clock.read_some();
        let trickle = {
            let clock = clock.clone();
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    clock.read_some();
                }
            })
        };
        assert_eq!(watch.await.unwrap(), Expired::Header);
        trickle.abort();
        let took = first_byte.elapsed();
        assert!(
            took >= Duration::from_millis(280) && took < Duration::from_millis(800),
            "{took:?}"
        );
    }

    #[tokio::test]
    async fn a_request_in_flight_stops_the_header_clock_and_idleness_ends_the_connection() {
        let clock = ConnectionClock::new();
        clock.read_some();
        clock.request_started();
        let begun = Instant::now();
        let expired = clock
            .expired(Duration::from_millis(100), Duration::from_millis(400))
            .await;
        assert_eq!(expired, Expired::Idle);
        assert!(begun.elapsed() >= Duration::from_millis(350));
    }
}
