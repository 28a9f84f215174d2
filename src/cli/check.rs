//! `yibao-bot check`: validates a FAQ folder and lists every problem.

use std::process::ExitCode;

use yibao_bot::{Corpus, CorpusError};

use super::FaqArg;

pub fn run(args: FaqArg) -> anyhow::Result<ExitCode> {
    match Corpus::load(&args.faq) {
        Ok(corpus) => {
            let sections: usize = corpus.entries.iter().map(|e| e.sections.len()).sum();
            println!(
                "{}: OK — {} entries, {} sections, {} categories",
                args.faq.display(),
                corpus.entries.len(),
                sections,
                corpus.categories().len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(CorpusError::Invalid(problems)) => {
            for p in &problems {
                eprintln!("{p}");
            }
            eprintln!("{} problem(s) in {}", problems.len(), args.faq.display());
            Ok(ExitCode::from(2))
        }
        Err(e) => Err(e.into()),
    }
}
