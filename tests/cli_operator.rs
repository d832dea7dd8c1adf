//! The operator features of the real `oauth-console` binary: profiles from the config
//! file, read-only mode, admin keys, the audit log, secret rotation with a grace
//! period, completions and the man page — against a real `serve` on 127.0.0.1.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod serve_support;

use serde_json::Value;
use serve_support::{API_SERVICES_APP, Served, json, stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tempfile::TempDir;

/// The binary with none of the caller's configuration leaking in, and the config
/// file `config` (which may not exist).
fn oauth_console(config: &Path) -> Command {
    let mut command = serve_support::oauth_console();
    command.env("OAUTH_CONSOLE_CONFIG", config);
    command
}

/// A `serve` on 127.0.0.1:0, a config file with a `prod` profile pointing at it, and
/// a scratch data dir that is not the server's (so nothing works by accident locally).
struct Setup {
    served: Served,
    server_data: TempDir,
    scratch: TempDir,
}

impl Setup {
    fn start() -> Setup {
        let server_data = TempDir::new().unwrap();
        let scratch = TempDir::new().unwrap();
        let none = scratch.path().join("none.toml");
        let served = Served::start_with_env(
            server_data.path(),
            &[],
            &[("OAUTH_CONSOLE_CONFIG", none.to_str().unwrap())],
        );
        let setup = Setup {
            served,
            server_data,
            scratch,
        };
        let config = format!(
            "[profiles.prod]\nserver = \"{}\"\nadmin_key_file = \"{}\"\n",
            setup.served.base_url,
            setup.admin_key_file().display()
        );
        std::fs::write(setup.config(), config).unwrap();
        setup
    }

    fn config(&self) -> PathBuf {
        self.scratch.path().join("config.toml")
    }

    fn admin_key_file(&self) -> PathBuf {
        self.server_data.path().join("admin.key")
    }

    /// The binary with this setup's config file and scratch data dir.
    fn command(&self) -> Command {
        let mut command = oauth_console(&self.config());
        command
            .arg("--data-dir")
            .arg(self.scratch.path().join("data"));
        command
    }

    /// Runs a subcommand on the `prod` profile.
    fn prod(&self, args: &[&str]) -> Output {
        self.command()
            .args(["--profile", "prod"])
            .args(args)
            .output()
            .unwrap()
    }

    fn create_api_app(&self, extra: &[&str]) -> Value {
        let mut args = API_SERVICES_APP.to_vec();
        args.extend_from_slice(extra);
        json(&self.prod(&args))
    }

    fn token_status(&self, client_id: &str, secret: &str) -> u16 {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            reqwest::Client::new()
                .post(format!("{}oauth/token", self.served.base_url))
                .basic_auth(client_id, Some(secret))
                .form(&[
                    ("grant_type", "client_credentials"),
                    ("scope", "monitoring"),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        })
    }
}

/// Writes `text` as the config file and runs `args` with it.
fn with_config(text: &str, args: &[&str]) -> Output {
    let dir = TempDir::new().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, text).unwrap();
    oauth_console(&config)
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .args(args)
        .output()
        .unwrap()
}

fn assert_config_error(out: &Output, line: &str, key: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains("config.toml"), "names the file: {err}");
    assert!(err.contains(line), "names {line}: {err}");
    assert!(err.contains(key), "names {key}: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_bad_config_value_stops_every_config_reader_with_file_line_and_key() {
    let text = "mouse = true\ntheme = \"blue\"\n";
    assert_config_error(&with_config(text, &["profiles", "list"]), "line 2", "theme");
    assert_config_error(&with_config(text, &["apps", "list"]), "line 2", "theme");
}

#[test]
fn an_unknown_config_key_is_named_with_its_line() {
    let text = "[profiles.prod]\nserver = \"https://a.example\"\nadmin_keyfile = \"/k\"\n";
    assert_config_error(
        &with_config(text, &["profiles", "list", "--json"]),
        "line 3",
        "admin_keyfile",
    );
}

#[test]
fn broken_config_syntax_is_one_error_line_not_a_default() {
    let out = with_config("theme = \"dark\"\n[profiles.prod\n", &["profiles", "list"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("config.toml") && err.contains("line 2"),
        "{err}"
    );
}

#[test]
fn profiles_list_json_shows_every_profile_with_server_key_file_and_access() {
    let text = "default_profile = \"staging\"\n\
                [profiles.prod]\nserver = \"https://auth.example.com\"\n\
                admin_key_file = \"/etc/oc/prod.key\"\nread_only = true\n\
                [profiles.staging]\nserver = \"http://127.0.0.1:8414\"\n";
    let list = json(&with_config(text, &["profiles", "list", "--json"]));
    assert_eq!(list["default_profile"], "staging");
    let profiles = list["profiles"].as_array().unwrap();
    assert_eq!(profiles.len(), 2);
    assert_eq!(profiles[0]["name"], "prod");
    assert_eq!(profiles[0]["server"], "https://auth.example.com/");
    assert_eq!(profiles[0]["admin_key_file"], "/etc/oc/prod.key");
    assert_eq!(profiles[0]["read_only"], true);
    assert_eq!(profiles[1]["name"], "staging");
    assert_eq!(profiles[1]["admin_key_file"], Value::Null);
    assert_eq!(profiles[1]["read_only"], false);
}

#[test]
fn an_unknown_profile_is_refused_naming_the_config_file_and_the_known_ones() {
    let out = with_config(
        "[profiles.prod]\nserver = \"https://a.example\"\n",
        &["--profile", "prdo", "apps", "list"],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("\"prdo\""), "{err}");
    assert!(err.contains("config.toml"), "{err}");
    assert!(err.contains("prod"), "{err}");
}

#[test]
fn profile_supplies_server_and_key_and_the_default_profile_applies_without_flags() {
    let setup = Setup::start();
    let app = setup.create_api_app(&[]);
    let client_id = app["client_id"].as_str().unwrap();
    // The scratch data dir is empty: the app can only have come from the profile's server.
    let listed = json(&setup.prod(&["apps", "list", "--json"]));
    assert_eq!(listed["apps"][0]["client_id"], client_id);

    let text = std::fs::read_to_string(setup.config()).unwrap();
    std::fs::write(
        setup.config(),
        format!("default_profile = \"prod\"\n{text}"),
    )
    .unwrap();
    let listed = json(
        &setup
            .command()
            .args(["apps", "list", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(listed["apps"][0]["client_id"], client_id);
}

#[test]
fn a_read_only_admin_key_is_shown_once_can_list_but_not_create_and_stops_when_revoked() {
    let setup = Setup::start();
    let created = json(&setup.prod(&["admin-keys", "create", "ro", "--read-only", "--json"]));
    assert_eq!(created["name"], "ro");
    assert_eq!(created["read_only"], true);
    let key = created["key"].as_str().unwrap().to_string();
    assert!(key.len() >= 20, "{key}");
    assert!(
        created["warning"].as_str().unwrap().contains("once"),
        "{created}"
    );
    // Listing the keys never shows a key again.
    let keys = setup.prod(&["admin-keys", "list", "--json"]);
    assert!(!stdout(&keys).contains(&key));
    assert!(stdout(&keys).contains("\"ro\""), "{}", stdout(&keys));

    let as_ro = |args: &[&str]| {
        setup
            .command()
            .args(["--server", &setup.served.base_url])
            .args(args)
            .env("OAUTH_CONSOLE_ADMIN_KEY", &key)
            .output()
            .unwrap()
    };
    let refused = as_ro(&[
        "apps",
        "create",
        "--name",
        "Nope",
        "--platform",
        "api-services",
        "--scope",
        "monitoring",
    ]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("this admin key is read-only"),
        "{}",
        stderr(&refused)
    );
    let listed = json(&as_ro(&["apps", "list", "--json"]));
    assert_eq!(listed["apps"].as_array().unwrap().len(), 0);

    let revoked = setup.prod(&["admin-keys", "revoke", "ro"]);
    assert!(revoked.status.success(), "{}", stderr(&revoked));
    let after = as_ro(&["apps", "list"]);
    assert_eq!(after.status.code(), Some(1));
    assert_eq!(stderr(&after).lines().count(), 1);
    assert!(
        stderr(&after).contains("did not accept the admin key"),
        "{}",
        stderr(&after)
    );
}

#[test]
fn the_read_only_flag_refuses_a_delete_before_sending_it() {
    let setup = Setup::start();
    let app = setup.create_api_app(&[]);
    let client_id = app["client_id"].as_str().unwrap();
    let out = setup.prod(&["--read-only", "apps", "delete", client_id]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
    assert!(stderr(&out).contains("apps delete"), "{}", stderr(&out));
    // The app is still there.
    let shown = setup.prod(&["apps", "show", client_id, "--json"]);
    assert!(shown.status.success(), "{}", stderr(&shown));
}

#[test]
fn audit_list_shows_who_created_an_app_and_never_its_secret() {
    let setup = Setup::start();
    let ops = json(&setup.prod(&["admin-keys", "create", "ops", "--json"]));
    let ops_key = ops["key"].as_str().unwrap();
    let created = json(
        &setup
            .command()
            .args(["--server", &setup.served.base_url])
            .args([
                "apps",
                "create",
                "--json",
                "--name",
                "Audited",
                "--platform",
                "api-services",
                "--scope",
                "monitoring",
            ])
            .env("OAUTH_CONSOLE_ADMIN_KEY", ops_key)
            .output()
            .unwrap(),
    );
    let client_id = created["client_id"].as_str().unwrap();
    let secret = created["client_secret"].as_str().unwrap();

    let out = setup.prod(&["audit", "list", "--action", "app.create", "--json"]);
    let page = json(&out);
    let records = page["records"].as_array().unwrap();
    assert_eq!(records.len(), 1, "{page}");
    assert_eq!(records[0]["actor"], "ops");
    assert_eq!(records[0]["target"], client_id);
    assert!(!stdout(&out).contains(secret));
    assert!(!stdout(&out).contains(ops_key));

    let by_other = json(&setup.prod(&["audit", "list", "--actor", "nobody", "--json"]));
    assert_eq!(by_other["records"].as_array().unwrap().len(), 0);
}

#[test]
fn rotating_with_a_grace_keeps_the_old_secret_working_until_end_grace() {
    let setup = Setup::start();
    let app = setup.create_api_app(&[]);
    let client_id = app["client_id"].as_str().unwrap();
    let old_secret = app["client_secret"].as_str().unwrap();

    let rotated = json(&setup.prod(&[
        "apps",
        "rotate-secret",
        client_id,
        "--grace",
        "60",
        "--json",
    ]));
    let new_secret = rotated["client_secret"].as_str().unwrap();
    assert!(
        rotated["previous_secret_expires_at"].as_i64().is_some(),
        "{rotated}"
    );
    assert_eq!(setup.token_status(client_id, old_secret), 200);
    assert_eq!(setup.token_status(client_id, new_secret), 200);

    let shown = setup.prod(&["apps", "show", client_id]);
    assert!(
        stdout(&shown).contains("Previous secret until"),
        "{}",
        stdout(&shown)
    );

    let ended = setup.prod(&["apps", "end-grace", client_id]);
    assert!(ended.status.success(), "{}", stderr(&ended));
    assert!(
        stdout(&ended).contains("no longer works"),
        "{}",
        stdout(&ended)
    );
    assert_eq!(setup.token_status(client_id, old_secret), 401);
    assert_eq!(setup.token_status(client_id, new_secret), 200);
}

#[test]
fn rotating_with_zero_grace_cuts_the_old_secret_off_at_once() {
    let setup = Setup::start();
    let app = setup.create_api_app(&[]);
    let client_id = app["client_id"].as_str().unwrap();
    let old_secret = app["client_secret"].as_str().unwrap();
    let out = setup.prod(&["apps", "rotate-secret", client_id, "--grace", "0"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("no longer works"), "{}", stdout(&out));
    assert_eq!(setup.token_status(client_id, old_secret), 401);
}

#[test]
fn bash_completions_know_the_subcommands() {
    let dir = TempDir::new().unwrap();
    let out = oauth_console(&dir.path().join("none.toml"))
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let script = stdout(&out);
    for word in [
        "apps",
        "tokens",
        "admin-keys",
        "audit",
        "profiles",
        "rotate-secret",
    ] {
        assert!(script.contains(word), "no {word} in the completions");
    }
}

#[test]
fn man_prints_a_roff_page_for_oauth_console() {
    let dir = TempDir::new().unwrap();
    let out = oauth_console(&dir.path().join("none.toml"))
        .arg("man")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let page = stdout(&out);
    let header = page.lines().find(|l| l.starts_with(".TH")).unwrap_or("");
    assert!(header.starts_with(".TH oauth-console 1"), "{page}");
    assert!(
        page.contains("\\-\\-profile") || page.contains("--profile"),
        "{page}"
    );
}

#[test]
fn a_read_only_profile_refuses_changes_locally_and_names_the_profile() {
    let setup = Setup::start();
    let text = std::fs::read_to_string(setup.config()).unwrap();
    std::fs::write(setup.config(), format!("{text}read_only = true\n")).unwrap();
    let out = setup.prod(&[
        "apps",
        "create",
        "--name",
        "X",
        "--platform",
        "api-services",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("\"prod\""), "{}", stderr(&out));
    assert!(stderr(&out).contains("apps create"), "{}", stderr(&out));
    // Looking is still allowed.
    assert!(setup.prod(&["apps", "list"]).status.success());
    let audit = setup.prod(&["audit", "list"]);
    assert!(audit.status.success(), "{}", stderr(&audit));
    assert!(!stdout(&audit).contains("app.create"), "{}", stdout(&audit));
}

#[test]
fn a_new_admin_key_is_printed_once_with_a_warning_for_people_too() {
    let setup = Setup::start();
    let out = setup.prod(&["admin-keys", "create", "ci"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Admin key: "), "{text}");
    assert!(text.contains("Shown this once"), "{text}");
    assert!(text.contains("read-write"), "{text}");
    let listed = stdout(&setup.prod(&["admin-keys", "list"]));
    assert!(
        listed.contains("ci") && listed.contains("read-write"),
        "{listed}"
    );
    assert!(!listed.contains("Admin key: "), "{listed}");
}
