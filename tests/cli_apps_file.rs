//! `apps export` and `apps apply`: the real binary against a real `serve`, the way a
//! team keeps its client registrations in git.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod serve_support;

use serve_support::{Served, json, ok, post_form, stderr, stdout};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn served() -> (TempDir, Served) {
    let dir = TempDir::new().unwrap();
    let served = Served::start(&dir.path().join("data"), &[]);
    (dir, served)
}

fn create(served: &Served, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["apps", "create", "--json"];
    all.extend_from_slice(args);
    json(&served.cli(&all))
}

fn two_apps(served: &Served) -> (String, String) {
    let billing = create(
        served,
        &[
            "--name",
            "Billing",
            "--platform",
            "api-services",
            "--scope",
            "monitoring",
        ],
    );
    let portal = create(
        served,
        &[
            "--name",
            "Portal",
            "--platform",
            "web",
            "--redirect-url",
            "https://portal.example/cb",
            "--scope",
            "monitoring",
            "--grant",
            "authorization_code,refresh_token",
        ],
    );
    (
        billing["client_id"].as_str().unwrap().to_string(),
        portal["client_id"].as_str().unwrap().to_string(),
    )
}

fn export(served: &Served) -> String {
    ok(&served.cli(&["apps", "export"]))
}

fn write(dir: &TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn apply(served: &Served, file: &Path, flags: &[&str]) -> std::process::Output {
    let mut args = vec!["apps", "apply", file.to_str().unwrap()];
    args.extend_from_slice(flags);
    served.cli(&args)
}

#[test]
fn export_edit_dry_run_then_apply_makes_the_server_match_the_file() {
    let (dir, served) = served();
    let (billing, portal) = two_apps(&served);
    let exported = export(&served);
    assert!(
        exported.contains(&billing) && exported.contains(&portal),
        "{exported}"
    );
    assert!(
        !exported.contains("ocs_") && !exported.contains("client_secret"),
        "{exported}"
    );
    let as_json = json(&served.cli(&["apps", "export", "--json"]));
    assert_eq!(as_json["apps"][0]["client_id"], billing.as_str());
    assert_eq!(
        as_json["apps"][1]["redirect_urls"][0],
        "https://portal.example/cb"
    );
    assert!(as_json["apps"][0].get("client_secret").is_none());

    // A rename and a wider scope set on one app; the other stays as it is.
    let edited = exported
        .replace("name = \"Billing\"", "name = \"Billing sync\"")
        .replace(
            "scopes = [\"monitoring\"]\ngrant_types = [\"client_credentials\"]",
            "scopes = [\"monitoring\", \"management\"]\ngrant_types = [\"client_credentials\"]",
        );
    assert_ne!(edited, exported, "the edit must have changed the file");
    let file = write(&dir, "apps.toml", &edited);

    let dry = apply(&served, &file, &["--dry-run"]);
    let plan = ok(&dry);
    assert!(
        plan.contains("0 to create, 1 to update, 0 to delete, 1 unchanged"),
        "{plan}"
    );
    assert!(
        plan.contains(&format!("~ update \"Billing\" ({billing})")),
        "{plan}"
    );
    assert!(plan.contains("name: Billing → Billing sync"), "{plan}");
    assert!(
        plan.contains("scopes: monitoring → monitoring, management"),
        "{plan}"
    );
    assert!(plan.contains("Dry run: nothing was changed."), "{plan}");
    assert_eq!(export(&served), exported, "a dry run changed the server");

    let applied = ok(&apply(&served, &file, &[]));
    assert!(
        applied.contains(&format!("Updated \"Billing sync\" ({billing})")),
        "{applied}"
    );
    assert!(
        applied.contains("Applied: 0 created, 1 updated, 0 deleted."),
        "{applied}"
    );
    assert_eq!(
        export(&served),
        edited,
        "the server does not match the file"
    );

    // Applying the same file again has nothing left to do.
    let again = ok(&apply(&served, &file, &[]));
    assert!(again.contains("Nothing to change"), "{again}");
}

#[test]
fn a_new_confidential_app_prints_its_secret_once_and_the_secret_works() {
    let (dir, served) = served();
    let file = write(
        &dir,
        "apps.toml",
        "[[apps]]\nname = \"Nightly export\"\nplatform = \"api-services\"\n\
         scopes = [\"monitoring\"]\ngrant_types = [\"client_credentials\"]\n",
    );
    let dry = json(&apply(&served, &file, &["--dry-run", "--json"]));
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["plan"]["create"][0]["name"], "Nightly export");
    assert_eq!(dry["applied"], serde_json::Value::Null);
    assert!(export(&served).lines().all(|l| !l.starts_with("[[apps]]")));

    let report = json(&apply(&served, &file, &["--json"]));
    let created = &report["applied"]["created"][0];
    let client_id = created["client_id"].as_str().unwrap();
    let secret = created["client_secret"].as_str().unwrap();
    assert!(secret.starts_with("ocs_"), "{report}");
    let (status, body) = post_form(
        &format!("{}oauth/token", served.base_url),
        (client_id, secret),
        &[
            ("grant_type", "client_credentials"),
            ("scope", "monitoring"),
        ],
    );
    assert_eq!(status, 200, "{body}");

    // The file now matches by name: nothing is created twice, and no secret is shown again.
    let again = apply(&served, &file, &[]);
    let text = ok(&again);
    assert!(
        text.contains("1 unchanged") && !text.contains("ocs_"),
        "{text}"
    );
    let exported = export(&served);
    assert!(
        exported.contains(client_id) && !exported.contains(secret),
        "{exported}"
    );
}

#[test]
fn prune_deletes_the_apps_the_file_leaves_out_and_only_with_prune() {
    let (dir, served) = served();
    let (billing, portal) = two_apps(&served);
    let exported = export(&served);
    // Keep only the first [[apps]] table: Billing.
    let second = exported.rfind("[[apps]]").unwrap();
    let only_billing = exported[..second].trim_end().to_string() + "\n";
    let file = write(&dir, "apps.toml", &only_billing);

    let kept = ok(&apply(&served, &file, &[]));
    assert!(
        kept.contains(&format!("keep   \"Portal\" ({portal})")),
        "{kept}"
    );
    assert!(export(&served).contains(&portal), "deleted without --prune");

    let dry = ok(&apply(&served, &file, &["--prune", "--dry-run"]));
    assert!(
        dry.contains(&format!("- delete \"Portal\" ({portal})")),
        "{dry}"
    );
    assert!(export(&served).contains(&portal), "a dry run deleted");

    let pruned = ok(&apply(&served, &file, &["--prune"]));
    assert!(
        pruned.contains("Applied: 0 created, 0 updated, 1 deleted."),
        "{pruned}"
    );
    let after = export(&served);
    assert!(
        after.contains(&billing) && !after.contains(&portal),
        "{after}"
    );
    assert_eq!(after, only_billing);
}

#[test]
fn an_invalid_file_exits_2_with_one_clear_line_and_changes_nothing() {
    let (dir, served) = served();
    two_apps(&served);
    let before = export(&served);

    let broken = write(
        &dir,
        "broken.toml",
        "[[apps]]\nname = \"X\"\nplatform = web\n",
    );
    let out = apply(&served, &broken, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let lines: Vec<String> = stderr(&out).lines().map(String::from).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("error: ") && lines[0].contains("broken.toml: line 3"),
        "{lines:?}"
    );
    assert_eq!(stdout(&out), "", "no plan for a file that cannot be read");

    // Two problems in one app: one line each, naming the app.
    let wrong = write(
        &dir,
        "wrong.toml",
        "[[apps]]\nname = \"Portal 2\"\nplatform = \"web\"\nscopes = [\"everything\"]\n\
         grant_types = [\"client_credentials\"]\nredirect_urls = [\"https://p.example/cb\"]\n",
    );
    let out = apply(&served, &wrong, &[]);
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    assert!(text.lines().count() >= 1, "{text}");
    assert!(
        text.lines()
            .all(|l| l.starts_with("error: ") && l.contains("\"Portal 2\"")),
        "{text}"
    );
    assert!(text.contains("everything"), "{text}");

    // A name two server apps share cannot say which one it means.
    create(
        &served,
        &[
            "--name",
            "Billing",
            "--platform",
            "api-services",
            "--scope",
            "monitoring",
        ],
    );
    let ambiguous = write(
        &dir,
        "ambiguous.toml",
        "[[apps]]\nname = \"Billing\"\nplatform = \"api-services\"\nscopes = [\"control\"]\n\
         grant_types = [\"client_credentials\"]\n",
    );
    let out = apply(&served, &ambiguous, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("add client_id to say which one"),
        "{}",
        stderr(&out)
    );

    let after = export(&served);
    let billing_tables = after.matches("name = \"Billing\"").count();
    assert_eq!(billing_tables, 2, "{after}");
    assert!(
        after.starts_with(&before),
        "the apps that were there changed: {after}"
    );
    assert!(
        !after.contains("control"),
        "the ambiguous file changed an app: {after}"
    );
}
