//! `yibao-bot stats`: the questions the bot could not answer, most frequent first, and
//! the 👍 / 👎 each entry received — what a maintainer needs to grow the corpus.

use std::io::Write;
use std::process::ExitCode;

use yibao_bot::Store;

use super::DbArg;

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    #[command(flatten)]
    db: DbArg,
    /// Only the last N days
    #[arg(long, default_value_t = 30, value_name = "N")]
    days: u32,
    /// How many unanswered questions to list
    #[arg(long, default_value_t = 30, value_name = "N")]
    top: usize,
}

pub fn run(args: StatsArgs) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let db = args.db.existing()?;
    let store = Store::open_read_only(db)?;
    let unanswered = store.unanswered(args.days, args.top)?;
    writeln!(
        out,
        "Unanswered questions, last {} days (most frequent first):",
        args.days
    )?;
    if unanswered.is_empty() {
        writeln!(out, "  (none)")?;
    }
    for u in &unanswered {
        writeln!(out, "  {:>4}×  [{}]  {}", u.count, u.outcome, u.question)?;
    }
    let votes = store.votes(args.days)?;
    writeln!(out, "\nFeedback per entry, last {} days:", args.days)?;
    if votes.is_empty() {
        writeln!(out, "  (none)")?;
    }
    for v in &votes {
        writeln!(out, "  👍 {:>3}  👎 {:>3}  {}", v.up, v.down, v.entry_id)?;
    }
    Ok(ExitCode::SUCCESS)
}
