//! `yibao-bot backup PATH`: a consistent copy of the bot's database, taken while the bot
//! runs (SQLite's online backup), for the operator's backups. To restore, stop the bot
//! and put the copy where `--db` points.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use yibao_bot::Store;

use super::DbArg;

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    #[command(flatten)]
    db: DbArg,
    /// Where to write the copy (a new file)
    to: PathBuf,
}

pub fn run(args: BackupArgs) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let db = args.db.existing()?;
    if args.to.exists() {
        bail!(
            "{} already exists: give a new file (backups are never written over)",
            args.to.display()
        );
    }
    let store = Store::open_read_only(db)?;
    store.back_up(&args.to)?;
    let size = std::fs::metadata(&args.to).map_or(0, |m| m.len());
    writeln!(
        out,
        "backed up {} to {} ({} KiB); to restore: stop the bot, copy it back to {}, start the bot",
        db.display(),
        args.to.display(),
        size.div_ceil(1024),
        db.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
