//! Getting a token in the real `oauth-console` binary, in a pseudo-terminal, on its
//! embedded server: the Get token dialog takes a pasted secret, the token shows up in
//! this session's tokens, and `y` copies it over OSC 52 (the console thinks it runs
//! over SSH).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pty_support;
use pty_support::*;
use tempfile::TempDir;

#[test]
fn a_token_got_with_t_shows_in_this_session_and_y_copies_it() {
    let dir = TempDir::new().unwrap();
    // The first start creates the data dir and the admin key; the CLI then adds an app.
    let mut console = Console::start(dir.path());
    console.wait_for("Client apps");
    let created: serde_json::Value = serde_json::from_str(&cli(
        dir.path(),
        &[
            "apps",
            "create",
            "--json",
            "--name",
            "Billing sync",
            "--platform",
            "api-services",
            "--scope",
            "monitoring",
        ],
    ))
    .unwrap();
    let secret = created["client_secret"].as_str().unwrap().to_string();
    console.send("\x12"); // Ctrl-R reloads the apps.
    console.wait_for("Billing sync");

    console.send("t");
    console.wait_for("Get token");
    console.send("\r"); // Without the secret: asks for it, focus on the field.
    console.wait_for("Type the client secret");
    console.send(&format!("\x1b[200~{secret}\x1b[201~"));
    console.wait_for("••••••••");
    assert!(!console.screen_text().contains(&secret));
    console.send("\r");
    console.wait_for("This session");
    console.wait_for("client cred");
    console.send("y");
    console.wait_for("Access token copied");
    console.send("q");
    let raw = console.wait_for_exit();

    let copies = osc52_copies(&raw);
    let token = copies.last().expect("an OSC 52 copy");
    assert!(token.starts_with("oca_") && token.len() > 40, "{token}");
    // The secret never reached the terminal in clear.
    assert!(!String::from_utf8_lossy(&raw).contains(&secret));
    // The token works: the server, started on the same data dir, introspects the very
    // token that was copied as active, and lists that token (by its ID) as active.
    let jti = introspected_id(dir.path(), token);
    let client_id = created["client_id"].as_str().unwrap();
    let tokens: serde_json::Value =
        serde_json::from_str(&cli(dir.path(), &["tokens", "list", "--active", "--json"])).unwrap();
    let listed = tokens["tokens"]
        .as_array()
        .or_else(|| tokens.as_array())
        .unwrap_or_else(|| panic!("a list of tokens: {tokens}"))
        .iter()
        .find(|t| t["id"] == jti.as_str())
        .unwrap_or_else(|| panic!("token {jti} is not listed as active: {tokens}"));
    assert_eq!(listed["client_id"], client_id, "{listed}");
    assert_eq!(listed["grant"], "client_credentials", "{listed}");
    assert_eq!(listed["kind"], "access", "{listed}");
}

/// Starts the server on `data_dir`, introspects `token` with the admin key, checks it
/// is active, and returns its public ID (`jti`).
fn introspected_id(data_dir: &std::path::Path, token: &str) -> String {
    use oauth_console::server::{ServerConfig, read_admin_key, start};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let server = start(ServerConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            data_dir: data_dir.to_path_buf(),
            issuer: None,
            database: None,
            limits: Default::default(),
        })
        .await
        .unwrap();
        let admin_key = read_admin_key(server.admin_key_file()).unwrap();
        let info: serde_json::Value = reqwest::Client::new()
            .post(server.base_url().join("oauth/introspect").unwrap())
            .bearer_auth(admin_key)
            .form(&[("token", token)])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        server.shutdown().await;
        assert_eq!(info["active"], true, "{info}");
        info["jti"].as_str().unwrap().to_string()
    })
}
