//! Command-line arguments and dispatch to the subcommands, one file each.

mod ask;
mod backup;
mod calibrate;
mod check;
mod import;
mod review;
mod serve;
mod show;
mod stats;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use yibao_bot::{BotError, CorpusError, Matcher, StoreError};

/// 医保小助手: answers questions about China's medical insurance from an FAQ corpus,
/// on Telegram and on the command line. Without a subcommand it runs the bot when
/// TELOXIDE_TOKEN is set.
#[derive(Debug, Parser)]
#[command(name = "yibao-bot", version, about)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the Telegram bot (token from TELOXIDE_TOKEN; TELOXIDE_API_URL honoured)
    Serve(serve::ServeArgs),
    /// Unanswered questions and 👍/👎 per entry, from the bot's database
    Stats(stats::StatsArgs),
    /// Ask the answer engine a question (or one per line on stdin)
    Ask(ask::AskArgs),
    /// Validate a FAQ folder: every problem, with its file and entry
    Check(FaqArg),
    /// Print one entry in full
    Show(show::ShowArgs),
    /// Choose answer thresholds from labelled questions
    Calibrate(calibrate::CalibrateArgs),
    /// Review unanswered questions: learn phrasings, mark what needs an entry
    Review(review::ReviewArgs),
    /// Copy the bot's database to a new file, while the bot runs
    Backup(backup::BackupArgs),
    /// Make a corpus folder from a plain FAQ table (CSV, TSV, XLSX)
    Import(import::ImportArgs),
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

/// The bot's database, for the commands that read (or review) what it stored.
#[derive(Debug, clap::Args)]
pub struct DbArg {
    /// SQLite database of the bot
    #[arg(
        long,
        env = "YIBAO_DB",
        default_value = "yibao.db",
        value_name = "PATH"
    )]
    pub db: PathBuf,
}

impl DbArg {
    /// The database's path, when there is one (these commands never create it).
    pub fn existing(&self) -> anyhow::Result<&Path> {
        if !self.db.exists() {
            anyhow::bail!(
                "no database at {} (the bot creates it on first run; see --db)",
                self.db.display()
            );
        }
        Ok(&self.db)
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Some(Command::Serve(a)) => serve::run(a),
        Some(Command::Stats(a)) => stats::run(a),
        Some(Command::Ask(a)) => ask::run(a),
        Some(Command::Check(a)) => check::run(a),
        Some(Command::Show(a)) => show::run(a),
        Some(Command::Calibrate(a)) => calibrate::run(a),
        Some(Command::Import(a)) => import::run(a),
        Some(Command::Backup(a)) => backup::run(a),
        Some(Command::Review(a)) => review::run(a),
        // Plain `yibao-bot`: the bot, with everything from the environment.
        None => {
            use clap::FromArgMatches;
            let matches =
                <serve::ServeArgs as clap::Args>::augment_args(clap::Command::new("yibao-bot"))
                    .try_get_matches_from(["yibao-bot"])?;
            serve::run(serve::ServeArgs::from_arg_matches(&matches)?)
        }
    }
}

/// 2 for a configuration error, which restarting will not fix (the systemd unit's
/// `RestartPreventExitStatus=2`): a corpus that cannot be served (invalid, or no folder
/// there, as `check` exits), a token Telegram refuses, a database from a newer
/// yibao-bot; 1 for anything else (the network, a full disk: worth restarting).
pub fn exit_code(err: &anyhow::Error) -> u8 {
    let configuration = err.downcast_ref::<CorpusError>().is_some()
        || err
            .downcast_ref::<BotError>()
            .is_some_and(BotError::is_configuration)
        || matches!(
            err.downcast_ref::<StoreError>(),
            Some(StoreError::Newer { .. })
        );
    if configuration { 2 } else { 1 }
}
