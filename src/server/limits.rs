//! The listener's limits: how long a client may take to send a request, how long a
//! connection may sit idle, how many connections are open at once, and how long a
//! shutdown waits for requests in flight. Each is a `serve` flag.

use super::sign_in::SignInLimits;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerLimits {
    /// From the first byte of a request to the end of its headers.
    pub header_timeout: Duration,
    /// From the end of the headers to the end of the body.
    pub body_timeout: Duration,
    /// A connection on which no byte moves for this long is closed: a kept-alive
    /// connection waiting for its next request, or a client that stopped reading.
    pub idle_timeout: Duration,
    /// Connections open at once; further clients wait in the kernel's backlog.
    pub max_connections: usize,
    /// How long a graceful shutdown lets requests in flight finish.
    pub shutdown_grace: Duration,
    /// Throttling of passwords, user codes and device authorizations.
    pub sign_in: SignInLimits,
}

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            max_connections: 10_000,
            shutdown_grace: Duration::from_secs(10),
            sign_in: SignInLimits::default(),
        }
    }
}
