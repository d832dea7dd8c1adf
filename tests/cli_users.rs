//! `oauth-console users …` with the real binary, against a real server on 127.0.0.1
//! where alice has authorised an app: list, show, disable, enable, passwd, delete and
//! revoke-tokens, with `--json`, `--yes`, the refusal without a terminal, the question
//! on a terminal naming what is revoked, and passwords never echoed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pty_support;
mod serve_support;
mod support;

use pty_support::Console;
use reqwest::StatusCode;
use serde_json::Value;
use serve_support::{json, oauth_console, stderr, stdout};
use std::io::Write;
use std::process::{Output, Stdio};
use support::*;

/// The binary pointed at `t` with its admin key file; `stdin` piped in when given.
async fn cli(t: &TestServer, args: &[&str], stdin: Option<&str>) -> Output {
    let base = t.server.base_url().to_string();
    let key_file = t.server.admin_key_file().to_path_buf();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let stdin = stdin.map(str::to_string);
    tokio::task::spawn_blocking(move || {
        let mut command = oauth_console();
        command
            .args(["--server", &base, "--admin-key-file"])
            .arg(&key_file)
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        match stdin {
            None => command.output().unwrap(),
            Some(text) => {
                let mut child = command.stdin(Stdio::piped()).spawn().unwrap();
                child
                    .stdin
                    .take()
                    .unwrap()
                    .write_all(text.as_bytes())
                    .unwrap();
                child.wait_with_output().unwrap()
            }
        }
    })
    .await
    .unwrap()
}

fn ok_json(out: &Output) -> Value {
    assert!(out.status.success(), "{}", stderr(out));
    json(out)
}

/// A server where alice approved a web app twice: 4 active tokens at 1 app.
async fn alice_with_tokens() -> (TestServer, String) {
    let t = TestServer::start_with_user().await;
    let created = t.create_app(web_app()).await;
    let (client_id, secret) = (created.app.client_id, created.client_secret.unwrap());
    for _ in 0..2 {
        let code = t.approve_code(&authorize(&t, &client_id)).await;
        let (status, _, body) = t
            .token(
                &[
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("redirect_uri", WEB_REDIRECT),
                ],
                Some((&client_id, &secret)),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    (t, client_id)
}

fn authorize(t: &TestServer, client_id: &str) -> url::Url {
    t.authorize_url(&[
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", WEB_REDIRECT),
        ("scope", "monitoring offline_access"),
        ("state", "s"),
    ])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_and_show_tell_who_can_sign_in_and_what_they_authorised() {
    let (t, client_id) = alice_with_tokens().await;
    t.admin
        .create_user("bob", "another long one")
        .await
        .unwrap();

    let listed = ok_json(&cli(&t, &["users", "list", "--json"], None).await);
    let users = listed["users"].as_array().unwrap();
    assert_eq!(users.len(), 2, "{listed}");
    assert_eq!(users[0]["username"], "alice");
    assert_eq!(users[0]["active_tokens"], 4);
    assert_eq!(users[0]["authorised_apps"], 1);
    assert!(users[0]["last_sign_in"].is_i64(), "{listed}");
    assert_eq!(users[1]["last_sign_in"], Value::Null);

    // On a pipe: tab-separated rows without a header.
    let table = stdout(&cli(&t, &["users", "list"], None).await);
    let rows: Vec<Vec<&str>> = table.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 2, "{table}");
    assert_eq!(rows[0][..4], ["alice", "active", "4", "1"]);
    assert_eq!(rows[1][..5], ["bob", "active", "0", "0", "never"]);
    assert!(
        rows[0][4].ends_with(" UTC"),
        "times as the other commands show them: {table}"
    );

    let shown = ok_json(&cli(&t, &["users", "show", "alice", "--json"], None).await);
    assert_eq!(shown["grants"].as_array().unwrap().len(), 2, "{shown}");
    assert_eq!(shown["grants"][0]["client_id"], client_id.as_str());
    let text = stdout(&cli(&t, &["users", "show", "alice"], None).await);
    assert!(text.contains(&web_app().name), "{text}");
    assert!(text.contains("monitoring,offline_access"), "{text}");

    let tokens = ok_json(&cli(&t, &["tokens", "list", "--user", "alice", "--json"], None).await);
    let tokens = tokens["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 4);
    assert!(tokens.iter().all(|tok| tok["subject"] == "alice"));
    let none = ok_json(&cli(&t, &["tokens", "list", "--user", "bob", "--json"], None).await);
    assert!(none["tokens"].as_array().unwrap().is_empty());

    let unknown = cli(&t, &["users", "show", "nobody"], None).await;
    assert_eq!(unknown.status.code(), Some(3), "{}", stderr(&unknown));
    assert_eq!(stderr(&unknown).lines().count(), 1, "{}", stderr(&unknown));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disable_revokes_and_refuses_sign_in_and_enable_lets_them_back() {
    let (t, client_id) = alice_with_tokens().await;
    let disabled = ok_json(&cli(&t, &["users", "disable", "alice", "--json"], None).await);
    assert_eq!(disabled["disabled"], true);
    assert_eq!(disabled["revoked_tokens"], 4);
    assert_eq!(disabled["active_tokens"], 0);
    let (_, location, page) = t
        .consent(&authorize(&t, &client_id), USERNAME, PASSWORD, "approve")
        .await;
    assert!(location.is_none(), "{page}");

    let text = stdout(&cli(&t, &["users", "enable", "alice"], None).await);
    assert!(text.contains("Enabled user alice"), "{text}");
    t.approve_code(&authorize(&t, &client_id)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passwd_reads_stdin_never_echoes_and_refuses_short_passwords() {
    let (t, client_id) = alice_with_tokens().await;
    let short = cli(
        &t,
        &["users", "passwd", "alice", "--password-stdin"],
        Some("tiny\n"),
    )
    .await;
    assert_eq!(short.status.code(), Some(2), "{}", stderr(&short));
    assert!(stderr(&short).contains("at least 8"), "{}", stderr(&short));
    assert!(!stderr(&short).contains("tiny") && !stdout(&short).contains("tiny"));

    let new_password = "a brand new passphrase";
    let changed = cli(
        &t,
        &["users", "passwd", "alice", "--password-stdin", "--json"],
        Some(&format!("{new_password}\n")),
    )
    .await;
    let body = ok_json(&changed);
    assert_eq!(body["username"], "alice");
    assert!(!stdout(&changed).contains(new_password));
    assert!(!stderr(&changed).contains(new_password));
    let (_, location, _) = t
        .consent(&authorize(&t, &client_id), USERNAME, PASSWORD, "approve")
        .await;
    assert!(location.is_none(), "the old password still works");
    let (_, location, page) = t
        .consent(
            &authorize(&t, &client_id),
            USERNAME,
            new_password,
            "approve",
        )
        .await;
    assert!(location.is_some(), "the new password does not work: {page}");

    let unknown = cli(
        &t,
        &["users", "passwd", "nobody", "--password-stdin"],
        Some("long enough pw\n"),
    )
    .await;
    assert_eq!(unknown.status.code(), Some(3), "{}", stderr(&unknown));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_needs_yes_without_a_terminal_and_revokes_the_tokens() {
    let (t, _) = alice_with_tokens().await;
    let refused = cli(&t, &["users", "delete", "alice"], None).await;
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("--yes"), "{}", stderr(&refused));
    assert!(refused.stdout.is_empty());
    let refused = cli(&t, &["users", "revoke-tokens", "alice"], None).await;
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert_eq!(
        t.admin.list_users().await.unwrap()[0].active_tokens,
        4,
        "nothing was sent"
    );

    let deleted = ok_json(&cli(&t, &["users", "delete", "alice", "--yes", "--json"], None).await);
    assert_eq!(deleted["deleted"], "alice");
    assert_eq!(deleted["revoked"], 4);
    assert!(t.admin.list_users().await.unwrap().is_empty());
    let again = cli(&t, &["users", "delete", "-y", "alice"], None).await;
    assert_eq!(again.status.code(), Some(3), "{}", stderr(&again));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoke_tokens_revokes_them_all() {
    let (t, _) = alice_with_tokens().await;
    let revoked = ok_json(
        &cli(
            &t,
            &["users", "revoke-tokens", "alice", "--yes", "--json"],
            None,
        )
        .await,
    );
    assert_eq!(revoked["revoked"], 4);
    let alice = t.admin.get_user(USERNAME).await.unwrap();
    assert_eq!(alice.user.active_tokens, 0);
    assert!(!alice.user.disabled, "revoking is not disabling");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_terminal_delete_names_the_tokens_and_apps_and_only_yes_goes_ahead() {
    let (t, _) = alice_with_tokens().await;
    let base = t.server.base_url().to_string();
    let key_file = t.server.admin_key_file().display().to_string();
    let scratch = tempfile::TempDir::new().unwrap();
    let data = scratch.path().to_path_buf();
    let args = |answer: &'static str| {
        let (base, key_file, data) = (base.clone(), key_file.clone(), data.clone());
        tokio::task::spawn_blocking(move || {
            let args = [
                "--server",
                base.as_str(),
                "--admin-key-file",
                key_file.as_str(),
                "users",
                "delete",
                "alice",
            ];
            let mut console = Console::start_with_args(&data, &args);
            console.wait_for("[y/N]");
            let question = console.screen_text();
            console.send(answer);
            console.wait_for_exit();
            (question, console.screen_text())
        })
    };
    let (question, screen) = args("n\r").await.unwrap();
    assert!(
        question.contains("Delete user alice, revoking 4 active tokens held by 1 app?"),
        "{question}"
    );
    assert!(screen.contains("Not confirmed"), "{screen}");
    assert_eq!(
        t.admin.list_users().await.unwrap().len(),
        1,
        "a no keeps alice"
    );

    let (_, screen) = args("y\r").await.unwrap();
    assert!(
        screen.contains("Deleted user alice; 4 tokens revoked"),
        "{screen}"
    );
    assert!(t.admin.list_users().await.unwrap().is_empty());
}
