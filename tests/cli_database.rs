//! The real binary's subcommands on `--database` (and `OAUTH_CONSOLE_DATABASE_URL`, and
//! the config file's `database`) instead of the data dir's SQLite file: what one
//! machine writes, another machine's command reads.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pg_support;

use pg_support::TestDatabase;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_oauth-console");

/// The binary on its own data dir `dir`, with nothing of the caller's environment.
fn oauth_console(dir: &Path) -> Command {
    let mut command = Command::new(BIN);
    for var in [
        "OAUTH_CONSOLE_DATA_DIR",
        "OAUTH_CONSOLE_ADMIN_KEY",
        "OAUTH_CONSOLE_DATABASE_URL",
        "RUST_LOG",
    ] {
        command.env_remove(var);
    }
    command
        .env("OAUTH_CONSOLE_CONFIG", dir.join("config.toml"))
        .arg("--data-dir")
        .arg(dir.join("data"))
        .stdin(Stdio::null());
    command
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}, stderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn subcommands_on_one_database_from_two_machines_see_the_same_apps_and_keys() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let Some(database) = runtime.block_on(TestDatabase::create("cli_database::two_machines"))
    else {
        return;
    };
    let (first, second) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let created = json(
        &oauth_console(first.path())
            .args(["--database", &database.url, "--json"])
            .args([
                "apps",
                "create",
                "--name",
                "Billing sync",
                "--platform",
                "api-services",
                "--scope",
                "monitoring",
            ])
            .output()
            .unwrap(),
    );
    let client_id = created["client_id"].as_str().unwrap().to_string();
    // The first command on an empty database made its first admin key, in its data dir.
    assert!(first.path().join("data").join("admin.key").is_file());

    // Another machine: the environment variable instead of the flag, another data dir.
    let listed = json(
        &oauth_console(second.path())
            .env("OAUTH_CONSOLE_DATABASE_URL", &database.url)
            .args(["--json", "apps", "list"])
            .output()
            .unwrap(),
    );
    let ids: Vec<&str> = listed["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["client_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [client_id.as_str()]);

    // The config file names the database too; the session keys each command made for
    // itself are revoked again, only the first key stays usable.
    std::fs::write(
        second.path().join("config.toml"),
        format!("database = \"{}\"\n", database.url),
    )
    .unwrap();
    let keys = json(
        &oauth_console(second.path())
            .args(["--json", "admin-keys", "list"])
            .output()
            .unwrap(),
    );
    let keys = keys["keys"].as_array().unwrap();
    let active: Vec<&str> = keys
        .iter()
        .filter(|k| k["revoked_at"].is_null())
        .map(|k| k["name"].as_str().unwrap())
        .collect();
    assert!(active.contains(&"default"), "{keys:?}");
    let sessions = keys
        .iter()
        .filter(|k| k["name"].as_str().unwrap().starts_with("cli-"))
        .count();
    // Two finished commands, plus this one's own key, still active while it lists.
    assert_eq!(sessions, 3, "{keys:?}");
    assert_eq!(active.len(), 2, "{keys:?}");
    // The SQLite file in the data dir was never made.
    assert!(!second.path().join("data").join("oauth-console.db").exists());
}

#[test]
fn an_unknown_database_url_is_a_usage_error_that_shows_no_password() {
    let dir = TempDir::new().unwrap();
    let out = oauth_console(dir.path())
        .args([
            "--database",
            "mysql://root:hunter2@db.internal/auth",
            "apps",
            "list",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("postgres://"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
}
