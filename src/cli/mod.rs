//! The command line: the console (no subcommand), `serve`, and the scripting
//! subcommands (apps, tokens, users) with `--json`. `main.rs` only calls [`main`].

mod apps;
mod args;
mod connection;
mod console;
mod error;
mod logging;
mod output;
mod serve;
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
    let data_dir = connection::data_dir(&cli.global).ok();
    let (guard, problem) = logging::init(LogTargets {
        data_dir: data_dir.as_deref(),
        stderr: serving,
    });
    // Only `serve` may talk about it: the others own stderr for their one error line.
    if serving && let Some(problem) = problem {
        eprintln!("warning: {problem}");
    }
    guard
}

async fn dispatch(cli: Cli) -> Result<(), CliError> {
    let global = cli.global;
    let out = Output { json: global.json };
    let command = match cli.command {
        None => return console::run(&global).await,
        Some(Command::Serve(args)) => return serve::run(&global, args).await,
        Some(command) => command,
    };
    tracing::info!(command = command_name(&command), "running");
    let connection = connection::Connection::open(&global).await?;
    let result = match command {
        Command::Apps(c) => apps::run(&connection.client, c, out).await,
        Command::Tokens(c) => tokens::run(&connection.client, c, out).await,
        Command::Users(c) => users::run(&connection.client, c, out).await,
        Command::Serve(_) => Ok(()),
    };
    connection.close().await;
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
    }
}

fn report(error: &CliError) -> ExitCode {
    for line in error.lines() {
        eprintln!("{line}");
    }
    error.exit()
}
