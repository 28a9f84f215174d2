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
            eprintln!("yibao-bot: {}", one_line(&err));
            ExitCode::from(cli::exit_code(&err))
        }
    }
}

/// The error and its causes, "what: why: why", leaving out a cause that only repeats the
/// one before (SQLite says "file is not a database" twice, as message and as code).
fn one_line(err: &anyhow::Error) -> String {
    let mut line = String::new();
    let mut last = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if line.is_empty() {
            line = text.clone();
        } else if !last.ends_with(&text) && !text.ends_with(&last) {
            line.push_str(": ");
            line.push_str(&text);
        }
        last = text;
    }
    line
}
