//! The listener against clients that hold connections without using them: a head sent
//! a byte a second, a body that never ends, a thousand sockets that say nothing, and
//! a shutdown with a request still open. Real sockets against a real server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use oauth_console::server::ServerLimits;
use std::time::{Duration, Instant};
use support::TestServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn short_limits() -> ServerLimits {
    ServerLimits {
        header_timeout: Duration::from_secs(2),
        body_timeout: Duration::from_secs(2),
        idle_timeout: Duration::from_secs(4),
        max_connections: 10_000,
        shutdown_grace: Duration::from_secs(1),
        ..ServerLimits::default()
    }
}

/// Writes `bytes` one a second until the server closes the socket; returns how long
/// after the first byte that was, or `None` if every byte went through.
async fn trickle(stream: &mut TcpStream, bytes: &[u8]) -> Option<Duration> {
    let started = Instant::now();
    for byte in bytes {
        if stream.write_all(&[*byte]).await.is_err() {
            return Some(started.elapsed());
        }
        let mut buf = [0u8; 1024];
        // Reading for up to a second doubles as the pause between bytes.
        match tokio::time::timeout(Duration::from_secs(1), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return Some(started.elapsed()),
            Ok(Ok(_)) => {
                // A response (e.g. 408) is fine too, as long as the socket then closes.
                let closed = tokio::time::timeout(Duration::from_secs(1), stream.read(&mut buf))
                    .await
                    .is_ok_and(|r| matches!(r, Ok(0) | Err(_)));
                if closed {
                    return Some(started.elapsed());
                }
            }
            Err(_) => {}
        }
    }
    None
}

#[tokio::test]
async fn a_head_sent_a_byte_a_second_is_cut_off_at_the_header_timeout() {
    let t = TestServer::start_with_limits(short_limits()).await;
    let mut stream = TcpStream::connect(t.server.local_addr()).await.unwrap();
    let head = b"GET /.well-known/oauth-authorization-server HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    let closed_after = trickle(&mut stream, head)
        .await
        .expect("the server closes a slow head");
    eprintln!("slow-loris head closed after {closed_after:?} (header timeout 2 s)");
    assert!(
        closed_after >= Duration::from_millis(1500) && closed_after <= Duration::from_millis(3500),
        "closed after {closed_after:?}"
    );
}

#[tokio::test]
async fn a_body_sent_a_byte_a_second_is_cut_off_at_the_body_timeout() {
    let t = TestServer::start_with_limits(short_limits()).await;
    let mut stream = TcpStream::connect(t.server.local_addr()).await.unwrap();
    stream
        .write_all(
            b"POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\n\
Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\n",
        )
        .await
        .unwrap();
    let closed_after = trickle(&mut stream, &[b'a'; 200])
        .await
        .expect("the server gives up on a slow body");
    // 2 s to the 400; the connection then ends at once or, with the rest of the body
    // still trickling in, at the header timeout after that.
    assert!(
        closed_after <= Duration::from_millis(5000),
        "closed after {closed_after:?}"
    );
}

#[tokio::test]
async fn a_thousand_silent_sockets_do_not_stop_a_real_client_and_are_closed_when_idle() {
    let t = TestServer::start_with_limits(short_limits()).await;
    let addr = t.server.local_addr();
    let mut silent = Vec::new();
    for _ in 0..1000 {
        silent.push(TcpStream::connect(addr).await.unwrap());
    }
    let asked = Instant::now();
    let response = tokio::time::timeout(
        Duration::from_secs(2),
        t.http
            .get(t.url(".well-known/oauth-authorization-server"))
            .send(),
    )
    .await
    .expect("a real client is answered while 1,000 sockets sit open")
    .unwrap();
    assert!(response.status().is_success());
    assert!(
        asked.elapsed() < Duration::from_secs(1),
        "{:?}",
        asked.elapsed()
    );

    // Idle for the idle timeout (4 s): each silent socket is closed by the server.
    let mut first = silent.swap_remove(0);
    let mut buf = [0u8; 16];
    let read = tokio::time::timeout(Duration::from_secs(7), first.read(&mut buf))
        .await
        .expect("an idle socket is closed within the idle timeout");
    assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
    assert!(
        asked.elapsed() >= Duration::from_secs(2),
        "{:?}",
        asked.elapsed()
    );
}

#[tokio::test]
async fn a_kept_alive_connection_serves_again_after_a_pause_shorter_than_the_idle_timeout() {
    let t = TestServer::start_with_limits(short_limits()).await;
    let mut stream = TcpStream::connect(t.server.local_addr()).await.unwrap();
    let request =
        b"GET /.well-known/oauth-authorization-server HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    let mut buf = vec![0u8; 4096];
    stream.write_all(request).await.unwrap();
    let n = stream.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    // Longer than the header timeout, shorter than the idle timeout.
    tokio::time::sleep(Duration::from_secs(3)).await;
    stream.write_all(request).await.unwrap();
    let n = stream.read(&mut buf).await.unwrap();
    assert!(
        String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&buf[..n])
    );
}

#[tokio::test]
async fn shutdown_with_a_request_stuck_open_ends_within_the_grace_period() {
    let t = TestServer::start_with_limits(ServerLimits {
        body_timeout: Duration::from_secs(60),
        ..short_limits()
    })
    .await;
    let mut stream = TcpStream::connect(t.server.local_addr()).await.unwrap();
    stream
        .write_all(
            b"POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\n\
Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 50\r\n\r\nab",
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let stopping = Instant::now();
    t.server.shutdown().await;
    // Grace 1 s, plus the margin the caller allows the serving task.
    assert!(
        stopping.elapsed() < Duration::from_millis(2500),
        "{:?}",
        stopping.elapsed()
    );
    let mut buf = [0u8; 64];
    let read = tokio::time::timeout(Duration::from_secs(2), stream.read(&mut buf)).await;
    assert!(
        read.is_ok(),
        "the stuck connection is closed by the shutdown"
    );
}
