//! Guessing is slow here: every password, user code and device authorization goes
//! through a throttle keyed by account and by client address, and password checks
//! wait their turn at a bounded gate. Unknown and known usernames are throttled alike.

use super::password_gate::PasswordGate;
use super::throttle::{RetryAfter, Throttle, ThrottlePolicy};
use crate::service::{Service, ServiceResult};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// What a person sees after a wrong password (or username: which is not said).
pub const WRONG_PASSWORD: &str = "Wrong username or password.";
/// What a person sees when password checks are full.
pub const BUSY: &str = "The server is busy checking other sign-ins. Try again in a few seconds.";
/// Seconds a busy server asks to wait.
pub const BUSY_RETRY_AFTER: i64 = 5;

/// What a person sees when they must wait; the same for every username.
pub fn throttled_message(wait: i64) -> String {
    format!(
        "Too many failed attempts. For your account's safety, wait {} and then try again.",
        super::page_layout::wait_in_words(wait)
    )
}

/// How many keys each throttle remembers at most (a few MB at worst).
const MAX_KEYS: usize = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInLimits {
    /// Wrong passwords per account.
    pub per_account: ThrottlePolicy,
    /// Wrong passwords and wrong user codes per client address.
    pub per_address: ThrottlePolicy,
    /// Device authorizations started per client address (each stores a code).
    pub device_starts: ThrottlePolicy,
    /// Password checks at once; 0 means twice the number of cores.
    pub verify_concurrency: usize,
    /// Password checks waiting for a turn; past that, 503.
    pub verify_queue: usize,
}

impl Default for SignInLimits {
    fn default() -> Self {
        SignInLimits {
            per_account: ThrottlePolicy::SIGN_IN,
            per_address: ThrottlePolicy {
                free_failures: 20,
                ..ThrottlePolicy::SIGN_IN
            },
            device_starts: ThrottlePolicy {
                free_failures: 30,
                ..ThrottlePolicy::SIGN_IN
            },
            verify_concurrency: 0,
            verify_queue: 32,
        }
    }
}

/// The address a request came from (unspecified when served without a socket).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip()),
        ))
    }
}

impl ClientAddr {
    /// IPv6 clients are counted by /64: one host usually holds the whole prefix.
    fn key(self) -> String {
        match self.0 {
            IpAddr::V4(ip) => format!("ip:{ip}"),
            IpAddr::V6(ip) => match ip.to_ipv4_mapped() {
                Some(v4) => format!("ip:{v4}"),
                None => {
                    let s = ip.segments();
                    format!("ip:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
                }
            },
        }
    }
}

fn account_key(username: &str) -> String {
    let name: String = username.trim().chars().take(64).collect();
    format!("user:{}", name.to_lowercase())
}

/// What a sign-in attempt came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignIn {
    SignedIn,
    Wrong,
    /// Too many failures: wait this many seconds.
    Throttled(i64),
    /// Too many password checks at once: come back in a moment.
    Busy,
}

pub struct SignInGuard {
    accounts: Throttle,
    addresses: Throttle,
    device_starts: Throttle,
    gate: PasswordGate,
}

impl SignInGuard {
    pub fn new(limits: SignInLimits) -> SignInGuard {
        SignInGuard {
            accounts: Throttle::new(limits.per_account, MAX_KEYS),
            addresses: Throttle::new(limits.per_address, MAX_KEYS),
            device_starts: Throttle::new(limits.device_starts, MAX_KEYS),
            gate: PasswordGate::new(limits.verify_concurrency, limits.verify_queue),
        }
    }

    /// Checks a password, unless the account or the address must wait first.
    pub async fn sign_in(
        &self,
        service: &Service,
        client: ClientAddr,
        username: &str,
        password: &str,
    ) -> ServiceResult<SignIn> {
        let now = service.now();
        let account = account_key(username);
        let address = client.key();
        if let Err(RetryAfter(wait)) = self.accounts.admit(&[&account], now) {
            return Ok(SignIn::Throttled(wait));
        }
        if let Err(RetryAfter(wait)) = self.addresses.admit(&[&address], now) {
            self.accounts.succeeded(&account, false, now);
            return Ok(SignIn::Throttled(wait));
        }
        let take_back = || {
            self.accounts.succeeded(&account, false, now);
            self.addresses.succeeded(&address, false, now);
        };
        let Ok(_turn) = self.gate.enter().await else {
            take_back();
            return Ok(SignIn::Busy);
        };
        match service.verify_user(username, password).await {
            Ok(true) => {
                self.accounts.succeeded(&account, true, now);
                self.addresses.succeeded(&address, false, now);
                service.record_sign_in(username).await;
                Ok(SignIn::SignedIn)
            }
            Ok(false) => Ok(SignIn::Wrong),
            Err(e) => {
                take_back();
                Err(e)
            }
        }
    }

    /// Admits one user-code lookup from `client`; `found` is told afterwards.
    pub fn admit_user_code(&self, client: ClientAddr, now: i64) -> Result<(), i64> {
        self.addresses
            .admit(&[&client.key()], now)
            .map_err(|RetryAfter(wait)| wait)
    }

    /// The user code looked up was a live one: not a failure.
    pub fn user_code_found(&self, client: ClientAddr, now: i64) {
        self.addresses.succeeded(&client.key(), false, now);
    }

    /// Admits one device authorization from `client`.
    pub fn admit_device_start(&self, client: ClientAddr, now: i64) -> Result<(), i64> {
        self.device_starts
            .admit(&[&client.key()], now)
            .map_err(|RetryAfter(wait)| wait)
    }
}
