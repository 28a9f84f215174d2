//! `yibao-bot show ID`: one entry in full, as the "查看全文" button shows it.

use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;
use yibao_bot::render;

use super::FaqArg;

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    #[command(flatten)]
    faq: FaqArg,
    /// The entry's id
    id: String,
}

pub fn run(args: ShowArgs) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let matcher = args.faq.load()?;
    let Some(entry) = matcher.corpus().index_of(&args.id) else {
        bail!("no entry with id \"{}\"", args.id);
    };
    writeln!(out, "{}", render::full_entry(&matcher, entry))?;
    Ok(ExitCode::SUCCESS)
}
