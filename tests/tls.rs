//! `serve --tls-cert --tls-key`: HTTPS with a certificate from a private CA made in the
//! test; clients that trust the CA get through, clients that do not are refused; SIGHUP
//! swaps the certificate for new connections while open ones carry on. The real
//! binary, real TLS.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod serve_support;

use serve_support::certificates::TestCa;
use serve_support::{API_SERVICES_APP, Served, json, oauth_console, stderr};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// An api-services app made through the CLI (over TLS): (client ID, secret).
fn machine_app(served: &Served) -> (String, String) {
    let app = json(&served.cli(API_SERVICES_APP));
    (
        app["client_id"].as_str().unwrap().to_string(),
        app["client_secret"].as_str().unwrap().to_string(),
    )
}

/// A client that trusts `ca` (and the built-in roots), and reports each connection's
/// certificate. It keeps its connections open between requests.
fn trusting_client(ca: &TestCa) -> reqwest::Client {
    reqwest::Client::builder()
        .add_root_certificate(ca.reqwest_certificate())
        .tls_info(true)
        .build()
        .unwrap()
}

/// The certificate the server presented on the connection that carried `response`.
fn peer_certificate(response: &reqwest::Response) -> Vec<u8> {
    response
        .extensions()
        .get::<reqwest::tls::TlsInfo>()
        .and_then(|info| info.peer_certificate())
        .expect("TLS info on the response")
        .to_vec()
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_trusting_the_ca_gets_a_token_over_https_and_one_that_does_not_is_refused() {
    let dir = TempDir::new().unwrap();
    let ca = TestCa::new(dir.path(), "private");
    let cert = ca.issue(dir.path());
    let served = Served::start_tls(&dir.path().join("data"), &cert, &ca.pem_file, &[]);
    assert!(
        served.base_url.starts_with("https://127.0.0.1:"),
        "{}",
        served.banner
    );
    assert!(
        served.banner.contains("issuer: https://127.0.0.1:"),
        "{}",
        served.banner
    );
    let (client_id, secret) = tokio::task::block_in_place(|| machine_app(&served));

    let client = trusting_client(&ca);
    let metadata: serde_json::Value = client
        .get(served.url(".well-known/oauth-authorization-server"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token_endpoint = metadata["token_endpoint"].as_str().unwrap().to_string();
    assert!(token_endpoint.starts_with("https://"), "{metadata}");
    let response = client
        .post(&token_endpoint)
        .basic_auth(&client_id, Some(&secret))
        .form(&[
            ("grant_type", "client_credentials"),
            ("scope", "monitoring"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(peer_certificate(&response), cert.der);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(body["access_token"].as_str().unwrap().starts_with("oca_"));

    // The built-in roots alone do not know the private CA.
    let refused = reqwest::Client::new()
        .post(&token_endpoint)
        .basic_auth(&client_id, Some(&secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect_err("a client without the CA must not connect");
    let chain = error_chain(&refused);
    assert!(
        chain.contains("certificate") && chain.contains("UnknownIssuer"),
        "{chain}"
    );
    // Plain HTTP to the TLS port gets no answer a client could mistake for one.
    let plain = served.base_url.replacen("https://", "http://", 1);
    let answer = reqwest::get(format!("{plain}healthz")).await;
    assert!(
        answer.is_err() || !answer.unwrap().status().is_success(),
        "plain HTTP was served on the TLS port"
    );
    served.stop();
}

#[test]
fn the_cli_lists_apps_over_https_with_the_ca_file_and_names_the_certificate_problem_without() {
    let dir = TempDir::new().unwrap();
    let ca = TestCa::new(dir.path(), "private");
    let cert = ca.issue(dir.path());
    let served = Served::start_tls(&dir.path().join("data"), &cert, &ca.pem_file, &[]);
    machine_app(&served);
    let listed = json(&served.cli(&["apps", "list", "--json"]));
    assert_eq!(listed["apps"].as_array().map(Vec::len), Some(1), "{listed}");

    let without = oauth_console()
        .args(["--server", &served.base_url, "--admin-key-file"])
        .arg(served.admin_key_file())
        .args(["apps", "list"])
        .output()
        .unwrap();
    assert_eq!(without.status.code(), Some(1));
    let message = stderr(&without);
    assert!(
        message.contains("certificate is not trusted") && message.contains("--ca-file"),
        "{message}"
    );

    let missing = oauth_console()
        .args(["--server", &served.base_url, "--admin-key-file"])
        .arg(served.admin_key_file())
        .args(["--ca-file"])
        .arg(dir.path().join("no-such-ca.pem"))
        .args(["apps", "list"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("no-such-ca.pem"),
        "{}",
        stderr(&missing)
    );
    served.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn sighup_gives_new_connections_the_new_certificate_and_keeps_open_ones() {
    let dir = TempDir::new().unwrap();
    let ca = TestCa::new(dir.path(), "private");
    let first = ca.issue(dir.path());
    let served = Served::start_tls(&dir.path().join("data"), &first, &ca.pem_file, &[]);
    let healthz = served.url("healthz");

    let before = trusting_client(&ca);
    let response = before.get(healthz.clone()).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(peer_certificate(&response), first.der);
    response.bytes().await.unwrap();

    let second = ca.issue_to(&first.cert_file, &first.key_file);
    assert_ne!(second.der, first.der);
    served.hang_up();
    // The reload is logged after it happens; until then new connections may still
    // get the first certificate.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let response = trusting_client(&ca)
            .get(healthz.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        if peer_certificate(&response) == second.der {
            break;
        }
        assert!(Instant::now() < deadline, "the new certificate never came");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // The connection opened before the reload is still open, with its certificate.
    let response = before.get(healthz.clone()).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(peer_certificate(&response), first.der);
    response.bytes().await.unwrap();

    // A broken file on reload keeps the certificate in use, and says so in the log.
    std::fs::write(&first.cert_file, "not a certificate\n").unwrap();
    served.hang_up();
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline {
        let response = trusting_client(&ca)
            .get(healthz.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(peer_certificate(&response), second.der);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let log = tokio::task::block_in_place(|| served.stop());
    assert!(
        log.contains("reloaded the TLS certificate"),
        "no reload logged: {log}"
    );
    assert!(
        log.contains("the TLS certificate was not reloaded") && log.contains("server.pem"),
        "no failed reload logged: {log}"
    );
}

#[test]
fn serve_refuses_to_start_with_a_missing_broken_or_mismatched_certificate() {
    let dir = TempDir::new().unwrap();
    let ca = TestCa::new(dir.path(), "private");
    let cert = ca.issue(dir.path());
    let other = ca.issue_to(&dir.path().join("other.pem"), &dir.path().join("other.key"));
    let garbage = dir.path().join("garbage.pem");
    std::fs::write(&garbage, "-----BEGIN CERTIFICATE-----\nnot base64!\n").unwrap();
    let missing = dir.path().join("missing.pem");
    let cases: [(&std::path::Path, &std::path::Path, &str); 4] = [
        (&missing, &cert.key_file, "missing.pem"),
        (&garbage, &cert.key_file, "garbage.pem"),
        (&cert.cert_file, &cert.cert_file, "no PRIVATE KEY"),
        (&cert.cert_file, &other.key_file, "do not go together"),
    ];
    for (cert_file, key_file, expected) in cases {
        let out = oauth_console()
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(dir.path().join("data"))
            .arg("--tls-cert")
            .arg(cert_file)
            .arg("--tls-key")
            .arg(key_file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{expected}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(expected),
            "{expected}: {}",
            stderr(&out)
        );
        assert!(out.stdout.is_empty(), "a banner was printed");
    }
    let half = oauth_console()
        .args(["serve", "--listen", "127.0.0.1:0", "--tls-cert"])
        .arg(&cert.cert_file)
        .output()
        .unwrap();
    assert_eq!(half.status.code(), Some(2));
    assert!(stderr(&half).contains("--tls-key"), "{}", stderr(&half));
}

#[test]
fn a_handshake_that_stalls_is_closed_at_the_header_timeout() {
    use std::io::{Read, Write};
    let dir = TempDir::new().unwrap();
    let ca = TestCa::new(dir.path(), "private");
    let cert = ca.issue(dir.path());
    let served = Served::start_tls(
        &dir.path().join("data"),
        &cert,
        &ca.pem_file,
        &["--header-timeout", "1", "--max-connections", "1"],
    );
    let addr = served.base().socket_addrs(|| None).unwrap()[0];
    let mut stalled = std::net::TcpStream::connect(addr).unwrap();
    stalled
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    // The first bytes of a TLS record, and then nothing.
    stalled.write_all(&[0x16, 0x03, 0x01]).unwrap();
    let began = Instant::now();
    let mut buf = [0u8; 64];
    let read = stalled.read(&mut buf);
    let took = began.elapsed();
    assert!(
        matches!(read, Ok(0)) || read.is_err(),
        "the server answered a stalled handshake: {read:?}"
    );
    assert!(
        took >= Duration::from_millis(800) && took < Duration::from_secs(5),
        "closed after {took:?}"
    );
    // The stalled handshake held the only connection slot; it is free again.
    let listed = json(&served.cli(&["apps", "list", "--json"]));
    assert!(listed["apps"].is_array(), "{listed}");
    served.stop();
}

#[test]
fn a_profile_names_the_ca_file_for_its_server() {
    let dir = TempDir::new().unwrap();
    let ca = TestCa::new(dir.path(), "private");
    let cert = ca.issue(dir.path());
    let served = Served::start_tls(&dir.path().join("data"), &cert, &ca.pem_file, &[]);
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.prod]\nserver = {:?}\nadmin_key_file = {:?}\nca_file = {:?}\n",
            served.base_url,
            served.admin_key_file().to_str().unwrap(),
            ca.pem_file.to_str().unwrap(),
        ),
    )
    .unwrap();
    let out = oauth_console()
        .env("OAUTH_CONSOLE_CONFIG", &config)
        .args(["--profile", "prod", "apps", "list", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    served.stop();
}
