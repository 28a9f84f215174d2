//! `yibao-bot review`: walks the most frequent unanswered questions (masked, as stored),
//! each with the engine's best candidates, and records what the reviewer decides — "add
//! as a phrasing of entry N", "needs a new entry", "ignore" — in the bot's database. A
//! running bot learns a phrasing within seconds; `--export FILE` writes every decision
//! for the maintainers to merge into `faq/`.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use serde::Serialize;
use yibao_bot::{Choice, Matcher, Store};

use super::{DbArg, FaqArg};

#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    #[command(flatten)]
    faq: FaqArg,
    #[command(flatten)]
    db: DbArg,
    /// Only questions asked in the last N days
    #[arg(long, default_value_t = 30, value_name = "N")]
    days: u32,
    /// Write every decision to FILE (JSON) instead of reviewing
    #[arg(long, value_name = "FILE")]
    export: Option<PathBuf>,
}

/// Candidates shown per question.
const CANDIDATES: usize = 3;

pub fn run(args: ReviewArgs) -> anyhow::Result<ExitCode> {
    let db = args.db.existing()?;
    if let Some(file) = &args.export {
        return export(&Store::open_read_only(db)?, file);
    }
    let store = Store::open_existing(db)?;
    let matcher = Matcher::load_learning(&args.faq.faq, &store.learnt_phrasings()?)?;
    let queue = store.to_review(args.days, usize::MAX >> 1)?;
    if queue.is_empty() {
        writeln!(
            std::io::stdout(),
            "No unanswered questions to review in the last {} days.",
            args.days
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut out = std::io::stdout().lock();
    let (mut learnt, mut new, mut ignored) = (0, 0, 0);
    for (n, item) in queue.iter().enumerate() {
        let candidates: Vec<&yibao_bot::Entry> = matcher
            .rank(&item.question)
            .hits
            .iter()
            .take(CANDIDATES)
            .map(|h| &matcher.corpus().entries[h.entry])
            .collect();
        writeln!(
            out,
            "\n[{}/{}] asked {}×: {}",
            n + 1,
            queue.len(),
            item.count,
            item.question
        )?;
        for (i, e) in candidates.iter().enumerate() {
            writeln!(out, "  {}) {}  {}", i + 1, e.id, e.question)?;
        }
        if candidates.is_empty() {
            writeln!(out, "  (no entry comes close)")?;
        }
        let choice = loop {
            write!(
                out,
                "{}n: needs a new entry · i: ignore · s: skip · q: quit > ",
                match candidates.len() {
                    0 => String::new(),
                    1 => "1: add as a phrasing of entry 1 · ".to_string(),
                    k => format!("1-{k}: add as a phrasing of that entry · "),
                }
            )?;
            out.flush()?;
            let Some(line) = lines.next() else {
                break None;
            };
            let line = line.context("cannot read the answer")?;
            match line.trim() {
                "q" => break None,
                "s" | "" => break Some(None),
                "n" => break Some(Some(Choice::NewEntry)),
                "i" => break Some(Some(Choice::Ignore)),
                k => match k.parse::<usize>() {
                    Ok(k) if (1..=candidates.len()).contains(&k) => {
                        break Some(Some(Choice::Phrasing(candidates[k - 1].id.clone())));
                    }
                    _ => writeln!(out, "  ? {k:?} is not one of the choices")?,
                },
            }
        };
        let Some(choice) = choice else {
            writeln!(out)?;
            break;
        };
        let Some(choice) = choice else { continue };
        store.record_review(&item.question, &choice)?;
        match &choice {
            Choice::Phrasing(id) => {
                learnt += 1;
                writeln!(out, "  → learnt as a phrasing of {id}")?;
            }
            Choice::NewEntry => new += 1,
            Choice::Ignore => ignored += 1,
        }
    }
    writeln!(
        out,
        "{learnt} phrasing(s) learnt (a running bot answers with them within seconds), {new} marked as needing a new entry, {ignored} ignored. `yibao-bot review --export FILE` lists them for faq/."
    )?;
    Ok(ExitCode::SUCCESS)
}

/// What the maintainers merge into `faq/`: learnt phrasings by entry (to add to its
/// `alternates`), and the questions that need an entry of their own.
#[derive(Serialize)]
struct Export {
    alternates: BTreeMap<String, Vec<String>>,
    new_entries: Vec<Asked>,
    ignored: Vec<Asked>,
}

#[derive(Serialize)]
struct Asked {
    question: String,
    asked: u64,
}

fn export(store: &Store, file: &PathBuf) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let mut export = Export {
        alternates: BTreeMap::new(),
        new_entries: Vec::new(),
        ignored: Vec::new(),
    };
    for r in store.reviewed()? {
        let asked = Asked {
            question: r.question,
            asked: r.count,
        };
        match r.choice {
            Choice::Phrasing(entry) => export
                .alternates
                .entry(entry)
                .or_default()
                .push(asked.question),
            Choice::NewEntry => export.new_entries.push(asked),
            Choice::Ignore => export.ignored.push(asked),
        }
    }
    let mut json = serde_json::to_string_pretty(&export)?;
    json.push('\n');
    std::fs::write(file, json).with_context(|| format!("cannot write {}", file.display()))?;
    writeln!(
        out,
        "wrote {}: {} phrasing(s) for {} entries (add them to those entries' `alternates`), {} question(s) needing a new entry",
        file.display(),
        export.alternates.values().map(Vec::len).sum::<usize>(),
        export.alternates.len(),
        export.new_entries.len()
    )?;
    Ok(ExitCode::SUCCESS)
}
