//! The command line: the console (no subcommand), `serve`, and the scripting
//! subcommands (apps, tokens, users) with `--json`. `main.rs` only calls [`main`].

mod admin_args;
mod admin_keys;
mod apps;
mod apps_apply;
mod apps_file;
mod apps_plan;
mod args;
mod audit;
mod completions;
mod confirm;
mod connection;
mod console;
mod database;
mod default_profile;
mod duration_arg;
mod error;
mod log_rotation;
mod logging;
mod output;
mod profiles;
mod read_only;
mod serve;
mod store_copy;
mod table;
mod tokens;
mod users;

pub use args::{Cli, Command, GlobalArgs, command};
pub use error::CliError;

use clap::Parser;
use logging::{LogGuard, LogTargets};
use output::Output;
use std::process::ExitCode;

/// Parses the command line, runs what it asks for, and says how it went.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // Checked before anything else: crossterm must not be touched without a terminal.
    if cli.command.is_none() && !console::has_terminal() {
        eprintln!("{}", console::NEEDS_TERMINAL);
        return ExitCode::from(error::EXIT_USAGE);
    }
    let _logs = start_logging(&cli);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return report(&CliError::Failed(format!("cannot start the runtime: {e}"))),
    };
    match runtime.block_on(dispatch(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => report(&e),
    }
}

fn start_logging(cli: &Cli) -> LogGuard {
    let serving = matches!(cli.command, Some(Command::Serve(_)));
    let format = match &cli.command {
        Some(Command::Serve(args)) => args.log_format,
        _ => args::LogFormat::Text,
    };
    let data_dir = connection::data_dir(&cli.global).ok();
    let rotation = match &cli.command {
        Some(Command::Serve(args)) => log_rotation::LogRotation {
            max_bytes: args.log_max_bytes,
            max_files: args.log_max_files,
        },
        _ => log_rotation::LogRotation::default(),
    };
    let (guard, problem) = logging::init(LogTargets {
        data_dir: data_dir.as_deref(),
        stderr: serving,
        format,
        rotation,
    });
    // Only `serve` may talk about it: the others own stderr for their one error line.
    if serving && let Some(problem) = problem {
        eprintln!("warning: {problem}");
    }
    guard
}

async fn dispatch(cli: Cli) -> Result<(), CliError> {
    let out = Output {
        json: cli.global.json,
    };
    let command = match cli.command {
        Some(Command::Serve(args)) => return serve::run(&cli.global, args).await,
        // No server needed for these.
        Some(Command::Completions { shell }) => return completions::print_completions(shell),
        Some(Command::Man) => return completions::print_man(),
        Some(Command::Profiles(c)) => return profiles::run(c, out),
        Some(Command::Store(c)) => return store_copy::run(c, out).await,
        other => other,
    };
    let mut global = cli.global;
    // `admin-keys create NAME --read-only` describes the new key, not this session
    // (clap hands the global flag the same value).
    if let Some(Command::AdminKeys(args::AdminKeysCommand::Create {
        read_only: true, ..
    })) = &command
    {
        global.read_only = false;
    }
    let session = profiles::resolve(global)?;
    let Some(command) = command else {
        return console::run(&session).await;
    };
    read_only::check(&command, session.read_only.as_deref())?;
    confirm::check(&command)?;
    let global = session.global;
    tracing::info!(command = command_name(&command), "running");
    let connection = connection::Connection::open(&global).await?;
    let result = match command {
        Command::Apps(c) => apps::run(&connection.client, c, out).await,
        Command::Tokens(c) => tokens::run(&connection.client, c, out).await,
        Command::Users(c) => users::run(&connection.client, c, out).await,
        Command::Audit(c) => audit::run(&connection.client, c, out).await,
        Command::AdminKeys(c) => admin_keys::run(&connection.client, c, out).await,
        Command::Serve(_)
        | Command::Profiles(_)
        | Command::Store(_)
        | Command::Completions { .. }
        | Command::Man => Ok(()),
    };
    connection.close().await;
    let result = result.map_err(read_only::explain);
    if let Err(e) = &result {
        tracing::warn!(error = %e, "command failed");
    }
    result
}

/// For the log: which command ran, never its arguments.
fn command_name(command: &Command) -> &'static str {
    match command {
        Command::Serve(_) => "serve",
        Command::Apps(_) => "apps",
        Command::Tokens(_) => "tokens",
        Command::Users(_) => "users",
        Command::Profiles(_) => "profiles",
        Command::Store(_) => "store",
        Command::Audit(_) => "audit",
        Command::AdminKeys(_) => "admin-keys",
        Command::Completions { .. } => "completions",
        Command::Man => "man",
    }
}

fn report(error: &CliError) -> ExitCode {
    for line in error.lines() {
        eprintln!("{line}");
    }
    error.exit()
}
