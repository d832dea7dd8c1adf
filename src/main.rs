//! The `oauth-console` binary: everything happens in `oauth_console::cli`.

fn main() -> std::process::ExitCode {
    oauth_console::cli::main()
}
