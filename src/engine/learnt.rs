//! Phrasings learnt from reviewing unanswered questions: "this question is a way of
//! asking entry X". They live in the bot's database, not in `faq/`, until a maintainer
//! merges them (`yibao-bot review --export`); the engine adds them to their entries'
//! alternates when it indexes, so that the question is answered the next time.

use std::collections::HashSet;
use std::path::Path;

use super::corpus::Corpus;
use super::load::CorpusError;
use super::matcher::Matcher;
use super::normalize::Normalizer;
use super::validate::phrasing_key;

/// A learnt phrasing: `phrasing` asks what entry `entry_id` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Learnt {
    pub entry_id: String,
    pub phrasing: String,
}

impl Corpus {
    /// Adds each learnt phrasing to its entry's alternates; returns how many were added.
    /// One whose entry is gone, or that the corpus already has (as any entry's or
    /// section's phrasing, read as the matcher reads it), is left out: the corpus wins.
    pub fn learn(&mut self, learnt: &[Learnt]) -> usize {
        let normalizer = Normalizer::new();
        let key = |text: &str| phrasing_key(&normalizer, text);
        let mut known: HashSet<String> = self
            .entries
            .iter()
            .flat_map(|e| {
                std::iter::once(&e.question).chain(&e.alternates).chain(
                    e.sections
                        .iter()
                        .flat_map(|s| std::iter::once(&s.title).chain(&s.alternates)),
                )
            })
            .map(|p| key(p))
            .collect();
        let mut added = 0;
        for l in learnt {
            let Some(i) = self.index_of(&l.entry_id) else {
                continue;
            };
            let k = key(&l.phrasing);
            if k.is_empty() || !known.insert(k) {
                continue;
            }
            self.entries[i].alternates.push(l.phrasing.clone());
            added += 1;
        }
        added
    }
}

impl Matcher {
    /// [`Matcher::load`], with `learnt` phrasings added to their entries.
    pub fn load_learning(dir: &Path, learnt: &[Learnt]) -> Result<Matcher, CorpusError> {
        let mut corpus = Corpus::load(dir)?;
        corpus.learn(learnt);
        Ok(Matcher::new(corpus))
    }
}
