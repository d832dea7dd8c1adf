//! `apps export` and `apps apply FILE [--dry-run] [--prune]`: the server's apps as a
//! file, and a file made true on the server — the plan first, then the changes.

use super::CliError;
use super::apps_file;
use super::apps_plan::{AppRef, Plan, plan};
use super::output::{Output, write_stdout};
use crate::api::AdminClient;
use crate::domain::sanitize_for_terminal;
use serde::Serialize;
use std::path::Path;

/// `apps export`: every app, in the file format (TOML), on stdout; with `--json`, the
/// same fields as one JSON document.
pub async fn export(client: &AdminClient, out: Output) -> Result<(), CliError> {
    let apps = client.list_apps().await?;
    if out.json {
        return out.print(&apps_file::document(&apps), |_| String::new());
    }
    let text = apps_file::render(&apps).map_err(CliError::Failed)?;
    write_stdout(&text)
}

/// What `--json` prints: the plan, and what was done (none on a dry run).
#[derive(Serialize)]
struct ApplyReport<'a> {
    dry_run: bool,
    plan: &'a Plan,
    applied: Option<&'a Applied>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Debug, Default, Serialize)]
struct Applied {
    created: Vec<CreatedEntry>,
    updated: Vec<AppRef>,
    deleted: Vec<AppRef>,
}

#[derive(Debug, Serialize)]
struct CreatedEntry {
    client_id: String,
    name: String,
    /// Confidential apps only; shown this once.
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret: Option<String>,
}

pub struct ApplyArgs<'a> {
    pub file: &'a Path,
    pub dry_run: bool,
    pub prune: bool,
}

/// `apps apply`: reads and checks the whole file, plans against the server, prints the
/// plan, and (unless a dry run) makes the changes: creates, then updates, then deletes.
pub async fn apply(client: &AdminClient, args: ApplyArgs<'_>, out: Output) -> Result<(), CliError> {
    let source = args.file.display().to_string();
    let text = read_file(args.file)?;
    let desired = apps_file::parse(&source, &text).map_err(CliError::InvalidFile)?;
    let current = client.list_apps().await?;
    let plan = plan(desired, &current, args.prune).map_err(|problems| {
        CliError::InvalidFile(
            problems
                .into_iter()
                .map(|p| format!("{source}: {p}"))
                .collect(),
        )
    })?;
    if !out.json {
        write_stdout(&plan.describe(&source))?;
    }
    if args.dry_run || plan.is_empty() {
        if !out.json {
            write_stdout(if plan.is_empty() {
                "Nothing to change: the server matches the file.\n"
            } else {
                "Dry run: nothing was changed.\n"
            })?;
        }
        let applied = (!args.dry_run).then(Applied::default);
        return print_report(out, args.dry_run, &plan, applied.as_ref(), None);
    }
    let mut applied = Applied::default();
    let outcome = execute(client, &plan, &mut applied, out).await;
    let error = outcome.as_ref().err().map(|e| e.to_string());
    print_report(out, false, &plan, Some(&applied), error)?;
    outcome
}

fn read_file(path: &Path) -> Result<String, CliError> {
    let result = if path == Path::new("-") {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(path)
    };
    result.map_err(|e| CliError::Usage(format!("cannot read {}: {e}", path.display())))
}

/// Makes the changes one by one, writing each as it happens (a new secret must reach
/// the user even if a later change fails).
async fn execute(
    client: &AdminClient,
    plan: &Plan,
    applied: &mut Applied,
    out: Output,
) -> Result<(), CliError> {
    let say = |text: String| {
        if out.json {
            Ok(())
        } else {
            write_stdout(&text)
        }
    };
    for create in &plan.create {
        let created = client.create_app(&create.draft).await?;
        let mut text = format!(
            "Created {:?}: client ID {}\n",
            clean(&created.app.name),
            created.app.client_id
        );
        if let Some(secret) = &created.client_secret {
            text.push_str(&format!(
                "  Client secret: {}\n  Shown this once: only its hash is kept. Store it now.\n",
                clean(secret)
            ));
        }
        applied.created.push(CreatedEntry {
            client_id: created.app.client_id,
            name: created.app.name,
            client_secret: created.client_secret,
        });
        say(text)?;
    }
    for update in &plan.update {
        let app = client
            .update_app(&update.client_id, &update.draft)
            .await
            .map_err(|e| gone(e, &update.client_id))?;
        say(format!(
            "Updated {:?} ({})\n",
            clean(&app.name),
            app.client_id
        ))?;
        applied.updated.push(AppRef {
            client_id: app.client_id,
            name: app.name,
        });
    }
    for delete in &plan.delete {
        client
            .delete_app(&delete.client_id)
            .await
            .map_err(|e| gone(e, &delete.client_id))?;
        say(format!(
            "Deleted {:?} ({})\n",
            clean(&delete.name),
            delete.client_id
        ))?;
        applied.deleted.push(delete.clone());
    }
    say(format!(
        "Applied: {} created, {} updated, {} deleted.\n",
        applied.created.len(),
        applied.updated.len(),
        applied.deleted.len()
    ))
}

fn print_report(
    out: Output,
    dry_run: bool,
    plan: &Plan,
    applied: Option<&Applied>,
    error: Option<String>,
) -> Result<(), CliError> {
    if !out.json {
        return Ok(());
    }
    let report = ApplyReport {
        dry_run,
        plan,
        applied,
        error,
    };
    out.print(&report, |_| String::new())
}

/// Another administrator may delete an app between the plan and the change.
fn gone(error: crate::api::ApiError, client_id: &str) -> CliError {
    CliError::not_found_as(error, || {
        format!("app {client_id} disappeared from the server while the file was applied")
    })
}

fn clean(text: &str) -> String {
    sanitize_for_terminal(text).into_owned()
}
