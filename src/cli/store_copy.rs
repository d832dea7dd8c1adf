//! `oauth-console store copy --from URL --to URL`: moves a deployment between
//! databases (SQLite file ↔ PostgreSQL) directly, without a server: the one command
//! that opens two stores itself.

use super::CliError;
use super::args::StoreCommand;
use super::output::Output;
use crate::store::StoreLocation;
use crate::store::copy::{CopyError, CopyReport, copy_store};
use serde::Serialize;

#[derive(Serialize)]
struct Copied {
    from: String,
    to: String,
    copied: CopyReport,
}

pub async fn run(command: StoreCommand, out: Output) -> Result<(), CliError> {
    let StoreCommand::Copy {
        from,
        to,
        into_non_empty,
    } = command;
    let from = StoreLocation::parse(&from).map_err(|e| CliError::Usage(format!("--from: {e}")))?;
    let to = StoreLocation::parse(&to).map_err(|e| CliError::Usage(format!("--to: {e}")))?;
    if from == to {
        return Err(CliError::Usage(
            "--from and --to name the same database".to_string(),
        ));
    }
    if let StoreLocation::Sqlite(path) = &from
        && !path.is_file()
    {
        return Err(CliError::Usage(format!(
            "--from: {} does not exist",
            path.display()
        )));
    }
    let source = from
        .open()
        .await
        .map_err(|e| CliError::Failed(format!("cannot open {}: {e}", from.describe())))?;
    let target = to
        .open()
        .await
        .map_err(|e| CliError::Failed(format!("cannot open {}: {e}", to.describe())))?;
    let report = copy_store(source.as_ref(), target.as_ref(), into_non_empty)
        .await
        .map_err(|e| match e {
            CopyError::TargetNotEmpty(_) => CliError::Usage(format!("{}: {e}", to.describe())),
            CopyError::Store(e) => CliError::Failed(format!(
                "copying {} to {} failed: {e}",
                from.describe(),
                to.describe()
            )),
        })?;
    tracing::info!(from = %from.describe(), to = %to.describe(), ?report, "store copied");
    let copied = Copied {
        from: from.describe(),
        to: to.describe(),
        copied: report,
    };
    out.print(&copied, |c| {
        let r = &c.copied;
        let mut text = format!(
            "copied {} to {}:\n  apps          {}\n  users         {}\n  admin keys    {}\n  tokens        {}\n  codes         {}\n  device codes  {}\n  audit records {}\n  usage hours   {}\n",
            c.from,
            c.to,
            r.apps,
            r.users,
            r.admin_keys,
            r.tokens,
            r.codes,
            r.device_codes,
            r.audit,
            r.usage_hours
        );
        if r.skipped > 0 {
            text.push_str(&format!("  skipped (already in the target) {}\n", r.skipped));
        }
        text
    })
}
