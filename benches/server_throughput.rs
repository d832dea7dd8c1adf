//! Server throughput: client_credentials tokens/s and introspections/s of the real
//! server (in-process, temp data dir) on SQLite and, when a PostgreSQL server is named
//! (`OAUTH_CONSOLE_BENCH_DATABASE_URL`, else `OAUTH_CONSOLE_TEST_DATABASE_URL`), on a
//! fresh PostgreSQL database with and without batched token inserts, beside the HTTP
//! floor of a trivial axum handler measured with the same client in the same process.
//!
//! `cargo bench --bench server_throughput [-- --connections N --seconds S]`
//! (or `BENCH_CONNECTIONS`, `BENCH_SECONDS`). Defaults: 64 connections, 5 s per case.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::Router;
use axum::routing::post;
use oauth_console::api::AdminClient;
use oauth_console::domain::{AppDraft, GrantType, Platform, Scope};
use oauth_console::server::{ServerConfig, read_admin_key, start_with_store};
use oauth_console::store::Store;
use oauth_console::store::postgres::{PostgresOptions, PostgresStore};
use oauth_console::store::sqlite::SqliteStore;
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
    /// Requests answered, warm-up included, and the CPU seconds spent meanwhile by the
    /// whole process and by the database writer thread (Linux only).
    all_requests: usize,
    cpu: Option<CpuSeconds>,
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
    let cpu_before = CpuSeconds::now();
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
            let mut answered = 0usize;
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
                answered += 1;
                if began < start {
                    continue;
                }
                if ok {
                    latencies.push(began.elapsed());
                } else {
                    errors += 1;
                }
            }
            (latencies, errors, answered)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut all_requests = 0;
    for task in tasks {
        let (mut l, e, a) = task.await.expect("a load task panicked");
        latencies.append(&mut l);
        errors += e;
        all_requests += a;
    }
    let cpu = CpuSeconds::now()
        .zip(cpu_before)
        .map(|(after, before)| after.minus(before));
    latencies.sort_unstable();
    Measured {
        name,
        requests: latencies.len(),
        errors,
        elapsed: settings.duration,
        latencies,
        all_requests,
        cpu,
    }
}

/// CPU time from /proc: the whole process, the SQLite writer thread, and every
/// PostgreSQL server process on this machine (the database shares the 2 cores).
#[derive(Clone, Copy)]
struct CpuSeconds {
    process: f64,
    writer: f64,
    database: f64,
}

impl CpuSeconds {
    fn now() -> Option<CpuSeconds> {
        let process = ticks(&std::fs::read_to_string("/proc/self/stat").ok()?)?;
        let mut writer = 0.0;
        for task in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
            let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
            if comm.trim() == "sqlite-writer" {
                writer += ticks(&std::fs::read_to_string(task.path().join("stat")).ok()?)?;
            }
        }
        let mut database = 0.0;
        for entry in std::fs::read_dir("/proc").ok()?.flatten() {
            let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
            if stat.contains(" (postgres) ") {
                database += ticks(&stat).unwrap_or(0.0);
            }
        }
        Some(CpuSeconds {
            process,
            writer,
            database,
        })
    }

    fn minus(self, earlier: CpuSeconds) -> CpuSeconds {
        CpuSeconds {
            process: self.process - earlier.process,
            writer: self.writer - earlier.writer,
            database: self.database - earlier.database,
        }
    }
}

/// utime + stime of a `stat` line, in seconds (USER_HZ is 100 on Linux).
fn ticks(stat: &str) -> Option<f64> {
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 2..)?.split(' ').collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / 100.0)
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

/// The median time to make 4 KiB durable in the data dir: the floor of one commit.
fn fsync_latency(dir: &std::path::Path) -> Duration {
    use std::io::Write;
    let mut file = std::fs::File::create(dir.join("fsync-probe")).expect("probe file");
    let mut times: Vec<Duration> = (0..50)
        .map(|_| {
            let began = Instant::now();
            file.write_all(&[0u8; 4096]).expect("probe write");
            file.sync_data().expect("probe fsync");
            began.elapsed()
        })
        .collect();
    times.sort_unstable();
    let _ = std::fs::remove_file(dir.join("fsync-probe"));
    times[times.len() / 2]
}

fn millis(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// A store the bench runs the server on, and how to read its commit counters.
struct Backend {
    label: String,
    store: Arc<dyn Store>,
    commits: Box<dyn Fn() -> (u64, u64)>,
    /// A PostgreSQL database made for this run, dropped at the end.
    database: Option<(String, String)>,
}

/// PostgreSQL server for the bench: `OAUTH_CONSOLE_BENCH_DATABASE_URL`, else the tests'.
fn postgres_server_url() -> Option<String> {
    [
        "OAUTH_CONSOLE_BENCH_DATABASE_URL",
        "OAUTH_CONSOLE_TEST_DATABASE_URL",
    ]
    .iter()
    .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
}

async fn postgres_execute(server_url: &str, sql: &str) {
    let (client, connection) = tokio_postgres::connect(server_url, tokio_postgres::NoTls)
        .await
        .expect("connect to PostgreSQL");
    let task = tokio::spawn(connection);
    client.batch_execute(sql).await.expect(sql);
    drop(client);
    let _ = task.await;
}

async fn postgres_backend(server_url: &str, batch: bool) -> Backend {
    let name = format!("oc_bench_{:016x}", rand::random::<u64>());
    postgres_execute(server_url, &format!("CREATE DATABASE {name}")).await;
    let mut url = url::Url::parse(server_url).expect("PostgreSQL URL");
    url.set_path(&format!("/{name}"));
    let options = PostgresOptions {
        batch_token_inserts: batch,
        ..PostgresOptions::default()
    };
    let store = Arc::new(
        PostgresStore::connect_with(url.as_str(), options)
            .await
            .expect("connect the store"),
    );
    let stats = Arc::clone(&store);
    Backend {
        label: if batch {
            "PostgreSQL".into()
        } else {
            "PostgreSQL, no batching".into()
        },
        store,
        commits: Box::new(move || {
            let s = stats.batch_stats();
            (s.commits, s.writes)
        }),
        database: Some((server_url.to_string(), name)),
    }
}

fn sqlite_backend(dir: &std::path::Path) -> Backend {
    // Opened here (as `start` would) to read the writer's commit counters.
    let store = Arc::new(SqliteStore::open(&dir.join("oauth-console.db")).expect("open the store"));
    let stats = Arc::clone(&store);
    Backend {
        label: "SQLite".into(),
        store,
        commits: Box::new(move || {
            let s = stats.writer_stats();
            (s.commits, s.writes)
        }),
        database: None,
    }
}

/// The two cases on one backend: a server on it, an API services app, then tokens/s
/// and introspections/s.
async fn measure_backend(
    settings: &Settings,
    http: &reqwest::Client,
    backend: &Backend,
) -> (Measured, Measured, (u64, u64)) {
    let data = tempfile::TempDir::new().expect("temp data dir");
    let server = start_with_store(
        ServerConfig {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            data_dir: data.path().to_path_buf(),
            issuer: None,
            database: None,
            limits: Default::default(),
        },
        Arc::clone(&backend.store),
    )
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
    let token_url = server.base_url().join("oauth/token").expect("token URL");
    let introspect_url = server
        .base_url()
        .join("oauth/introspect")
        .expect("introspect URL");
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
    let token: serde_json::Value = token_request(http)
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
    let before = (backend.commits)();
    let tokens = measure("client_credentials", settings, http, token_request).await;
    let after = (backend.commits)();
    let introspections = measure("introspection", settings, http, introspect_request).await;
    server.shutdown().await;
    (
        tokens,
        introspections,
        (after.0 - before.0, after.1 - before.1),
    )
}

fn print_row(backend: &str, m: &Measured) {
    let per_request = |seconds: f64| seconds * 1e6 / m.all_requests.max(1) as f64;
    let (cpu, writer, database) = match m.cpu {
        Some(cpu) => (
            format!("{:.0}", per_request(cpu.process)),
            format!("{:.0}", per_request(cpu.writer)),
            format!("{:.0}", per_request(cpu.database)),
        ),
        None => ("?".into(), "?".into(), "?".into()),
    };
    println!(
        "{:<24} {:<20} {:>10.0} {:>11} {:>11} {:>8} {:>12} {:>12} {:>12}",
        backend,
        m.name,
        m.per_second(),
        millis(m.percentile(0.5)),
        millis(m.percentile(0.99)),
        m.errors,
        cpu,
        writer,
        database
    );
}

async fn run(settings: Settings) {
    let data = tempfile::TempDir::new().expect("temp data dir");
    let fsync = fsync_latency(data.path());
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(settings.connections)
        .build()
        .expect("HTTP client");
    let floor_url = format!("http://{}/", start_floor().await);
    let floor_request: MakeRequest = Arc::new(move |http: &reqwest::Client| {
        http.post(&floor_url)
            .basic_auth("bench", Some("secret"))
            .form(&[
                ("grant_type", "client_credentials"),
                ("scope", "monitoring"),
            ])
    });

    println!(
        "server_throughput: {} connections, {} s per case, {} CPUs",
        settings.connections,
        settings.duration.as_secs(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let mut backends = vec![sqlite_backend(data.path())];
    match postgres_server_url() {
        Some(url) => {
            backends.push(postgres_backend(&url, true).await);
            backends.push(postgres_backend(&url, false).await);
        }
        None => println!(
            "PostgreSQL: skipped (set OAUTH_CONSOLE_BENCH_DATABASE_URL or OAUTH_CONSOLE_TEST_DATABASE_URL)"
        ),
    }
    let floor = measure("HTTP floor (axum)", &settings, &http, floor_request).await;
    let mut results = Vec::new();
    for backend in &backends {
        results.push(measure_backend(&settings, &http, backend).await);
    }

    println!(
        "{:<24} {:<20} {:>10} {:>11} {:>11} {:>8} {:>12} {:>12} {:>12}",
        "store",
        "case",
        "req/s",
        "median",
        "p99",
        "errors",
        "CPU µs/req",
        "writer µs/req",
        "postgres µs/req"
    );
    print_row("-", &floor);
    for (backend, (tokens, introspections, _)) in backends.iter().zip(&results) {
        print_row(&backend.label, tokens);
        print_row(&backend.label, introspections);
    }
    for (backend, (tokens, introspections, (commits, writes))) in backends.iter().zip(&results) {
        println!(
            "{}: tokens/floor {:.3}, introspections/floor {:.3}; token writes: {writes} in {commits} batched commits ({:.1} per commit)",
            backend.label,
            tokens.per_second() / floor.per_second(),
            introspections.per_second() / floor.per_second(),
            *writes as f64 / (*commits).max(1) as f64,
        );
    }
    println!("disk fsync median {} here", millis(fsync));
    println!(
        "targets: >= {TARGET_TOKENS:.0} tokens/s, >= {TARGET_INTROSPECTIONS:.0} introspections/s (SQLite); >= 10000 tokens/s on PostgreSQL; Ory Hydra: 513/s, 5109/s"
    );
    for backend in backends {
        let Backend {
            store, database, ..
        } = backend;
        drop(store);
        if let Some((server_url, name)) = database {
            postgres_execute(
                &server_url,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            )
            .await;
        }
    }
}

fn main() {
    let settings = Settings::from_args_and_env();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(run(settings));
}
