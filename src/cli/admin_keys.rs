//! `oauth-console admin-keys …`: who may use the admin API. A new key is printed once;
//! the server keeps only its hash.

use super::CliError;
use super::admin_args::AdminKeysCommand;
use super::output::{Output, format_time};
use super::table::Table;
use crate::api::AdminClient;
use crate::domain::sanitize_for_terminal;
use crate::domain::wire::AdminKeyList;
use serde::Serialize;

/// Said with every new key, in text and in JSON.
const SHOWN_ONCE: &str = "Shown this once: only its hash is kept. Store it now.";

pub async fn run(
    client: &AdminClient,
    command: AdminKeysCommand,
    out: Output,
) -> Result<(), CliError> {
    match command {
        AdminKeysCommand::List => {
            let list = client.list_admin_keys().await?;
            out.print(&list, keys_table)
        }
        AdminKeysCommand::Create { name, read_only } => {
            let created = client.create_admin_key(&name, read_only).await?;
            let shown = Created {
                name: created.name,
                read_only: created.read_only,
                key: created.key,
                warning: SHOWN_ONCE,
            };
            out.print(&shown, show_created)
        }
        AdminKeysCommand::Revoke { name } => {
            client.revoke_admin_key(&name).await.map_err(|e| {
                CliError::not_found_as(e, || format!("no admin key named {name:?}"))
            })?;
            out.print(&Revoked { revoked: name }, |r| {
                format!(
                    "Revoked admin key {}; it no longer works\n",
                    sanitize_for_terminal(&r.revoked)
                )
            })
        }
    }
}

#[derive(Serialize)]
struct Created {
    name: String,
    read_only: bool,
    key: String,
    warning: &'static str,
}

#[derive(Serialize)]
struct Revoked {
    revoked: String,
}

fn access(read_only: bool) -> &'static str {
    if read_only { "read-only" } else { "read-write" }
}

fn keys_table(list: &AdminKeyList) -> String {
    let mut table = Table::new(&["NAME", "ACCESS", "CREATED", "REVOKED"]);
    for key in &list.keys {
        table.row(vec![
            key.name.clone(),
            access(key.read_only).into(),
            format_time(key.created_at),
            key.revoked_at.map_or_else(|| "-".into(), format_time),
        ]);
    }
    table.render()
}

fn show_created(created: &Created) -> String {
    format!(
        "Created {} admin key {}\n\nAdmin key: {}\n{}\n",
        access(created.read_only),
        sanitize_for_terminal(&created.name),
        sanitize_for_terminal(&created.key),
        created.warning
    )
}
