//! `oauth-console audit list`: who changed what, newest first.

use super::CliError;
use super::admin_args::{AuditCommand, AuditListArgs};
use super::output::{Output, format_time};
use super::table::{Table, note};
use crate::api::AdminClient;
use crate::domain::wire::{AuditFilter, AuditPage};

pub async fn run(client: &AdminClient, command: AuditCommand, out: Output) -> Result<(), CliError> {
    match command {
        AuditCommand::List(args) => {
            let page = client.list_audit_filtered(&filter(args)).await?;
            out.print(&page, audit_table)
        }
    }
}

fn filter(args: AuditListArgs) -> AuditFilter {
    AuditFilter {
        actor: args.actor,
        action: args.action,
        target: args.target,
        limit: args.limit,
        ..AuditFilter::default()
    }
}

fn audit_table(page: &AuditPage) -> String {
    if page.records.is_empty() {
        return note("No audit records match.\n");
    }
    let mut table = Table::new(&["TIME", "ACTOR", "ACTION", "TARGET"]);
    for record in &page.records {
        table.row(vec![
            format_time(record.at),
            record.actor.clone(),
            record.action.clone(),
            record.target.clone(),
        ]);
    }
    let mut text = table.render();
    if page.next_cursor.is_some() {
        text.push_str(&note(
            "More records are older; raise --limit to see them.\n",
        ));
    }
    text
}
