//! Command-line arguments and dispatch to the subcommands, one file each.

mod ask;
mod calibrate;
mod check;
mod show;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use yibao_bot::{CorpusError, Matcher};

/// 医保小助手: answers questions about China's medical insurance from an FAQ corpus.
#[derive(Debug, Parser)]
#[command(name = "yibao-bot", version, about)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Ask the answer engine a question (or one per line on stdin)
    Ask(ask::AskArgs),
    /// Validate a FAQ folder: every problem, with its file and entry
    Check(FaqArg),
    /// Print one entry in full
    Show(show::ShowArgs),
    /// Choose answer thresholds from labelled questions
    Calibrate(calibrate::CalibrateArgs),
}

/// Where the FAQ corpus is.
#[derive(Debug, clap::Args)]
pub struct FaqArg {
    /// FAQ folder (see faq/README.md for the format)
    #[arg(long, env = "YIBAO_FAQ", default_value = "faq", value_name = "DIR")]
    pub faq: PathBuf,
}

impl FaqArg {
    pub fn load(&self) -> anyhow::Result<Matcher> {
        Ok(Matcher::load(&self.faq)?)
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Ask(a) => ask::run(a),
        Command::Check(a) => check::run(a),
        Command::Show(a) => show::run(a),
        Command::Calibrate(a) => calibrate::run(a),
    }
}

/// 2 for an invalid corpus (as `check` exits), 1 for anything else.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    match err.downcast_ref::<CorpusError>() {
        Some(CorpusError::Invalid(_)) => 2,
        _ => 1,
    }
}
