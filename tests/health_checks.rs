//! `GET /healthz` and `GET /readyz`, as a load balancer sees them: readiness follows
//! the database (PostgreSQL that stops answering → 503, then back) and its schema.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pg_support;
mod support;

use oauth_console::server::{RunningServer, ServerConfig, start};
use oauth_console::store::postgres::SCHEMA_VERSION;
use serde_json::Value;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use support::TestServer;
use tempfile::TempDir;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

async fn get(server: &RunningServer, path: &str) -> (u16, Value) {
    // A readiness check that hangs fails the test instead of hanging it.
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let response = client
        .get(server.base_url().join(path).unwrap())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    assert_eq!(
        response.headers()["cache-control"],
        "no-store",
        "{path} must not be cached"
    );
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn on_sqlite_the_server_is_alive_and_ready() {
    let t = TestServer::start().await;
    assert_eq!(
        get(&t.server, "healthz").await,
        (200, serde_json::json!({"status": "ok"}))
    );
    assert_eq!(
        get(&t.server, "readyz").await,
        (200, serde_json::json!({"status": "ready"}))
    );
}

/// A TCP relay between the server and PostgreSQL that can go silent: connections stay
/// open but no byte passes, as when a database host hangs or a network drops packets.
struct Relay {
    addr: SocketAddr,
    silent: watch::Sender<bool>,
}

impl Relay {
    async fn start(upstream: String) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (silent, watching) = watch::channel(false);
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(relay(client, upstream.clone(), watching.clone()));
            }
        });
        Relay { addr, silent }
    }

    fn go_silent(&self) {
        self.silent.send_replace(true);
    }

    /// Held connections are closed; new ones are relayed again.
    fn speak_again(&self) {
        self.silent.send_replace(false);
    }
}

async fn relay(mut client: TcpStream, upstream: String, mut silent: watch::Receiver<bool>) {
    if !*silent.borrow() {
        let Ok(mut server) = TcpStream::connect(upstream.as_str()).await else {
            return;
        };
        tokio::select! {
            _ = tokio::io::copy_bidirectional(&mut client, &mut server) => return,
            _ = silent.wait_for(|s| *s) => {}
        }
    }
    // Silent: hold the client's socket open, answer nothing, until told to speak again.
    let _ = silent.wait_for(|s| !*s).await;
    drop(client);
}

async fn start_on(url: &str, dir: &TempDir) -> RunningServer {
    start(ServerConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.path().join("data"),
        issuer: None,
        database: Some(url.to_string()),
        limits: Default::default(),
    })
    .await
    .unwrap()
}

/// Asks `/readyz` until it answers `status`, for at most 15 s.
async fn wait_for_readyz(server: &RunningServer, status: u16) -> Value {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (now, body) = get(server, "readyz").await;
        if now == status {
            return body;
        }
        assert!(Instant::now() < deadline, "readyz stayed {now}: {body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn readyz_is_503_while_postgresql_does_not_answer_and_200_when_it_is_back() {
    let Some(database) = pg_support::TestDatabase::create(
        "readyz_is_503_while_postgresql_does_not_answer_and_200_when_it_is_back",
    )
    .await
    else {
        return;
    };
    let mut url = url::Url::parse(&database.url).unwrap();
    let upstream = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap_or(5432));
    let relay = Relay::start(upstream).await;
    url.set_port(Some(relay.addr.port())).unwrap();
    let dir = TempDir::new().unwrap();
    let server = start_on(url.as_str(), &dir).await;
    assert_eq!(get(&server, "readyz").await.0, 200);

    relay.go_silent();
    let asked = Instant::now();
    let (status, body) = get(&server, "readyz").await;
    let took = asked.elapsed();
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["reason"], "database unreachable", "{body}");
    assert!(
        took < Duration::from_secs(5),
        "a load balancer cannot wait {took:?} for an answer"
    );
    // Alive all the same: a hung database is no reason to restart the process.
    let started = Instant::now();
    assert_eq!(get(&server, "healthz").await.0, 200);
    assert!(started.elapsed() < Duration::from_secs(1));

    relay.speak_again();
    let body = wait_for_readyz(&server, 200).await;
    assert_eq!(body["status"], "ready");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn readyz_is_503_when_the_schema_is_not_the_one_this_build_expects() {
    let Some(database) = pg_support::TestDatabase::create(
        "readyz_is_503_when_the_schema_is_not_the_one_this_build_expects",
    )
    .await
    else {
        return;
    };
    let dir = TempDir::new().unwrap();
    let server = start_on(&database.url, &dir).await;
    assert_eq!(get(&server, "readyz").await.0, 200);

    // A newer build migrated the database under this replica.
    let (client, connection) = tokio_postgres::connect(&database.url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    let newer = SCHEMA_VERSION as i32 + 1;
    client
        .execute(
            "INSERT INTO schema_migrations (version) VALUES ($1)",
            &[&newer],
        )
        .await
        .unwrap();
    let (status, body) = get(&server, "readyz").await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["reason"], "migrations not current", "{body}");
    assert_eq!(body["schema_version"], newer);
    assert_eq!(body["expected_schema_version"], SCHEMA_VERSION);

    client
        .execute(
            "DELETE FROM schema_migrations WHERE version = $1",
            &[&newer],
        )
        .await
        .unwrap();
    assert_eq!(get(&server, "readyz").await.0, 200);
    drop(client);
    server.shutdown().await;
}
