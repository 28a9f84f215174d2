//! The answer engine: a question in, an [`Outcome`] out — one confident answer, a few
//! suggestions, or nothing.
//!
//! A question is normalised, checked against the out-of-scope topics, rewritten with the
//! corpus's synonyms, repaired for typos and segmented; every target (an entry, or one of
//! its sections) is then scored ([`score`](super::score)) and the ranking decided
//! ([`decide`](super::decide)).

use std::path::Path;

use super::corpus::Corpus;
use super::decide::{Decline, Hit, Outcome, decide};
use super::index::{EntryText, Index};
use super::load::CorpusError;
use super::normalize::Normalizer;
use super::query::Query;
use super::score::score_targets;
use super::segment::{Analysis, Segmenter};
use super::tuning::{RELATED_FLOOR, SEARCH_FLOOR, Thresholds, Weights};
use super::typo::TypoRepair;
use super::view::AnswerView;

/// How much of a question the engine reads: its head, this many characters. A question
/// has at most a few hundred characters of substance; reading no more keeps the cost of
/// a pasted essay bounded.
pub const MAX_QUESTION_CHARS: usize = 500;

/// The head of `question` that the engine reads.
fn head(question: &str) -> &str {
    match question.char_indices().nth(MAX_QUESTION_CHARS) {
        Some((end, _)) => &question[..end],
        None => question,
    }
}

/// The corpus, indexed and ready to answer.
#[derive(Debug)]
pub struct Matcher {
    corpus: Corpus,
    normalizer: Normalizer,
    segmenter: Segmenter,
    typos: TypoRepair,
    index: Index,
    pub thresholds: Thresholds,
    pub weights: Weights,
}

impl Matcher {
    /// Loads, validates and indexes the corpus in `dir`.
    pub fn load(dir: &Path) -> Result<Matcher, CorpusError> {
        Ok(Matcher::new(Corpus::load(dir)?))
    }

    pub fn new(corpus: Corpus) -> Matcher {
        let normalizer = Normalizer::new();
        let segmenter = Segmenter::new(
            &corpus.user_words,
            corpus.places.names(),
            corpus.synonyms.words(),
        );
        // Corpus text is normalised and rewritten with synonyms, never "repaired".
        let analyze = |text: &String| {
            segmenter.analyze(&corpus.synonyms.rewrite(&normalizer.normalize(text)))
        };
        let texts: Vec<EntryText> = corpus
            .entries
            .iter()
            .map(|e| EntryText {
                phrasings: std::iter::once(&e.question)
                    .chain(&e.alternates)
                    .map(analyze)
                    .collect(),
                sections: e
                    .sections
                    .iter()
                    .map(|s| {
                        std::iter::once(&s.title)
                            .chain(&s.alternates)
                            .map(analyze)
                            .collect()
                    })
                    .collect(),
            })
            .collect();
        let index = Index::build(&texts);
        let typos = TypoRepair::new(index.words.terms());
        Matcher {
            corpus,
            normalizer,
            segmenter,
            typos,
            index,
            thresholds: Thresholds::default(),
            weights: Weights::default(),
        }
    }

    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// What is shown for `hit`.
    pub fn view(&self, hit: &Hit) -> AnswerView<'_> {
        self.corpus.view(hit)
    }

    /// A question: normalised, rewritten with synonyms, typos repaired, segmented.
    pub fn analyze(&self, question: &str) -> Analysis {
        self.analyze_normalized(&self.normalizer.normalize(head(question)))
    }

    fn analyze_normalized(&self, text: &str) -> Analysis {
        let text = self.corpus.synonyms.rewrite(text);
        let text = self.typos.repair(&text, |w| self.segmenter.is_word(w));
        self.segmenter.analyze(&text)
    }

    /// The engine's answer to `question`.
    pub fn ask(&self, question: &str) -> Outcome {
        match self.read(question) {
            Ok(analysis) => decide(&self.rank_analysis(&analysis), &self.thresholds),
            Err(decline) => Outcome::None(decline),
        }
    }

    /// A question read as far as matching: its analysis, or why it needs none.
    fn read(&self, question: &str) -> Result<Analysis, Decline> {
        let text = self.normalizer.normalize(head(question));
        if let Some(topic) = self.corpus.out_of_scope.topic_of(&text.replace(' ', "")) {
            return Err(Decline::OutOfScope(topic));
        }
        let analysis = self.analyze_normalized(&text);
        if analysis.is_thin() {
            return Err(Decline::NoContent);
        }
        Ok(analysis)
    }

    /// The ranking `ask` decides from: every entry that shares anything with `question`,
    /// best first, one hit per entry (its best target); empty when the question is
    /// declined before matching (out of scope, or nothing to go on).
    pub fn rank(&self, question: &str) -> Vec<Hit> {
        match self.read(question) {
            Ok(analysis) => self.rank_analysis(&analysis),
            Err(_) => Vec::new(),
        }
    }

    fn rank_analysis(&self, analysis: &Analysis) -> Vec<Hit> {
        let Some(query) = Query::new(analysis, &self.index, &self.segmenter, &self.weights) else {
            return Vec::new();
        };
        // Targets come in index order, so an entry's targets are next to each other.
        let mut hits: Vec<Hit> = Vec::new();
        for (t, score) in score_targets(&self.index, &self.corpus.places, &self.weights, &query) {
            let target = &self.index.targets[t as usize];
            let hit = Hit {
                entry: target.entry as usize,
                section: target.section.map(|s| s as usize),
                score,
            };
            match hits.last_mut() {
                Some(last) if last.entry == hit.entry => {
                    if hit.score > last.score {
                        *last = hit;
                    }
                }
                _ => hits.push(hit),
            }
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry)));
        hits
    }

    /// Up to `n` entries for a search box (inline mode), best first: anything that
    /// matches at all, but nothing for an out-of-scope question.
    pub fn search(&self, query: &str, n: usize) -> Vec<Hit> {
        self.rank(query)
            .into_iter()
            .filter(|h| h.score >= SEARCH_FLOOR)
            .take(n)
            .collect()
    }

    /// Entries close to `entry`, for "related questions" buttons.
    pub fn related(&self, entry: usize, n: usize) -> Vec<Hit> {
        let question = &self.corpus.entries[entry].question;
        self.rank(question)
            .into_iter()
            .filter(|h| h.entry != entry && h.score >= RELATED_FLOOR)
            .take(n)
            .collect()
    }
}
