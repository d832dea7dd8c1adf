//! Server throughput: client_credentials tokens/s and introspections/s of the real
//! server (in-process, temp data dir), beside the HTTP floor of a trivial axum handler
//! measured with the same client in the same process.
//!
//! `cargo bench --bench server_throughput [-- --connections N --seconds S]`
//! (or `BENCH_CONNECTIONS`, `BENCH_SECONDS`). Defaults: 64 connections, 5 s per case.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::Router;
use axum::routing::post;
use oauth_console::api::AdminClient;
use oauth_console::domain::{AppDraft, GrantType, Platform, Scope};
use oauth_console::server::{ServerConfig, read_admin_key, start};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Targets from the issue, and what Ory Hydra was measured at.
const TARGET_TOKENS: f64 = 20_000.0;
const TARGET_INTROSPECTIONS: f64 = 40_000.0;

struct Settings {
    connections: usize,
    duration: Duration,
    warm_up: Duration,
}

impl Settings {
    /// Flags win over the environment; unknown arguments (cargo passes `--bench`) are ignored.
    fn from_args_and_env() -> Settings {
        let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
        let mut connections = env("BENCH_CONNECTIONS").unwrap_or(64);
        let mut seconds = env("BENCH_SECONDS").unwrap_or(5);
        let args: Vec<String> = std::env::args().collect();
        for pair in args.windows(2) {
            match (pair[0].as_str(), pair[1].parse::<u64>()) {
                ("--connections", Ok(n)) => connections = n,
                ("--seconds", Ok(n)) => seconds = n,
                _ => {}
            }
        }
        Settings {
            connections: connections.max(1) as usize,
            duration: Duration::from_secs(seconds.max(1)),
            warm_up: Duration::from_millis(500),
        }
    }
}

/// What one case measured.
struct Measured {
    name: &'static str,
    requests: usize,
    errors: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Measured {
    fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let index = ((self.latencies.len() - 1) as f64 * p).round() as usize;
        self.latencies[index]
    }
}

type MakeRequest = Arc<dyn Fn(&reqwest::Client) -> reqwest::RequestBuilder + Send + Sync>;

/// Runs `make` on `connections` concurrent keep-alive connections for `duration`, after a
/// short warm-up that opens the connections.
async fn measure(
    name: &'static str,
    settings: &Settings,
    http: &reqwest::Client,
    make: MakeRequest,
) -> Measured {
    let warm_up_until = Instant::now() + settings.warm_up;
    let start = warm_up_until;
    let stop = start + settings.duration;
    let mut tasks = Vec::new();
    for _ in 0..settings.connections {
        let http = http.clone();
        let make = make.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(16_384);
            let mut errors = 0usize;
            loop {
                let began = Instant::now();
                if began >= stop {
                    break;
                }
                let ok = match make(&http).send().await {
                    Ok(response) => {
                        let ok = response.status().is_success();
                        response.bytes().await.is_ok() && ok
                    }
                    Err(_) => false,
                };
                if began < start {
                    continue;
                }
                if ok {
                    latencies.push(began.elapsed());
                } else {
                    errors += 1;
                }
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (mut l, e) = task.await.expect("a load task panicked");
        latencies.append(&mut l);
        errors += e;
    }
    latencies.sort_unstable();
    Measured {
        name,
        requests: latencies.len(),
        errors,
        elapsed: settings.duration,
        latencies,
    }
}

/// The HTTP floor: a POST handler that does nothing, on the same kind of listener.
async fn start_floor() -> SocketAddr {
    let app = Router::new().route(
        "/",
        post(|| async { ([("content-type", "application/json")], r#"{"ok":true}"#) }),
    );
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("bind the floor listener");
    let addr = listener.local_addr().expect("floor address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    addr
}

fn millis(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

async fn run(settings: Settings) {
    let data = tempfile::TempDir::new().expect("temp data dir");
    let server = start(ServerConfig {
        listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        data_dir: data.path().to_path_buf(),
        issuer: None,
    })
    .await
    .expect("start the server");
    let key = read_admin_key(server.admin_key_file()).expect("admin key");
    let admin = AdminClient::new(server.base_url(), key).expect("admin client");
    let created = admin
        .create_app(&AppDraft {
            name: "bench".into(),
            platform: Platform::ApiServices,
            redirect_urls: vec![],
            scopes: vec![Scope::Monitoring],
            grant_types: vec![GrantType::ClientCredentials],
            access_token_ttl: None,
            refresh_token_ttl: None,
        })
        .await
        .expect("create the bench app");
    let client_id = created.app.client_id.clone();
    let secret = created
        .client_secret
        .expect("api-services apps get a secret");

    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(settings.connections)
        .build()
        .expect("HTTP client");
    let token_url = server.base_url().join("oauth/token").expect("token URL");
    let introspect_url = server
        .base_url()
        .join("oauth/introspect")
        .expect("introspect URL");
    let floor_url = format!("http://{}/", start_floor().await);

    let token_request: MakeRequest = {
        let (id, secret) = (client_id.clone(), secret.clone());
        Arc::new(move |http: &reqwest::Client| {
            http.post(token_url.clone())
                .basic_auth(&id, Some(&secret))
                .form(&[
                    ("grant_type", "client_credentials"),
                    ("scope", "monitoring"),
                ])
        })
    };
    let token: serde_json::Value = token_request(&http)
        .send()
        .await
        .expect("first token")
        .json()
        .await
        .expect("token JSON");
    let access_token = token["access_token"]
        .as_str()
        .expect("an access token")
        .to_string();
    let introspect_request: MakeRequest = {
        let (id, secret) = (client_id.clone(), secret.clone());
        Arc::new(move |http: &reqwest::Client| {
            http.post(introspect_url.clone())
                .basic_auth(&id, Some(&secret))
                .form(&[("token", access_token.as_str())])
        })
    };
    let floor_request: MakeRequest = {
        let (id, secret) = (client_id.clone(), secret.clone());
        Arc::new(move |http: &reqwest::Client| {
            http.post(&floor_url).basic_auth(&id, Some(&secret)).form(&[
                ("grant_type", "client_credentials"),
                ("scope", "monitoring"),
            ])
        })
    };

    println!(
        "server_throughput: {} connections, {} s per case, {} CPUs",
        settings.connections,
        settings.duration.as_secs(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let floor = measure("HTTP floor (axum)", &settings, &http, floor_request).await;
    let tokens = measure("client_credentials", &settings, &http, token_request).await;
    let introspections = measure("introspection", &settings, &http, introspect_request).await;

    println!(
        "{:<20} {:>10} {:>11} {:>11} {:>8}",
        "case", "req/s", "median", "p99", "errors"
    );
    for m in [&floor, &tokens, &introspections] {
        println!(
            "{:<20} {:>10.0} {:>11} {:>11} {:>8}",
            m.name,
            m.per_second(),
            millis(m.percentile(0.5)),
            millis(m.percentile(0.99)),
            m.errors
        );
    }
    println!(
        "tokens/floor {:.3}   introspections/floor {:.3}",
        tokens.per_second() / floor.per_second(),
        introspections.per_second() / floor.per_second()
    );
    println!(
        "targets: >= {TARGET_TOKENS:.0} tokens/s ({:.0}%), >= {TARGET_INTROSPECTIONS:.0} introspections/s ({:.0}%); Ory Hydra: 513/s, 5109/s",
        100.0 * tokens.per_second() / TARGET_TOKENS,
        100.0 * introspections.per_second() / TARGET_INTROSPECTIONS
    );
    server.shutdown().await;
}

fn main() {
    let settings = Settings::from_args_and_env();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(run(settings));
}
