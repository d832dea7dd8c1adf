//! The real `oauth-console` binary, run as a user or a script would run it: against
//! temporary data dirs, its in-process server, and a real `serve` on 127.0.0.1.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod serve_support;

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

use serve_support::run_local as run;
use serve_support::{BIN, Served, json, oauth_console, post_form, stderr, stdout};

fn create_app(data: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["apps", "create", "--json"];
    args.extend_from_slice(extra);
    json(&run(data, &args))
}

fn api_services_app(data: &Path) -> (String, String) {
    let app = create_app(
        data,
        &[
            "--name",
            "Billing sync",
            "--platform",
            "api-services",
            "--scope",
            "monitoring",
        ],
    );
    (
        app["client_id"].as_str().unwrap().to_string(),
        app["client_secret"].as_str().unwrap().to_string(),
    )
}

fn admin_key(data: &Path) -> String {
    std::fs::read_to_string(data.join("admin.key"))
        .unwrap()
        .trim()
        .to_string()
}

#[test]
fn serve_announces_address_issuer_and_key_file_but_never_the_key_and_stops_on_sigterm() {
    let data = TempDir::new().unwrap();
    let mut served = Served::start(data.path(), &[]);
    let key = admin_key(data.path());
    assert!(served.banner.contains("127.0.0.1:"), "{}", served.banner);
    assert!(
        served.banner.contains("issuer: http://"),
        "{}",
        served.banner
    );
    assert!(
        served
            .banner
            .contains(&data.path().join("admin.key").display().to_string()),
        "{}",
        served.banner
    );
    assert!(!served.banner.contains(&key));

    let status = served.stop_with("TERM");
    assert_eq!(status.code(), Some(0));
    let logged = served.take_log();
    assert!(logged.contains("INFO"), "serve logs to stderr: {logged}");
    assert!(!logged.contains(&key), "the admin key was logged");
}

#[test]
fn serve_stops_cleanly_on_sigint() {
    let data = TempDir::new().unwrap();
    let mut served = Served::start(data.path(), &[]);
    assert_eq!(served.stop_with("INT").code(), Some(0));
}

#[cfg(unix)]
#[test]
fn the_admin_key_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let data = TempDir::new().unwrap();
    json(&run(data.path(), &["apps", "list", "--json"]));
    let mode = std::fs::metadata(data.path().join("admin.key"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn confidential_apps_get_a_secret_once_and_native_apps_none() {
    let data = TempDir::new().unwrap();
    let web = create_app(
        data.path(),
        &[
            "--name",
            "PSA connector",
            "--platform",
            "web",
            "--redirect-url",
            "https://psa.example.com/callback",
            "--scope",
            "monitoring,management",
        ],
    );
    assert!(web["client_id"].as_str().unwrap().starts_with("oc_"));
    assert!(web["client_secret"].as_str().unwrap().starts_with("ocs_"));

    let (api_id, api_secret) = api_services_app(data.path());
    assert!(api_id.starts_with("oc_") && api_secret.starts_with("ocs_"));

    let native = create_app(
        data.path(),
        &[
            "--name",
            "Asset inventory",
            "--platform",
            "native",
            "--scope",
            "monitoring",
        ],
    );
    assert!(native["client_id"].as_str().unwrap().starts_with("oc_"));
    assert!(native.get("client_secret").is_none(), "{native}");

    // Shown once: neither the list nor the app's page carries a secret.
    let list = stdout(&run(data.path(), &["apps", "list", "--json"]));
    assert!(!list.contains(&api_secret) && !list.contains("client_secret"));
    let shown = stdout(&run(data.path(), &["apps", "show", &api_id, "--json"]));
    assert!(!shown.contains(&api_secret));
}

#[test]
fn apps_list_shows_created_apps_as_json_and_as_a_table() {
    let data = TempDir::new().unwrap();
    let (client_id, _) = api_services_app(data.path());
    let list = json(&run(data.path(), &["apps", "list", "--json"]));
    let apps = list["apps"].as_array().unwrap();
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0]["client_id"], client_id.as_str());
    assert_eq!(apps[0]["platform"], "api-services");

    // On a pipe: one tab-separated row per app, no header (the aligned table a
    // terminal gets is in cli_conventions.rs).
    let table = stdout(&run(data.path(), &["apps", "list"]));
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 1, "{table}");
    let cells: Vec<&str> = lines[0].split('\t').collect();
    assert_eq!(cells[0], "Billing sync", "{table}");
    assert_eq!(cells[2], client_id, "{table}");
}

#[test]
fn showing_an_unknown_app_exits_3_with_one_line() {
    let data = TempDir::new().unwrap();
    let out = run(data.path(), &["apps", "show", "oc_nope"]);
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("oc_nope"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn an_app_breaking_the_platform_rules_is_refused_with_exit_2_and_not_created() {
    let data = TempDir::new().unwrap();
    let out = run(
        data.path(),
        &[
            "apps",
            "create",
            "--name",
            "Wrong",
            "--platform",
            "api-services",
            "--scope",
            "monitoring",
            "--grant",
            "authorization_code",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("API services apps can only use client credentials"),
        "{}",
        stderr(&out)
    );
    let list = json(&run(data.path(), &["apps", "list", "--json"]));
    assert_eq!(list["apps"].as_array().unwrap().len(), 0);
}

#[test]
fn each_broken_rule_gets_its_own_line() {
    let data = TempDir::new().unwrap();
    // A single-page app with no redirect URL and no scope breaks two rules.
    let out = run(
        data.path(),
        &[
            "apps",
            "create",
            "--name",
            "SPA",
            "--platform",
            "single-page",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(err.contains("Choose at least one scope"), "{err}");
    assert!(err.contains("redirect URL"), "{err}");
}

#[test]
fn update_changes_only_the_given_fields() {
    let data = TempDir::new().unwrap();
    let (client_id, _) = api_services_app(data.path());
    let updated = json(&run(
        data.path(),
        &[
            "apps",
            "update",
            &client_id,
            "--name",
            "Billing v2",
            "--json",
        ],
    ));
    assert_eq!(updated["name"], "Billing v2");
    assert_eq!(updated["scopes"], serde_json::json!(["monitoring"]));
    assert_eq!(
        updated["grant_types"],
        serde_json::json!(["client_credentials"])
    );

    let refused = run(
        data.path(),
        &["apps", "update", &client_id, "--scope", "offline_access"],
    );
    assert_eq!(refused.status.code(), Some(2));
    let shown = json(&run(data.path(), &["apps", "show", &client_id, "--json"]));
    assert_eq!(shown["scopes"], serde_json::json!(["monitoring"]));
}

#[test]
fn deleting_an_app_removes_it_and_a_second_delete_is_not_found() {
    let data = TempDir::new().unwrap();
    let (client_id, _) = api_services_app(data.path());
    let out = run(data.path(), &["apps", "delete", &client_id, "--yes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let list = json(&run(data.path(), &["apps", "list", "--json"]));
    assert_eq!(list["apps"].as_array().unwrap().len(), 0);
    assert_eq!(
        run(data.path(), &["apps", "delete", &client_id, "--yes"])
            .status
            .code(),
        Some(3)
    );
}

#[test]
fn rotate_secret_prints_a_new_secret_that_gets_tokens() {
    let data = TempDir::new().unwrap();
    let (client_id, old_secret) = api_services_app(data.path());
    let rotated = json(&run(
        data.path(),
        &["apps", "rotate-secret", &client_id, "--json"],
    ));
    let new_secret = rotated["client_secret"].as_str().unwrap();
    assert!(new_secret.starts_with("ocs_"));
    assert_ne!(new_secret, old_secret);

    let served = Served::start(data.path(), &[]);
    let (status, body) = post_form(
        &format!("{}oauth/token", served.base_url),
        (&client_id, new_secret),
        &[
            ("grant_type", "client_credentials"),
            ("scope", "monitoring"),
        ],
    );
    assert_eq!(status, 200, "{body}");
}

#[test]
fn the_server_flag_works_against_a_running_serve() {
    let served_dir = TempDir::new().unwrap();
    let served = Served::start(served_dir.path(), &[]);
    let key_file = served_dir.path().join("admin.key");
    // A different, empty data dir: everything must come from the server.
    let elsewhere = TempDir::new().unwrap();
    let remote = |args: &[&str]| {
        oauth_console()
            .arg("--data-dir")
            .arg(elsewhere.path())
            .args(["--server", &served.base_url, "--admin-key-file"])
            .arg(&key_file)
            .args(args)
            .output()
            .unwrap()
    };
    let created = json(&remote(&[
        "apps",
        "create",
        "--name",
        "Remote",
        "--platform",
        "api-services",
        "--scope",
        "control",
        "--json",
    ]));
    let list = json(&remote(&["apps", "list", "--json"]));
    assert_eq!(list["apps"][0]["client_id"], created["client_id"]);

    // The key may also come from the environment.
    let via_env = oauth_console()
        .arg("--data-dir")
        .arg(elsewhere.path())
        .args(["--server", &served.base_url, "apps", "list", "--json"])
        .env("OAUTH_CONSOLE_ADMIN_KEY", admin_key(served_dir.path()))
        .output()
        .unwrap();
    assert_eq!(json(&via_env)["apps"][0]["name"], "Remote");

    // A wrong key is refused by the server: exit 1, one line.
    let wrong = oauth_console()
        .arg("--data-dir")
        .arg(elsewhere.path())
        .args(["--server", &served.base_url, "apps", "list"])
        .env("OAUTH_CONSOLE_ADMIN_KEY", "ocak_not-the-key")
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(1));
    assert_eq!(stderr(&wrong).lines().count(), 1, "{}", stderr(&wrong));
}

#[test]
fn an_unreachable_server_is_exit_1_with_one_line() {
    let data = TempDir::new().unwrap();
    let out = oauth_console()
        .args(["--server", "http://127.0.0.1:9/", "apps", "list"])
        .arg("--data-dir")
        .arg(data.path())
        .env("OAUTH_CONSOLE_ADMIN_KEY", "ocak_whatever")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("127.0.0.1:9"), "{err}");
}

#[test]
fn users_add_reads_the_password_from_stdin() {
    let data = TempDir::new().unwrap();
    let add = |name: &str, stdin: &[u8]| {
        let mut child = oauth_console()
            .arg("--data-dir")
            .arg(data.path())
            .args(["users", "add", name, "--password-stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin).unwrap();
        child.wait_with_output().unwrap()
    };
    let out = add("alice", b"correct horse battery staple\n");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("alice"));
    assert!(!stdout(&out).contains("correct horse"));

    let empty = add("bob", b"");
    assert_eq!(empty.status.code(), Some(2));
    assert!(stderr(&empty).contains("password"), "{}", stderr(&empty));
}

#[test]
fn tokens_are_listed_per_app_and_a_revoked_token_stops_working() {
    let data = TempDir::new().unwrap();
    let (client_id, secret) = api_services_app(data.path());
    let (other_id, other_secret) = api_services_app(data.path());
    let served = Served::start(data.path(), &[]);
    let token_url = format!("{}oauth/token", served.base_url);
    let get_token = |id: &str, secret: &str| {
        let (status, body) = post_form(
            &token_url,
            (id, secret),
            &[
                ("grant_type", "client_credentials"),
                ("scope", "monitoring"),
            ],
        );
        assert_eq!(status, 200, "{body}");
        body["access_token"].as_str().unwrap().to_string()
    };
    let access_token = get_token(&client_id, &secret);
    get_token(&other_id, &other_secret);

    let remote = |args: &[&str]| {
        oauth_console()
            .arg("--data-dir")
            .arg(data.path())
            .args(["--server", &served.base_url])
            .args(args)
            .output()
            .unwrap()
    };
    let listed = json(&remote(&["tokens", "list", "--app", &client_id, "--json"]));
    let tokens = listed["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 1, "{listed}");
    assert_eq!(tokens[0]["client_id"], client_id.as_str());
    let token_id = tokens[0]["id"].as_str().unwrap().to_string();
    assert!(token_id.starts_with("tok_"));
    assert!(!listed.to_string().contains(&access_token), "token leaked");

    let table = stdout(&remote(&["tokens", "list"]));
    assert!(
        table.contains(&token_id) && table.contains("active"),
        "{table}"
    );

    let revoked = remote(&["tokens", "revoke", &token_id, "--yes"]);
    assert!(revoked.status.success(), "{}", stderr(&revoked));
    let active = json(&remote(&["tokens", "list", "--active", "--json"]));
    let active_ids: Vec<&str> = active["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(active_ids.len(), 1);
    assert!(!active_ids.contains(&token_id.as_str()));

    let (status, body) = post_form(
        &format!("{}oauth/introspect", served.base_url),
        (&client_id, &secret),
        &[("token", &access_token)],
    );
    assert_eq!(status, 200);
    assert_eq!(body["active"], false, "{body}");

    let unknown = remote(&["tokens", "revoke", "tok_nope", "--yes"]);
    assert_eq!(unknown.status.code(), Some(3), "{}", stderr(&unknown));
}

#[test]
fn bare_command_without_a_terminal_says_so_in_one_line_and_exits_2() {
    let data = TempDir::new().unwrap();
    let out = oauth_console()
        .arg("--data-dir")
        .arg(data.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("terminal") && err.contains("oauth-console --help"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    assert!(!out.stderr.contains(&0x1b), "escape bytes in {err:?}");
    // Nothing was started: no database, no admin key.
    assert!(!data.path().join("admin.key").exists());
}

#[test]
fn logs_go_to_a_file_in_the_data_dir() {
    let data = TempDir::new().unwrap();
    json(&run(data.path(), &["apps", "list", "--json"]));
    let logs: Vec<PathBuf> = std::fs::read_dir(data.path().join("logs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(logs.len(), 1, "{logs:?}");
    let text = std::fs::read_to_string(&logs[0]).unwrap();
    assert!(text.contains("INFO"), "{text}");
    assert!(!text.contains(&admin_key(data.path())));
}

#[test]
fn serve_on_a_taken_port_fails_with_exit_1_and_one_line() {
    let data = TempDir::new().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = oauth_console()
        .args(["serve", "--listen", &addr, "--data-dir"])
        .arg(data.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let error_lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(error_lines.len(), 1, "{err}");
    assert!(error_lines[0].contains(&addr), "{err}");
}

#[test]
fn update_without_any_change_is_a_usage_error() {
    let data = TempDir::new().unwrap();
    let (client_id, _) = api_services_app(data.path());
    let out = run(data.path(), &["apps", "update", &client_id]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("nothing to change"),
        "{}",
        stderr(&out)
    );
}

/// Runs bare `oauth-console` with `args` in a 120×36 pseudo-terminal until the screen
/// shows `label` and the apps tab, then quits with `q`; returns the exit status.
fn console_shows_and_quits(data: &Path, args: &[&str], env: &[(&str, &str)], label: &str) -> i32 {
    use expectrl::process::unix::WaitStatus;
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg("stty rows 36 cols 120 && exec \"$0\" \"$@\"")
        .arg(BIN)
        .args(args)
        .env("XDG_CONFIG_HOME", data.join("config"))
        .env("TERM", "xterm-256color")
        .env_remove("OAUTH_CONSOLE_DATA_DIR")
        .env_remove("OAUTH_CONSOLE_ADMIN_KEY")
        .env_remove("OAUTH_CONSOLE_CONFIG")
        .env_remove("RUST_LOG");
    for (name, value) in env {
        command.env(name, value);
    }
    let mut session = expectrl::Session::spawn(command).unwrap();
    let mut screen = vt100::Parser::new(36.try_into().unwrap(), 120.try_into().unwrap(), 0);
    let mut buf = [0u8; 8192];
    // Reads what the console drew; false once it has gone (EOF, or EIO on Linux).
    let mut pump = |session: &mut expectrl::session::OsSession, screen: &mut vt100::Parser| loop {
        match session.try_read(&mut buf) {
            Ok(0) => return false,
            Ok(n) => screen.process(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return true,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let alive = pump(&mut session, &mut screen);
        let text = screen.screen().contents();
        if text.contains(label) && text.contains("Client apps") {
            break;
        }
        assert!(
            alive && Instant::now() < deadline,
            "the console never showed {label:?}:\n{text}"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
    session.write_all(b"q").unwrap();
    session.flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while pump(&mut session, &mut screen) {
        assert!(Instant::now() < deadline, "q did not end the console");
        std::thread::sleep(Duration::from_millis(25));
    }
    match session.get_process().wait().unwrap() {
        WaitStatus::Exited(_, code) => code,
        other => panic!("the console did not exit normally: {other:?}"),
    }
}

#[test]
fn bare_command_opens_the_console_on_the_embedded_server_and_q_exits_0() {
    let data = TempDir::new().unwrap();
    let data_dir = data.path().display().to_string();
    let code = console_shows_and_quits(
        data.path(),
        &["--data-dir", &data_dir],
        &[],
        "embedded · http://127.0.0.1:",
    );
    assert_eq!(code, 0);
    // The embedded server was started on this data dir, and the log kept off the screen.
    assert!(data.path().join("admin.key").is_file());
    assert!(data.path().join("logs").is_dir());
}

#[test]
fn the_console_opens_on_a_remote_server_named_by_its_url() {
    let served_dir = TempDir::new().unwrap();
    let served = Served::start(served_dir.path(), &[]);
    let key_file = served_dir.path().join("admin.key").display().to_string();
    let elsewhere = TempDir::new().unwrap();
    let data_dir = elsewhere.path().display().to_string();
    let label = served.base_url.trim_end_matches('/').to_string();
    let code = console_shows_and_quits(
        elsewhere.path(),
        &[
            "--data-dir",
            &data_dir,
            "--server",
            &served.base_url,
            "--admin-key-file",
            &key_file,
        ],
        &[],
        &label,
    );
    assert_eq!(code, 0);
    // Nothing was served from the local data dir.
    assert!(!elsewhere.path().join("admin.key").exists());
}
