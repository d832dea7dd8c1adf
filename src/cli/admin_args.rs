//! The clap definitions of the administration subcommands (profiles, audit, admin
//! keys, completions, man), kept apart from `args.rs` so each file stays one idea.

use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum ProfilesCommand {
    /// List the profiles defined in the config file
    List,
    /// Make NAME the default profile (`default_profile` in the config file)
    Use { name: String },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// List audit records, newest first
    List(AuditListArgs),
}

#[derive(Debug, Args)]
pub struct AuditListArgs {
    /// Only records by this admin key (its name)
    #[arg(long, value_name = "NAME")]
    pub actor: Option<String>,
    /// Only this action, e.g. app.create, app.rotate_secret, token.revoke
    #[arg(long, value_name = "ACTION")]
    pub action: Option<String>,
    /// Only records about this target (a client ID, token ID or key name)
    #[arg(long, value_name = "ID")]
    pub target: Option<String>,
    /// At most this many records [default: the server's page size]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum AdminKeysCommand {
    /// List the admin keys (names and access, never the keys)
    List,
    /// Create an admin key; prints it this once
    Create {
        /// A name for the key, shown as the actor in the audit log
        name: String,
        /// The new key may look but not change anything (here --read-only describes
        /// the key, not this session)
        #[arg(long)]
        read_only: bool,
    },
    /// Revoke an admin key by name
    Revoke { name: String },
}
