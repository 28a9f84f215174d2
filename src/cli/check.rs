//! `yibao-bot check`: validates a FAQ folder and lists every problem — errors, which
//! keep the bot from serving it, and warnings, which do not.

use std::io::Write;
use std::process::ExitCode;

use yibao_bot::{Corpus, CorpusError};

use super::FaqArg;

pub fn run(args: FaqArg) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match Corpus::load(&args.faq) {
        Ok(corpus) => {
            for w in &corpus.warnings {
                eprintln!("{w}");
            }
            let sections: usize = corpus.entries.iter().map(|e| e.sections.len()).sum();
            let warned = match corpus.warnings.len() {
                0 => String::new(),
                n => format!(", {n} warning(s) above"),
            };
            writeln!(
                out,
                "{}: OK — {} entries, {} sections, {} categories{warned}",
                args.faq.display(),
                corpus.entries.len(),
                sections,
                corpus.categories().len()
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(CorpusError::Invalid(problems)) => {
            for p in &problems {
                eprintln!("{p}");
            }
            let errors = problems.iter().filter(|p| !p.warning).count();
            eprintln!(
                "{errors} error(s), {} warning(s) in {}: it cannot be served until the errors are fixed",
                problems.len() - errors,
                args.faq.display()
            );
            Ok(ExitCode::from(2))
        }
        Err(e) => Err(e.into()),
    }
}
