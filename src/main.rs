//! The `yibao-bot` command: parses the command line and hands off to one subcommand.
//! Errors are printed once, to stderr, and mapped to the exit code.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    match cli::run(args) {
        Ok(code) => code,
        // `yibao-bot ask --json < questions | head`: the reader left; nothing to report.
        Err(err)
            if err.chain().any(|cause| {
                cause
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("yibao-bot: {err:#}");
            ExitCode::from(cli::exit_code(&err))
        }
    }
}
