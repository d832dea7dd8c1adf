//! Conventions users bring from `gh` and the Auth0 CLI, on the real binary: destructive
//! commands ask first (and refuse without a terminal unless `--yes`), `profiles use`
//! sets the default profile, tables on a pipe are tab-separated, and durations read
//! `90s`, `15m`, `24h`, `7d`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pty_support;
mod serve_support;

use pty_support::Console;
use serde_json::Value;
use serve_support::run_local as run;
use serve_support::{json, oauth_console, stderr, stdout};
use std::path::Path;
use tempfile::TempDir;

fn new_app(data: &Path, name: &str, extra: &[&str]) -> Value {
    let mut args = vec!["apps", "create", "--json", "--name", name];
    args.extend_from_slice(extra);
    json(&run(data, &args))
}

fn api_app(data: &Path, name: &str) -> String {
    let app = new_app(
        data,
        name,
        &["--platform", "api-services", "--scope", "monitoring"],
    );
    app["client_id"].as_str().unwrap().to_string()
}

fn app_count(data: &Path) -> usize {
    json(&run(data, &["apps", "list", "--json"]))["apps"]
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn without_a_terminal_deleting_needs_yes_and_otherwise_sends_nothing() {
    let data = TempDir::new().unwrap();
    let client_id = api_app(data.path(), "Billing sync");

    let refused = run(data.path(), &["apps", "delete", &client_id]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    let err = stderr(&refused);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--yes") && err.contains(&client_id), "{err}");
    assert!(refused.stdout.is_empty());
    assert_eq!(app_count(data.path()), 1, "nothing was deleted");

    let revoke = run(data.path(), &["tokens", "revoke", "tok_anything"]);
    assert_eq!(revoke.status.code(), Some(2), "{}", stderr(&revoke));
    assert!(stderr(&revoke).contains("--yes"), "{}", stderr(&revoke));

    let deleted = run(data.path(), &["apps", "delete", &client_id, "--yes"]);
    assert!(deleted.status.success(), "{}", stderr(&deleted));
    assert_eq!(app_count(data.path()), 0);
    // -y is the short form; the app is gone now, so this one is not found (exit 3).
    let again = run(data.path(), &["apps", "delete", "-y", &client_id]);
    assert_eq!(again.status.code(), Some(3), "{}", stderr(&again));
}

#[test]
fn on_a_terminal_deleting_asks_and_only_yes_goes_ahead() {
    let data = TempDir::new().unwrap();
    let client_id = api_app(data.path(), "Billing sync");

    let mut declined = Console::start_with_args(data.path(), &["apps", "delete", &client_id]);
    declined.wait_for("[y/N]");
    assert!(declined.screen_text().contains(&client_id));
    declined.send("n\r");
    declined.wait_for_exit();
    assert!(
        declined.screen_text().contains("Not confirmed"),
        "{}",
        declined.screen_text()
    );
    assert_eq!(app_count(data.path()), 1, "a no keeps the app");

    let mut confirmed = Console::start_with_args(data.path(), &["apps", "delete", &client_id]);
    confirmed.wait_for("[y/N]");
    confirmed.send("y\r");
    confirmed.wait_for_exit();
    assert!(
        confirmed.screen_text().contains("Deleted app"),
        "{}",
        confirmed.screen_text()
    );
    assert_eq!(app_count(data.path()), 0);
}

#[test]
fn profiles_use_sets_the_default_and_keeps_the_rest_of_the_file() {
    let dir = TempDir::new().unwrap();
    let config = dir.path().join("config.toml");
    let text = "# my settings\ntheme = \"light\"\n\n[profiles.dev]\nserver = \"http://127.0.0.1:1/\"\n\n[profiles.prod]\nserver = \"https://auth.example.com/\"\nread_only = true\n";
    std::fs::write(&config, text).unwrap();
    let with_config = |args: &[&str]| {
        oauth_console()
            .env("OAUTH_CONSOLE_CONFIG", &config)
            .args(args)
            .output()
            .unwrap()
    };

    let used = with_config(&["profiles", "use", "prod"]);
    assert!(used.status.success(), "{}", stderr(&used));
    assert!(stdout(&used).contains("prod"), "{}", stdout(&used));
    let written = std::fs::read_to_string(&config).unwrap();
    assert_eq!(written, format!("default_profile = \"prod\"\n{text}"));
    let list = json(&with_config(&["profiles", "list", "--json"]));
    assert_eq!(list["default_profile"], "prod");

    // Again, to another: the line is replaced, not added twice.
    assert!(with_config(&["profiles", "use", "dev"]).status.success());
    let written = std::fs::read_to_string(&config).unwrap();
    assert_eq!(written.matches("default_profile").count(), 1, "{written}");
    assert!(written.starts_with("default_profile = \"dev\"\n# my settings\n"));

    let unknown = with_config(&["profiles", "use", "staging"]);
    assert_eq!(unknown.status.code(), Some(2));
    let err = stderr(&unknown);
    assert!(
        err.contains("staging") && err.contains("dev, prod"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&config).unwrap(), written);
}

#[test]
fn tables_are_tab_separated_on_a_pipe_and_aligned_on_a_terminal() {
    let data = TempDir::new().unwrap();
    let first = api_app(data.path(), "Billing sync");
    let second = api_app(data.path(), "Reports");

    let piped = run(data.path(), &["apps", "list"]);
    let text = stdout(&piped);
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 2, "no header, one row per app:\n{text}");
    // NAME PLATFORM CLIENT-ID SCOPES GRANTS CREATED LAST-USED 24H ACTIVE
    assert!(rows.iter().all(|r| r.len() == 9), "{text}");
    assert!(!text.contains("  "), "no padding: {text:?}");
    let ids: Vec<&str> = rows.iter().map(|r| r[2]).collect();
    assert!(ids.contains(&first.as_str()) && ids.contains(&second.as_str()));

    // An empty list prints nothing on a pipe, not a hint a script would read as a row.
    let none = run(data.path(), &["tokens", "list"]);
    assert!(none.status.success(), "{}", stderr(&none));
    assert_eq!(stdout(&none), "");

    let mut terminal = Console::start_with_args(data.path(), &["apps", "list"]);
    terminal.wait_for_exit();
    let screen = terminal.screen_text();
    let lines: Vec<&str> = screen.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(
        lines[0].starts_with("NAME") && lines[0].contains("CLIENT ID"),
        "{screen}"
    );
    let row = lines.iter().find(|l| l.contains(&first)).unwrap();
    assert_eq!(
        lines[0].find("CLIENT ID"),
        row.find(&first),
        "columns line up:\n{screen}"
    );
    assert!(!screen.contains('\t'));
}

#[test]
fn durations_read_seconds_minutes_hours_and_days() {
    let data = TempDir::new().unwrap();
    let web = new_app(
        data.path(),
        "Portal",
        &[
            "--platform",
            "web",
            "--redirect-url",
            "https://portal.example.com/callback",
            "--scope",
            "monitoring,offline_access",
            "--grant",
            "authorization_code,refresh_token",
            "--access-token-ttl",
            "15m",
            "--refresh-token-ttl",
            "7d",
        ],
    );
    assert_eq!(web["access_token_ttl"], 900, "{web}");
    assert_eq!(web["refresh_token_ttl"], 604_800, "{web}");
    let client_id = web["client_id"].as_str().unwrap();

    let updated = json(&run(
        data.path(),
        &[
            "apps",
            "update",
            client_id,
            "--access-token-ttl",
            "90s",
            "--json",
        ],
    ));
    assert_eq!(updated["access_token_ttl"], 90, "{updated}");

    let before = time::OffsetDateTime::now_utc().unix_timestamp();
    let rotated = json(&run(
        data.path(),
        &[
            "apps",
            "rotate-secret",
            client_id,
            "--grace",
            "24h",
            "--json",
        ],
    ));
    let until = rotated["previous_secret_expires_at"].as_i64().unwrap();
    assert!(
        (before + 86_400..before + 86_400 + 60).contains(&until),
        "{rotated}"
    );
    let cut = json(&run(
        data.path(),
        &["apps", "rotate-secret", client_id, "--grace", "0", "--json"],
    ));
    assert!(cut["previous_secret_expires_at"].is_null(), "{cut}");

    let bad = run(
        data.path(),
        &["apps", "rotate-secret", client_id, "--grace", "3w"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("s, m, h or d"), "{}", stderr(&bad));
}
