//! A `serve` process keeps recently introspected tokens in memory; the CLI, another
//! process on the same data dir, revokes one: the next introspection at `serve` says
//! inactive, before and after `serve` writes anything itself.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod serve_support;

use serde_json::Value;
use serve_support::{API_SERVICES_APP, Served, json, post_form, run_local};
use tempfile::TempDir;

#[test]
fn a_token_revoked_by_the_cli_beside_serve_is_inactive_at_once() {
    let data = TempDir::new().unwrap();
    let served = Served::start(data.path(), &[]);
    let app = json(&run_local(data.path(), API_SERVICES_APP));
    let client = (
        app["client_id"].as_str().unwrap(),
        app["client_secret"].as_str().unwrap(),
    );
    let token_url = served.url("oauth/token").to_string();
    let introspect_url = served.url("oauth/introspect").to_string();
    let issue = || {
        let (status, body) = post_form(&token_url, client, &[("grant_type", "client_credentials")]);
        assert_eq!(status, 200, "{body}");
        body["access_token"].as_str().unwrap().to_string()
    };
    let introspect = |token: &str| post_form(&introspect_url, client, &[("token", token)]).1;

    let first = issue();
    let mut seen = Value::Null;
    // Read often enough to be kept in memory.
    for _ in 0..3 {
        seen = introspect(&first);
        assert_eq!(seen["active"], true, "{seen}");
    }
    let jti = seen["jti"].as_str().unwrap().to_string();

    let revoked = run_local(data.path(), &["tokens", "revoke", &jti, "--yes"]);
    assert!(revoked.status.success(), "{revoked:?}");
    assert_eq!(introspect(&first), serde_json::json!({"active": false}));

    // `serve` writes again (its writer then sees the CLI's commit): still inactive, and
    // a new token is active and kept.
    let second = issue();
    for _ in 0..3 {
        assert_eq!(introspect(&first), serde_json::json!({"active": false}));
        assert_eq!(introspect(&second)["active"], true);
    }
    let seen = introspect(&second);
    let jti = seen["jti"].as_str().unwrap().to_string();
    let revoked = run_local(data.path(), &["tokens", "revoke", &jti, "--yes"]);
    assert!(revoked.status.success(), "{revoked:?}");
    assert_eq!(introspect(&second), serde_json::json!({"active": false}));
}
