//! Server throughput: client_credentials tokens/s and introspections/s of the real
//! server (and `GET /healthz`, its HTTP layers without the store) on SQLite, on an empty database and on one already holding
//! `BENCH_PREFILL` (default 1,000,000) tokens with the cleanup running every second,
//! beside the HTTP floor of a trivial axum handler. The load generator is wrk, in its
//! own process; the floor is served by another process; the server under test runs in
//! this one (so its CPU and its writer thread's CPU can be read). When a PostgreSQL
//! server is named (`OAUTH_CONSOLE_BENCH_DATABASE_URL`, else
//! `OAUTH_CONSOLE_TEST_DATABASE_URL`), the same cases run on a fresh PostgreSQL
//! database with and without batched token inserts.
//!
//! `cargo bench --bench server_throughput [-- --connections N --seconds S --prefill T]`
//! (or `BENCH_CONNECTIONS`, `BENCH_SECONDS`, `BENCH_PREFILL`). Defaults: 64 and 256
//! connections, 5 s per case. Needs wrk (`apt-get install -y wrk`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "throughput_support/cpu.rs"]
mod cpu;
#[path = "throughput_support/floor.rs"]
mod floor;
#[path = "throughput_support/prefill.rs"]
mod prefill;
#[path = "throughput_support/wrk.rs"]
mod wrk;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cpu::CpuSeconds;
use oauth_console::api::AdminClient;
use oauth_console::domain::{AppDraft, GrantType, Platform, Scope};
use oauth_console::server::{RunningServer, ServerConfig, read_admin_key, start_with_service};
use oauth_console::service::{Service, ServiceConfig, SystemClock};
use oauth_console::store::Store;
use oauth_console::store::postgres::{PostgresOptions, PostgresStore};
use oauth_console::store::sqlite::SqliteStore;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use wrk::{Measured, Post, Wrk};

/// Targets, as ratios to the floor measured in the same run.
const TARGET_TOKENS: f64 = 0.25;
const TARGET_INTROSPECTIONS: f64 = 0.5;

struct Settings {
    connections: Vec<usize>,
    duration: Duration,
    prefill: usize,
}

impl Settings {
    /// Flags win over the environment; unknown arguments (cargo passes `--bench`) are ignored.
    fn from_args_and_env() -> Settings {
        let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
        let mut connections = env("BENCH_CONNECTIONS");
        let mut seconds = env("BENCH_SECONDS").unwrap_or(5);
        let mut prefill = env("BENCH_PREFILL").unwrap_or(1_000_000);
        let args: Vec<String> = std::env::args().collect();
        for pair in args.windows(2) {
            match (pair[0].as_str(), pair[1].parse::<u64>()) {
                ("--connections", Ok(n)) => connections = Some(n),
                ("--seconds", Ok(n)) => seconds = n,
                ("--prefill", Ok(n)) => prefill = n,
                _ => {}
            }
        }
        Settings {
            connections: match connections {
                Some(n) => vec![n.max(1) as usize],
                None => vec![64, 256],
            },
            duration: Duration::from_secs(seconds.max(1)),
            prefill: prefill as usize,
        }
    }
}

/// One line of the results.
struct Row {
    store: String,
    case: &'static str,
    connections: usize,
    measured: Measured,
    floor: Option<f64>,
    cpu: Option<CpuSeconds>,
}

/// Runs wrk on a blocking thread, so the server in this process keeps serving.
async fn load(
    wrk: &Arc<Wrk>,
    post: Post,
    connections: usize,
    duration: Duration,
) -> (Measured, Option<CpuSeconds>) {
    let wrk = Arc::clone(wrk);
    let before = CpuSeconds::now();
    let measured = tokio::task::spawn_blocking(move || wrk.run(&post, connections, duration))
        .await
        .expect("wrk task");
    let cpu = CpuSeconds::now()
        .zip(before)
        .map(|(after, before)| after.minus(before));
    (measured, cpu)
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

fn sqlite_backend(dir: &std::path::Path, label: &str) -> Backend {
    // Opened here (as `start` would) to read the writer's commit counters.
    let store = Arc::new(SqliteStore::open(&dir.join("oauth-console.db")).expect("open the store"));
    let stats = Arc::clone(&store);
    Backend {
        label: label.into(),
        store,
        commits: Box::new(move || {
            let s = stats.writer_stats();
            (s.commits, s.writes)
        }),
        database: None,
    }
}

/// A server on the backend with the cleanup every second (expired tokens deleted at
/// once), an API services app, and the two requests the bench repeats.
struct Served {
    server: RunningServer,
    client_id: String,
    token: Post,
    introspect: Post,
    /// `GET /healthz`: every layer of our server (limits, metrics, tracing, routing)
    /// and no store, between the bare floor and the OAuth endpoints.
    health: Post,
    _data: tempfile::TempDir,
}

async fn serve(backend: &Backend) -> Served {
    let data = tempfile::TempDir::new().expect("temp data dir");
    let config = ServiceConfig {
        token_retention: 0,
        cleanup_interval: Some(1),
        ..ServiceConfig::default()
    };
    let service = Service::new(Arc::clone(&backend.store), config, Arc::new(SystemClock));
    let server = start_with_service(
        ServerConfig {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            data_dir: data.path().to_path_buf(),
            issuer: None,
            database: None,
            limits: Default::default(),
        },
        service,
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
    let authorization = format!("Basic {}", STANDARD.encode(format!("{client_id}:{secret}")));
    let token = Post {
        method: "POST",
        url: server
            .base_url()
            .join("oauth/token")
            .expect("URL")
            .to_string(),
        authorization: authorization.clone(),
        body: "grant_type=client_credentials&scope=monitoring".into(),
    };
    let answer: serde_json::Value = reqwest::Client::new()
        .post(&token.url)
        .header("authorization", &token.authorization)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(token.body.clone())
        .send()
        .await
        .expect("first token")
        .json()
        .await
        .expect("token JSON");
    let access_token = answer["access_token"].as_str().expect("an access token");
    let health = Post {
        method: "GET",
        url: server.base_url().join("healthz").expect("URL").to_string(),
        authorization: authorization.clone(),
        body: String::new(),
    };
    let introspect = Post {
        method: "POST",
        url: server
            .base_url()
            .join("oauth/introspect")
            .expect("URL")
            .to_string(),
        authorization,
        body: format!("token={access_token}"),
    };
    Served {
        server,
        client_id,
        token,
        introspect,
        health,
        _data: data,
    }
}

fn clone_post(post: &Post) -> Post {
    Post {
        method: post.method,
        url: post.url.clone(),
        authorization: post.authorization.clone(),
        body: post.body.clone(),
    }
}

/// Floor, tokens and introspections at each connection count, on one served backend.
async fn measure_backend(
    settings: &Settings,
    wrk: &Arc<Wrk>,
    floor: &Post,
    backend: &Backend,
    served: &Served,
    connections: &[usize],
    rows: &mut Vec<Row>,
) {
    for &n in connections {
        let (floor_measured, floor_cpu) = load(wrk, clone_post(floor), n, settings.duration).await;
        record(
            rows,
            Row {
                store: format!("{} floor", backend.label),
                case: "HTTP floor (axum)",
                connections: n,
                measured: floor_measured,
                floor: None,
                cpu: floor_cpu,
            },
        );
        let (health, cpu) = load(wrk, clone_post(&served.health), n, settings.duration).await;
        record(
            rows,
            Row {
                store: backend.label.clone(),
                case: "GET /healthz (no store)",
                connections: n,
                measured: health,
                floor: Some(floor_measured.per_second()),
                cpu,
            },
        );
        let before = (backend.commits)();
        let (tokens, cpu) = load(wrk, clone_post(&served.token), n, settings.duration).await;
        let after = (backend.commits)();
        record(
            rows,
            Row {
                store: backend.label.clone(),
                case: "client_credentials",
                connections: n,
                measured: tokens,
                floor: Some(floor_measured.per_second()),
                cpu,
            },
        );
        let (commits, writes) = (after.0 - before.0, after.1 - before.1);
        println!(
            "  {} at {n} connections: {writes} token writes in {commits} commits ({:.1} per commit)",
            backend.label,
            writes as f64 / commits.max(1) as f64
        );
        let (introspections, cpu) =
            load(wrk, clone_post(&served.introspect), n, settings.duration).await;
        record(
            rows,
            Row {
                store: backend.label.clone(),
                case: "introspection",
                connections: n,
                measured: introspections,
                floor: Some(floor_measured.per_second()),
                cpu,
            },
        );
    }
}

fn millis(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn print_header() {
    println!(
        "{:<30} {:<23} {:>5} {:>9} {:>7} {:>9} {:>9} {:>7} {:>9} {:>9} {:>9}",
        "store",
        "case",
        "conns",
        "req/s",
        "ratio",
        "p50",
        "p99",
        "errors",
        "CPU µs",
        "writer µs",
        "pg µs"
    );
}

/// Prints the row at once (a long run never loses what it measured) and keeps it.
fn record(rows: &mut Vec<Row>, row: Row) {
    print_row(&row);
    rows.push(row);
}

fn print_row(row: &Row) {
    {
        let m = &row.measured;
        let per_request = |s: f64| format!("{:.0}", s * 1e6 / m.requests.max(1) as f64);
        let (cpu, writer, database) = match row.cpu {
            Some(c) => (
                per_request(c.process),
                per_request(c.writer),
                per_request(c.database),
            ),
            None => ("?".into(), "?".into(), "?".into()),
        };
        let ratio = row
            .floor
            .map_or("-".to_string(), |f| format!("{:.3}", m.per_second() / f));
        println!(
            "{:<30} {:<23} {:>5} {:>9.0} {:>7} {:>9} {:>9} {:>7} {:>9} {:>9} {:>9}",
            row.store,
            row.case,
            row.connections,
            m.per_second(),
            ratio,
            millis(m.p50),
            millis(m.p99),
            m.errors,
            cpu,
            writer,
            database
        );
    }
}

async fn run(settings: Settings) {
    let scratch = tempfile::TempDir::new().expect("temp dir");
    let Some(wrk) = Wrk::find(scratch.path()) else {
        println!("server_throughput: needs wrk in PATH (apt-get install -y wrk); skipped");
        return;
    };
    let wrk = Arc::new(wrk);
    let floor_server = floor::Floor::spawn();
    let floor = Post {
        method: "POST",
        url: format!("http://{}/", floor_server.addr),
        authorization: format!("Basic {}", STANDARD.encode("bench:secret")),
        body: "grant_type=client_credentials&scope=monitoring".into(),
    };
    println!(
        "server_throughput: wrk (separate process), {:?} connections, {} s per case, {} CPUs; \
         the floor is a separate process; cleanup every 1 s with 0 s retention",
        settings.connections,
        settings.duration.as_secs(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let mut rows = Vec::new();
    print_header();

    let empty_dir = tempfile::TempDir::new().expect("temp dir");
    let empty = sqlite_backend(empty_dir.path(), "SQLite, empty");
    let served = serve(&empty).await;
    measure_backend(
        &settings,
        &wrk,
        &floor,
        &empty,
        &served,
        &settings.connections,
        &mut rows,
    )
    .await;
    served.server.shutdown().await;
    drop(empty);

    if settings.prefill > 0 {
        let full_dir = tempfile::TempDir::new().expect("temp dir");
        let label = format!("SQLite, {} stored", settings.prefill);
        let full = sqlite_backend(full_dir.path(), &label);
        let served = serve(&full).await;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs() as i64;
        let took = prefill::prefill(&full.store, &served.client_id, settings.prefill, now).await;
        let size =
            std::fs::metadata(full_dir.path().join("oauth-console.db")).map_or(0, |m| m.len());
        println!(
            "  prefilled {} tokens in {:.1} s through Store::insert_tokens (5,000 per write, 4 \
             writes in flight), issued over the last hour with a 1 h lifetime, ~2% already \
             expired; database file {} MB",
            settings.prefill,
            took.as_secs_f64(),
            size / 1_000_000
        );
        measure_backend(
            &settings,
            &wrk,
            &floor,
            &full,
            &served,
            &settings.connections,
            &mut rows,
        )
        .await;
        served.server.shutdown().await;
        drop(full);
    }

    match postgres_server_url() {
        Some(url) => {
            for batch in [true, false] {
                let backend = postgres_backend(&url, batch).await;
                let served = serve(&backend).await;
                measure_backend(
                    &settings,
                    &wrk,
                    &floor,
                    &backend,
                    &served,
                    &settings.connections[..1],
                    &mut rows,
                )
                .await;
                served.server.shutdown().await;
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
        None => println!(
            "PostgreSQL: skipped (set OAUTH_CONSOLE_BENCH_DATABASE_URL or OAUTH_CONSOLE_TEST_DATABASE_URL)"
        ),
    }

    println!(
        "ratio: req/s over the floor measured just before, at the same connections. \
         Targets: tokens >= {TARGET_TOKENS}x, introspections >= {TARGET_INTROSPECTIONS}x, \
         0 errors, p99 < 10 ms at 64 connections"
    );
}

fn main() {
    if std::env::args().any(|a| a == floor::FLAG) {
        floor::serve();
        return;
    }
    let settings = Settings::from_args_and_env();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(run(settings));
}
