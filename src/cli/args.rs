//! The command line, as clap sees it. `command()` is what shell completions and man
//! pages are generated from, so everything the user can type is declared here.

pub use super::admin_args::{AdminKeysCommand, AuditCommand, ProfilesCommand};
use super::duration_arg::{Retention, parse_retention, parse_seconds, parse_seconds_or_zero};
use crate::domain::{GrantType, Issuer, Platform, Scope};
use clap::{Args, CommandFactory, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use url::Url;

const AFTER_HELP: &str = "\
Without a subcommand, opens the console: on the local data dir (an in-process server on
127.0.0.1), or on --server URL with --admin-key-file PATH.

Without --server, subcommands work on the local data dir through an in-process server.

Environment:
  OAUTH_CONSOLE_DATA_DIR   data directory (same as --data-dir)
  OAUTH_CONSOLE_DATABASE_URL  database URL (same as --database)
  OAUTH_CONSOLE_ADMIN_KEY  the admin key itself, instead of --admin-key-file
  OAUTH_CONSOLE_CONFIG     config file: profiles, theme, keys [default: the user's config dir]
  RUST_LOG                 log filter (default: info); logs go to <data dir>/logs/

Exit codes:
  0  success
  1  server or network error
  2  usage or validation error (the rules broken are printed one per line)
  3  not found";

/// The whole command line.
#[derive(Debug, Parser)]
#[command(
    name = "oauth-console",
    version,
    about = "Terminal console for OAuth 2.0 client apps, and the authorization server it administers",
    after_help = AFTER_HELP
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Flags every subcommand accepts.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Talk to this server's admin API instead of the local data dir
    #[arg(long, global = true, value_name = "URL")]
    pub server: Option<Url>,
    /// File holding the admin key for --server (or set OAUTH_CONSOLE_ADMIN_KEY)
    #[arg(long, global = true, value_name = "PATH")]
    pub admin_key_file: Option<PathBuf>,
    /// Data directory: database, admin.key, logs [default: the user's data dir]
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "OAUTH_CONSOLE_DATA_DIR"
    )]
    pub data_dir: Option<PathBuf>,
    /// Database: postgres://USER@HOST:PORT/DBNAME (several servers on one database)
    /// or sqlite:PATH [default: the config file's `database`, else the SQLite file in
    /// the data dir]
    #[arg(
        long,
        global = true,
        value_name = "URL",
        env = "OAUTH_CONSOLE_DATABASE_URL",
        hide_env_values = true
    )]
    pub database: Option<String>,
    /// Print exactly one JSON document on stdout
    #[arg(long, global = true)]
    pub json: bool,
    // --- profiles, read-only mode, the audit log, admin keys ---
    /// Use this profile from the config file (its server and admin key file)
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Refuse every command that would change the server
    #[arg(long, global = true)]
    pub read_only: bool,
    /// How often the console's lists reload by themselves: 5s, 2m, 0 for never
    /// [default: the config file's `refresh`, else 10s]
    #[arg(long, global = true, value_name = "INTERVAL")]
    pub refresh: Option<String>,
    /// Allow sending the admin key over plain http:// to a host that is not this
    /// machine (anyone on the path can read and replay it); for `serve`, allow
    /// listening without TLS on an address other than loopback
    #[arg(long, global = true)]
    pub insecure_http: bool,
    /// Also trust the CA certificates in this PEM file for the server's certificate
    /// (a private CA), besides the system's and Mozilla's roots [default: the profile's
    /// `ca_file`]
    #[arg(long, global = true, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
}

// Parsed once per process: the size of the biggest variant (`serve`'s flags) is no cost.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the authorization server headless, for other machines to use
    Serve(ServeArgs),
    /// Client apps: list, show, create, update, delete, rotate-secret, export, apply
    #[command(subcommand)]
    Apps(AppsCommand),
    /// Issued tokens: list, revoke
    #[command(subcommand)]
    Tokens(TokensCommand),
    /// Resource owners who sign in on the consent page: list, show, add, disable,
    /// enable, passwd, delete, revoke-tokens
    #[command(subcommand)]
    Users(UsersCommand),
    // --- profiles, read-only mode, the audit log, admin keys ---
    /// Profiles from the config file: list
    #[command(subcommand)]
    Profiles(ProfilesCommand),
    /// The audit log: who changed what
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Admin keys: list, create, revoke
    #[command(subcommand)]
    AdminKeys(AdminKeysCommand),
    /// The database itself: copy a whole deployment to another one
    #[command(subcommand)]
    Store(StoreCommand),
    /// Print a shell completion script
    Completions {
        /// bash, zsh, fish, elvish or powershell
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    Man,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on. Plain HTTP on an address other than loopback needs
    /// --insecure-http (e.g. behind a proxy that terminates TLS); else use --tls-cert
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8414")]
    pub listen: SocketAddr,
    /// Issuer URL announced in the metadata, exactly as written [default: the listen
    /// address]. With a path, the metadata is served at the RFC 8414 §3.1 location.
    #[arg(long, value_name = "URL")]
    pub issuer: Option<Issuer>,
    /// Seconds a client may take to send a request's headers, from their first byte
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout: u64,
    /// Seconds a client may take to send a request's body, once its headers are in
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub body_timeout: u64,
    /// Seconds a connection may stay open with nothing moving (kept alive between requests)
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout: u64,
    /// Connections open at once; more clients wait until one closes
    #[arg(long, value_name = "N", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_connections: u64,
    /// Seconds a stop (SIGINT, SIGTERM) waits for requests in flight to finish
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub shutdown_grace: u64,
    /// Wrong passwords an account may have in 15 minutes before each further try waits
    /// (1 minute, then twice as long each time, up to an hour)
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    pub sign_in_attempts: u32,
    /// Wrong passwords or user codes one client address may send in 15 minutes before it waits
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub sign_in_attempts_per_address: u32,
    /// Password checks at once (each takes ~19 MiB); 0 means twice the number of cores
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub password_checks: usize,
    /// Password checks waiting for a turn; past that, sign-ins are told to retry (503)
    #[arg(long, value_name = "N", default_value_t = 32)]
    pub password_queue: usize,
    /// Serve the admin API (/admin/v1/…) and GET /metrics on this address only (keep it
    /// private); the --listen address then answers 404 under /admin/
    #[arg(long, value_name = "ADDR")]
    pub admin_listen: Option<SocketAddr>,
    /// Serve HTTPS with this certificate chain (PEM, server certificate first); needs
    /// --tls-key. SIGHUP reads both files again without dropping open connections
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM: PKCS#8, PKCS#1 or SEC1)
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Serve Prometheus metrics on GET /metrics at this address (keep it private)
    #[arg(long, value_name = "ADDR")]
    pub metrics_listen: Option<SocketAddr>,
    /// How log lines are written, on stderr and in the log file: text for people,
    /// json (one object per line) for log shippers
    #[arg(long, value_name = "FORMAT", default_value = "text")]
    pub log_format: LogFormat,
    /// Longest life of a refresh token family from its first token; rotation never
    /// extends past it (e.g. 90d, 12h)
    #[arg(long, value_name = "DURATION", default_value = "90d", value_parser = parse_seconds)]
    pub refresh_family_lifetime: i64,
    /// How long expired and revoked tokens stay listed before the cleanup deletes them
    #[arg(long, value_name = "DURATION", default_value = "7d", value_parser = parse_seconds)]
    pub token_retention: i64,
    /// How long audit records are kept (or "forever")
    #[arg(long, value_name = "DURATION", default_value = "365d", value_parser = parse_retention)]
    pub audit_retention: Retention,
    /// How often the cleanup runs
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_seconds)]
    pub cleanup_interval: i64,
    /// Server log files rotate at this size in bytes
    #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024)]
    pub log_max_bytes: u64,
    /// How many rotated log files are kept
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub log_max_files: usize,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum AppsCommand {
    /// List every client app
    List,
    /// Show one app and how many active tokens it has
    Show {
        /// The app's client ID (oc_…)
        client_id: String,
    },
    /// Register an app; prints its client ID and, this once, its secret
    Create(CreateArgs),
    /// Change the given fields of an app (the platform cannot change)
    Update {
        client_id: String,
        /// New name
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        settings: AppSettings,
    },
    /// Delete an app (asks first on a terminal)
    Delete {
        client_id: String,
        /// Do not ask: needed when stdin is not a terminal
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Replace an app's client secret; prints the new one, this once
    RotateSecret {
        client_id: String,
        /// How long the previous secret keeps working (90s, 15m, 24h, 7d or seconds);
        /// 0 cuts it off now [default: the server's, 24 hours]
        #[arg(long, value_name = "DURATION", value_parser = parse_seconds_or_zero)]
        grace: Option<i64>,
    },
    /// End the previous secret's grace period now
    EndGrace { client_id: String },
    /// Print every app as a TOML file for `apps apply` (secrets are never exported)
    Export,
    /// Make the server's apps match a file: create, update and, with --prune, delete.
    /// Prints the plan first; new confidential apps print their secret once
    Apply {
        /// The file `apps export` wrote (or `-` for stdin)
        file: PathBuf,
        /// Show the plan and change nothing
        #[arg(long)]
        dry_run: bool,
        /// Also delete the server's apps that the file does not list
        #[arg(long)]
        prune: bool,
    },
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Name shown on the consent screen
    #[arg(long)]
    pub name: String,
    /// web, native, single-page or api-services
    #[arg(long, value_name = "PLATFORM")]
    pub platform: Platform,
    #[command(flatten)]
    pub settings: AppSettings,
}

/// The optional fields of an app. On `update`, a list given replaces the whole list.
#[derive(Debug, Default, Args)]
pub struct AppSettings {
    /// Redirect URL (repeatable; web and single-page apps)
    #[arg(long = "redirect-url", value_name = "URL")]
    pub redirect_urls: Vec<String>,
    /// monitoring, management, control or offline_access (repeatable or comma-separated)
    #[arg(long = "scope", value_name = "SCOPE", value_delimiter = ',')]
    pub scopes: Vec<Scope>,
    /// authorization_code, client_credentials, refresh_token, implicit or device_code
    /// (repeatable or comma-separated) [create default: client_credentials for
    /// api-services, authorization_code otherwise]
    #[arg(long = "grant", value_name = "GRANT", value_delimiter = ',')]
    pub grants: Vec<GrantType>,
    /// Access token lifetime (90s, 15m, 24h, 7d or seconds) [default: the server's]
    #[arg(long, value_name = "DURATION", value_parser = parse_seconds)]
    pub access_token_ttl: Option<i64>,
    /// Refresh token lifetime (90s, 15m, 24h, 7d or seconds) [default: the server's]
    #[arg(long, value_name = "DURATION", value_parser = parse_seconds)]
    pub refresh_token_ttl: Option<i64>,
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Copy everything (apps with their secrets, users, admin keys, tokens, codes,
    /// audit log) from one database to another, e.g. from SQLite to PostgreSQL; stop
    /// the servers on the source first
    Copy {
        /// Source: sqlite:PATH or postgres://USER@HOST:PORT/DBNAME
        #[arg(long, value_name = "URL")]
        from: String,
        /// Target, created or migrated as needed: sqlite:PATH or postgres://…
        #[arg(long, value_name = "URL")]
        to: String,
        /// Copy into a target that holds data already (records it has are skipped)
        #[arg(long, alias = "force")]
        into_non_empty: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokensCommand {
    /// List issued tokens, newest first
    List {
        /// Only this app's tokens (client ID)
        #[arg(long = "app", value_name = "CLIENT_ID")]
        client_id: Option<String>,
        /// Only this user's tokens (username)
        #[arg(long = "user", value_name = "USERNAME")]
        subject: Option<String>,
        /// Only tokens that are neither expired nor revoked
        #[arg(long)]
        active: bool,
    },
    /// Revoke one token by its ID (tok_…) (asks first on a terminal)
    Revoke {
        token_id: String,
        /// Do not ask: needed when stdin is not a terminal
        #[arg(long, short = 'y')]
        yes: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Add a user; the password is read from the first line of stdin
    Add {
        username: String,
        /// Read the password from stdin (required: passwords never go on the command line)
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// List users: who can sign in, their active tokens and the apps holding them
    List,
    /// Show a user and the apps they have authorised
    Show { username: String },
    /// Disable a user: they can no longer sign in, and all their tokens are revoked
    Disable { username: String },
    /// Enable a disabled user: they can sign in again
    Enable { username: String },
    /// Set a user's password, read from the first line of stdin
    Passwd {
        username: String,
        /// Read the password from stdin (required: passwords never go on the command line)
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Delete a user and revoke their tokens (asks first on a terminal)
    Delete {
        username: String,
        /// Do not ask: needed when stdin is not a terminal
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Revoke every token of a user, at every app (asks first on a terminal)
    RevokeTokens {
        username: String,
        /// Do not ask: needed when stdin is not a terminal
        #[arg(long, short = 'y')]
        yes: bool,
    },
}

/// The clap command, for completions and man pages.
pub fn command() -> clap::Command {
    Cli::command()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        command().debug_assert();
    }
}
