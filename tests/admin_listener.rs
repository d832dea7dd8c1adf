//! Where `serve` listens: `--admin-listen` puts the admin API and `/metrics` on an
//! address of their own (the public one answers 404 there), and plain HTTP on an
//! address other than loopback is refused unless TLS or `--insecure-http` says
//! otherwise. The real binary, real HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod serve_support;

use serve_support::{API_SERVICES_APP, Served, json, oauth_console, stderr};
use tempfile::TempDir;

/// GET `url` with the admin key; the status and body.
fn get_with_key(url: &str, key: &str) -> (u16, String) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let response = reqwest::Client::new()
            .get(url)
            .bearer_auth(key)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    })
}

#[test]
fn with_admin_listen_the_admin_api_and_metrics_answer_only_on_the_admin_address() {
    let dir = TempDir::new().unwrap();
    let served = Served::start(dir.path(), &["--admin-listen", "127.0.0.1:0"]);
    let admin = served
        .admin_url
        .clone()
        .unwrap_or_else(|| panic!("the banner names the admin URL: {}", served.banner));
    assert!(admin.starts_with("http://127.0.0.1:"), "{}", served.banner);
    assert_ne!(admin, served.base_url);
    let key = served.admin_key();

    // The CLI goes to the admin address (Served::cli picks it).
    let app = json(&served.cli(API_SERVICES_APP));
    let client_id = app["client_id"].as_str().unwrap().to_string();
    let secret = app["client_secret"].as_str().unwrap().to_string();

    let (status, body) = get_with_key(&format!("{admin}admin/v1/apps"), &key);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(&client_id), "{body}");
    let (status, body) = get_with_key(&format!("{}admin/v1/apps", served.base_url), &key);
    assert_eq!(
        status, 404,
        "the public listener served the admin API: {body}"
    );
    assert!(!body.contains(&client_id), "{body}");
    let (status, _) = get_with_key(&format!("{}admin/v1/whoami", served.base_url), &key);
    assert_eq!(status, 404);

    // OAuth stays on the public address, and only there.
    let (status, token) = serve_support::post_form(
        &format!("{}oauth/token", served.base_url),
        (&client_id, &secret),
        &[
            ("grant_type", "client_credentials"),
            ("scope", "monitoring"),
        ],
    );
    assert_eq!(status, 200, "{token}");
    let (status, _) = serve_support::post_form(
        &format!("{admin}oauth/token"),
        (&client_id, &secret),
        &[("grant_type", "client_credentials")],
    );
    assert_eq!(status, 404);

    // Metrics on the admin address, with the token the public one issued.
    let (status, metrics) = serve_support::get(&format!("{admin}metrics"));
    assert_eq!(status, 200);
    assert!(
        metrics.contains("oauth_console_tokens_issued_total{grant=\"client_credentials\"} 1"),
        "{metrics}"
    );
    let (status, _) = serve_support::get(&format!("{}metrics", served.base_url));
    assert_eq!(status, 404);

    // Health checks answer on both, for load balancers on either side.
    assert_eq!(
        serve_support::get(&format!("{}readyz", served.base_url)).0,
        200
    );
    assert_eq!(serve_support::get(&format!("{admin}readyz")).0, 200);
    served.stop();
}

#[test]
fn plain_http_off_loopback_is_refused_unless_insecure_http_or_tls() {
    let dir = TempDir::new().unwrap();
    for flags in [
        ["--listen", "0.0.0.0:0"].as_slice(),
        ["--listen", "127.0.0.1:0", "--admin-listen", "0.0.0.0:0"].as_slice(),
    ] {
        let out = oauth_console()
            .arg("serve")
            .args(flags)
            .arg("--data-dir")
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{flags:?}: {}", stderr(&out));
        let message = stderr(&out);
        assert!(
            message.contains("0.0.0.0:0")
                && message.contains("--insecure-http")
                && message.contains("--tls-cert"),
            "{message}"
        );
        assert!(out.stdout.is_empty(), "it started: {flags:?}");
    }

    let insecure = Served::start(
        dir.path(),
        &["--insecure-http", "--admin-listen", "0.0.0.0:0"],
    );
    assert!(insecure.admin_url.is_some(), "{}", insecure.banner);
    insecure.stop();

    let ca = serve_support::certificates::TestCa::new(dir.path(), "private");
    let cert = ca.issue(dir.path());
    let tls = Served::start_tls(
        dir.path(),
        &cert,
        &ca.pem_file,
        &["--admin-listen", "0.0.0.0:0"],
    );
    let admin = tls.admin_url.clone().unwrap();
    assert!(admin.starts_with("https://127.0.0.1:"), "{}", tls.banner);
    let listed = json(&tls.cli(&["apps", "list", "--json"]));
    assert!(listed["apps"].is_array(), "{listed}");
    tls.stop();
}
