//! `oauth-console completions SHELL` and `oauth-console man`, both generated from
//! `args::command()` so they never drift from what the binary accepts.

use super::CliError;
use super::args::command;
use super::output::write_stdout;

pub fn print_completions(shell: clap_complete::Shell) -> Result<(), CliError> {
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut command(), "oauth-console", &mut buffer);
    write_stdout(&String::from_utf8_lossy(&buffer))
}

pub fn print_man() -> Result<(), CliError> {
    let mut buffer = Vec::new();
    clap_mangen::Man::new(command())
        .render(&mut buffer)
        .map_err(|e| CliError::Failed(format!("cannot render the man page: {e}")))?;
    write_stdout(&String::from_utf8_lossy(&buffer))
}
