//! What an operator watches: Prometheus metrics on `serve --metrics-listen`, and JSON
//! logs (`--log-format json`) with no secret in them. The real binary, real HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pg_support;
mod serve_support;

use serve_support::{API_SERVICES_APP, Served, get, json, post_form};
use tempfile::TempDir;

/// An api-services app made through the CLI: (client ID, secret).
fn machine_app(served: &Served) -> (String, String) {
    let app = json(&served.cli(API_SERVICES_APP));
    (
        app["client_id"].as_str().unwrap().to_string(),
        app["client_secret"].as_str().unwrap().to_string(),
    )
}

fn client_credentials(served: &Served, client: (&str, &str)) -> serde_json::Value {
    let (status, body) = post_form(
        &format!("{}oauth/token", served.base_url),
        client,
        &[
            ("grant_type", "client_credentials"),
            ("scope", "monitoring"),
        ],
    );
    assert_eq!(status, 200, "{body}");
    body
}

/// The value of the sample whose name-and-labels is exactly `series`.
fn sample(metrics: &str, series: &str) -> Option<f64> {
    metrics.lines().find_map(|line| {
        let value = line.strip_prefix(series)?.strip_prefix(' ')?;
        value.trim().parse().ok()
    })
}

#[test]
fn metrics_count_requests_by_route_and_tokens_by_grant() {
    let dir = TempDir::new().unwrap();
    let served = Served::start(dir.path(), &["--metrics-listen", "127.0.0.1:0"]);
    let metrics_url = served
        .metrics_url
        .clone()
        .expect("the banner names the metrics URL");
    let (client_id, secret) = machine_app(&served);
    client_credentials(&served, (&client_id, &secret));
    let shown = served.cli(&["apps", "show", &client_id]);
    assert!(shown.status.success());

    let (status, text) = get(&metrics_url);
    assert_eq!(status, 200);
    assert_eq!(
        sample(
            &text,
            r#"oauth_console_tokens_issued_total{grant="client_credentials"}"#
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            r#"oauth_console_http_requests_total{endpoint="/oauth/token",method="POST",status="200"}"#
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            r#"oauth_console_http_request_duration_seconds_count{endpoint="/oauth/token",method="POST"}"#
        ),
        Some(1.0),
        "{text}"
    );
    assert!(
        text.contains(r#"oauth_console_http_request_duration_seconds_bucket{endpoint="/oauth/token",method="POST",le="0.005"}"#),
        "latency is a histogram with buckets: {text}"
    );
    // The route, not the path: a client ID never becomes a label.
    assert!(
        text.contains(r#"endpoint="/admin/v1/apps/{client_id}",method="GET",status="200""#),
        "{text}"
    );
    assert!(
        !text.contains(&client_id),
        "a raw path leaked into a label: {text}"
    );
    assert_eq!(
        sample(&text, "oauth_console_sign_ins_throttled_total"),
        Some(0.0),
        "{text}"
    );

    // Metrics are on their own listener only, not on the public one.
    let (status, _) = get(&format!("{}metrics", served.base_url));
    assert_eq!(status, 404);
    let (status, _) = get(&format!("{}healthz", served.base_url));
    assert_eq!(status, 200);
    let (_, after) = get(&metrics_url);
    assert_eq!(
        sample(
            &after,
            r#"oauth_console_http_requests_total{endpoint="unmatched",method="GET",status="404"}"#
        ),
        Some(1.0),
        "{after}"
    );
}

#[test]
fn on_postgresql_metrics_show_how_many_tokens_each_commit_stored() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let Some(database) = runtime.block_on(pg_support::TestDatabase::create(
        "on_postgresql_metrics_show_how_many_tokens_each_commit_stored",
    )) else {
        return;
    };
    let dir = TempDir::new().unwrap();
    let served = Served::start(
        dir.path(),
        &[
            "--metrics-listen",
            "127.0.0.1:0",
            "--database",
            &database.url,
        ],
    );
    let (client_id, secret) = machine_app(&served);
    for _ in 0..3 {
        client_credentials(&served, (&client_id, &secret));
    }
    let (_, text) = get(served.metrics_url.as_deref().unwrap());
    let stored = sample(&text, "oauth_console_store_commit_batch_size_sum");
    assert_eq!(
        stored,
        Some(3.0),
        "three tokens went through group commit: {text}"
    );
    let commits = sample(&text, "oauth_console_store_commit_batch_size_count").unwrap();
    assert!((1.0..=3.0).contains(&commits), "{text}");
    // Pool use is sampled while the store lives.
    let open = sample(&text, "oauth_console_store_pool_connections_open");
    assert!(open.is_some_and(|n| n >= 1.0), "{text}");
    assert!(
        sample(&text, "oauth_console_store_pool_connections_in_use").is_some(),
        "{text}"
    );
    assert!(
        sample(&text, "oauth_console_store_pool_waiting").is_some(),
        "{text}"
    );
    drop(served);
}

#[test]
fn json_logs_are_one_object_per_line_and_hold_no_secret() {
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("data");
    let served = Served::start_with_env(&data, &["--log-format", "json"], &[("RUST_LOG", "trace")]);
    let admin_key = std::fs::read_to_string(served.admin_key_file()).unwrap();
    let (client_id, secret) = machine_app(&served);
    let tokens = client_credentials(&served, (&client_id, &secret));
    let access_token = tokens["access_token"].as_str().unwrap().to_string();
    let (status, _) = post_form(
        &format!("{}oauth/introspect", served.base_url),
        (&client_id, &secret),
        &[("token", &access_token)],
    );
    assert_eq!(status, 200);
    let stderr = served.stop();

    let file_logs: String = std::fs::read_dir(data.join("logs"))
        .unwrap()
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .collect();
    for (source, text) in [("stderr", &stderr), ("log file", &file_logs)] {
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        assert!(lines.len() > 5, "{source} has too few lines: {text}");
        for line in &lines {
            let object: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{source}: not JSON ({e}): {line}"));
            assert!(
                object["level"].is_string() && object["timestamp"].is_string(),
                "{line}"
            );
        }
        assert!(
            lines.iter().any(|l| l.contains("/oauth/token")),
            "{source} records the token request: {text}"
        );
        for (what, value) in [
            ("client secret", secret.as_str()),
            ("access token", access_token.as_str()),
            ("admin key", admin_key.trim()),
        ] {
            assert!(
                !text.contains(value),
                "the {what} is in the {source}: {text}"
            );
        }
    }
}
