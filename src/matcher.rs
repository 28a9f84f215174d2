//! The answer engine: a question in, an [`Outcome`] out — one confident answer, a few
//! suggestions, or nothing.
//!
//! A question is normalised, rewritten with the corpus's synonyms, repaired for typos and
//! segmented. Every target (an entry, or one of its sections) is then scored by how well
//! its closest phrasing covers the question and the question covers it (idf-weighted words
//! and character bigrams), blended with how much of the question the target's phrasings
//! explain together. Names must agree: a target naming other places or another year than
//! the question is pushed down, so it can at most be suggested.

use std::path::Path;

use crate::corpus::{Corpus, CorpusError, Entry, Section};
use crate::index::{EntryText, Index, Target};
use crate::normalize::Normalizer;
use crate::places::PlaceAgreement;
use crate::segment::{Analysis, Segmenter};
use crate::typo::TypoRepair;

/// A target that could answer, with how well it matched (0 to 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub entry: usize,
    pub section: Option<usize>,
    pub score: f32,
}

impl Hit {
    /// A whole entry, as a button or a link asks for it.
    pub fn whole(entry: usize) -> Hit {
        Hit {
            entry,
            section: None,
            score: 1.0,
        }
    }
}

/// What the engine makes of a question.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// One entry (or section) answers it.
    Answer(Hit),
    /// Not sure: up to three entries that might ("您是不是想问").
    Suggest(Vec<Hit>),
    /// Nothing in the corpus answers it, and why.
    None(Decline),
}

/// Why nothing answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decline {
    /// Nothing to go on: empty, punctuation, greetings, thanks, a single character.
    NoContent,
    /// A kind of question the corpus declines (an index into the corpus's out-of-scope
    /// topics).
    OutOfScope(usize),
    /// No entry is close enough; `best` is the closest there was.
    NotCovered { best: Option<Hit> },
}

/// How scores become outcomes. Calibrated on labelled questions with
/// `yibao-bot calibrate` (see README): not guessed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Lowest score that may answer.
    pub answer: f32,
    /// How far the best entry must lead the next one to answer...
    pub margin: f32,
    /// ...unless it scores at least this.
    pub sure: f32,
    /// Lowest score worth suggesting.
    pub suggest: f32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            answer: 0.44,
            margin: 0.06,
            sure: 0.62,
            suggest: 0.44,
        }
    }
}

/// How the score is put together. The defaults were chosen on labelled questions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Share of words (vs character bigrams) in every similarity.
    pub words: f32,
    /// Share of the closest phrasing (vs the target's whole vocabulary).
    pub phrasing: f32,
    /// Recall is this many times as important as precision (F-beta).
    pub beta: f32,
    /// A word no entry uses weighs as much as the rarest known word times
    /// `unknown_base - unknown_slope * ln(general frequency)`, within `unknown_range`:
    /// an unknown subject (公积金, 白内障) says the question is about something else; an
    /// unknown everyday word (已经, 必须) says little.
    pub unknown_base: f32,
    pub unknown_slope: f32,
    pub unknown_range: (f32, f32),
    /// Weight of a character bigram no entry uses, relative to the rarest known.
    pub unknown_bigram: f32,
    /// Unknown words count in a question's weight up to this many times its known
    /// words' weight, so a long question full of context is not drowned by it.
    pub unknown_cap: f32,
    /// A question whose known words weigh less than this gets proportionally less credit
    /// for being "explained" by a target's vocabulary: any target containing 多少钱
    /// explains the question 多少钱 entirely, which says nothing.
    pub coverage_mass: f32,
    /// Multiplier for a target naming a place the question does not, while the
    /// question names one it does not.
    pub other_place: f32,
    /// Multiplier for a target about some of the places the question names, while the
    /// question also names another (`阳泉参保，在太原做透析`).
    pub partial_place: f32,
    /// Multiplier for a target that names a place when the question names none.
    pub unnamed_place: f32,
    /// Multiplier for a target that names more places than the question (which names
    /// some): `江苏的医保能在江西使用吗` for a question about 江西 alone.
    pub extra_place: f32,
    /// Multiplier for a target about another year than the question.
    pub other_year: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            words: 0.7,
            phrasing: 0.5,
            beta: 1.0,
            unknown_base: 1.9,
            unknown_slope: 0.13,
            unknown_range: (0.3, 1.5),
            unknown_bigram: 1.0,
            unknown_cap: 2.0,
            coverage_mass: 4.0,
            other_place: 0.35,
            partial_place: 0.5,
            unnamed_place: 0.92,
            extra_place: 0.85,
            other_year: 0.4,
        }
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

/// A question's terms with their weights; `None` ids are words no entry uses.
struct Query {
    words: Vec<(Option<u32>, f32)>,
    /// Summed weight of the words the corpus knows.
    known_mass: f32,
    bigrams: Vec<(Option<u32>, f32)>,
    word_mass: f32,
    bigram_mass: f32,
    places: Vec<String>,
    years: Vec<u16>,
}

/// Postings read in full per question; past this, commoner terms are looked up only in
/// the phrasings the rarer ones found.
const CANDIDATE_BUDGET: usize = 4_000;
/// Phrasings scored in full per question (those sharing the most with it).
const MAX_CANDIDATES: usize = 1_500;
/// Targets scored in full per question (those with the closest phrasings).
const MAX_TARGETS: usize = 160;

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
        let mut matcher = Matcher {
            corpus,
            normalizer,
            segmenter,
            typos: TypoRepair::default(),
            index: Index::default(),
            thresholds: Thresholds::default(),
            weights: Weights::default(),
        };
        let texts: Vec<EntryText> = matcher
            .corpus
            .entries
            .iter()
            .map(|e| EntryText {
                phrasings: std::iter::once(&e.question)
                    .chain(&e.alternates)
                    .map(|t| matcher.analyze_clean(t))
                    .collect(),
                sections: e
                    .sections
                    .iter()
                    .map(|s| {
                        std::iter::once(&s.title)
                            .chain(&s.alternates)
                            .map(|t| matcher.analyze_clean(t))
                            .collect()
                    })
                    .collect(),
            })
            .collect();
        matcher.index = Index::build(&texts);
        matcher.typos = TypoRepair::new(matcher.index.words.terms());
        matcher
    }

    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    pub fn entry(&self, hit: &Hit) -> &Entry {
        &self.corpus.entries[hit.entry]
    }

    pub fn section(&self, hit: &Hit) -> Option<&Section> {
        hit.section
            .map(|s| &self.corpus.entries[hit.entry].sections[s])
    }

    /// Corpus text: normalised and rewritten with synonyms, not repaired.
    fn analyze_clean(&self, text: &str) -> Analysis {
        let text = self
            .corpus
            .synonyms
            .rewrite(&self.normalizer.normalize(text));
        self.segmenter.analyze(&text)
    }

    /// A question: normalised, rewritten with synonyms, typos repaired, segmented.
    pub fn analyze(&self, question: &str) -> Analysis {
        self.analyze_normalized(&self.normalizer.normalize(question))
    }

    fn analyze_normalized(&self, text: &str) -> Analysis {
        let text = self.corpus.synonyms.rewrite(text);
        let text = self.typos.repair(&text, |w| self.segmenter.is_word(w));
        self.segmenter.analyze(&text)
    }

    /// The engine's answer to `question`.
    pub fn ask(&self, question: &str) -> Outcome {
        match self.read(question) {
            Ok(analysis) => self.decide(&self.rank_analysis(&analysis)),
            Err(decline) => Outcome::None(decline),
        }
    }

    /// A question read as far as matching: its analysis, or why it needs none.
    fn read(&self, question: &str) -> Result<Analysis, Decline> {
        let text = self.normalizer.normalize(question);
        if let Some(topic) = self.topic_of(&text) {
            return Err(Decline::OutOfScope(topic));
        }
        let analysis = self.analyze_normalized(&text);
        if analysis.is_thin() {
            return Err(Decline::NoContent);
        }
        Ok(analysis)
    }

    fn topic_of(&self, normalized: &str) -> Option<usize> {
        self.corpus
            .out_of_scope
            .topic_of(&normalized.replace(' ', ""))
    }

    /// Turns a ranking (best first, one hit per entry) into an outcome.
    pub fn decide(&self, ranked: &[Hit]) -> Outcome {
        decide(ranked, &self.thresholds)
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
        let Some(query) = self.query(analysis) else {
            return Vec::new();
        };
        // Targets come in index order, so an entry's targets are next to each other.
        let mut hits: Vec<Hit> = Vec::new();
        for (t, score) in self.score_targets(&query) {
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

    fn query(&self, a: &Analysis) -> Option<Query> {
        let w = &self.weights;
        let weigh = |vocab: &crate::index::Vocab, term: &str| -> (Option<u32>, f32) {
            match vocab.id(term) {
                Some(id) => (Some(id), vocab.idf(id)),
                None => {
                    let freq = self.segmenter.general_frequency(term) as f32;
                    let factor = (w.unknown_base - w.unknown_slope * freq.ln())
                        .clamp(w.unknown_range.0, w.unknown_range.1);
                    (None, vocab.unknown_idf() * factor)
                }
            }
        };
        let weigh_bigram = |term: &str| -> (Option<u32>, f32) {
            let vocab = &self.index.bigrams;
            match vocab.id(term) {
                Some(id) => (Some(id), vocab.idf(id)),
                None => (None, vocab.unknown_idf() * w.unknown_bigram),
            }
        };
        // A word no entry uses is replaced by the known words inside it, if any.
        let mut words: Vec<(Option<u32>, f32)> = Vec::new();
        for (word, parts) in a.words.iter().zip(&a.parts) {
            let weighed = weigh(&self.index.words, word);
            let known_parts: Vec<(Option<u32>, f32)> = match weighed.0 {
                Some(_) => Vec::new(),
                None => parts
                    .iter()
                    .map(|p| weigh(&self.index.words, p))
                    .filter(|(id, _)| id.is_some())
                    .collect(),
            };
            if known_parts.is_empty() {
                words.push(weighed);
            } else {
                words.extend(known_parts);
            }
        }
        let bigrams: Vec<(Option<u32>, f32)> = a.bigrams.iter().map(|t| weigh_bigram(t)).collect();
        if words.iter().all(|(id, _)| id.is_none()) {
            return None;
        }
        let known: f32 = words
            .iter()
            .filter(|(id, _)| id.is_some())
            .map(|(_, w)| w)
            .sum();
        let unknown: f32 = words
            .iter()
            .filter(|(id, _)| id.is_none())
            .map(|(_, w)| w)
            .sum();
        Some(Query {
            known_mass: known,
            word_mass: known + unknown.min(w.unknown_cap * known),
            bigram_mass: bigrams.iter().map(|(_, w)| w).sum(),
            words,
            bigrams,
            places: a.places.clone(),
            years: a.years.clone(),
        })
    }

    /// Scores every target with a phrasing that shares a term with the question.
    ///
    /// Overlaps are summed term by term over posting lists, rarest terms first. Once the
    /// postings read pass a budget, the commoner terms are no longer read in full: they
    /// are looked up in the phrasings already found, which is all they could add to.
    fn score_targets(&self, q: &Query) -> Vec<(u32, f32)> {
        let w = &self.weights;
        let n = self.index.utterances.len();
        let mut word_overlap = vec![0f32; n];
        let mut bigram_overlap = vec![0f32; n];
        let mut touched = vec![false; n];
        let mut candidates: Vec<u32> = Vec::new();

        // (is a word, id, weight), rarest first.
        let mut terms: Vec<(bool, u32, f32)> = q
            .words
            .iter()
            .filter_map(|&(id, weight)| id.map(|id| (true, id, weight)))
            .chain(
                q.bigrams
                    .iter()
                    .filter_map(|&(id, weight)| id.map(|id| (false, id, weight))),
            )
            .collect();
        let postings = |&(word, id, _): &(bool, u32, f32)| {
            if word {
                self.index.words.postings(id)
            } else {
                self.index.bigrams.postings(id)
            }
        };
        terms.sort_by_key(|t| postings(t).len());
        let mut read = 0;
        let mut looked_up = Vec::new();
        for term in &terms {
            let list = postings(term);
            if read > 0 && read + list.len() > CANDIDATE_BUDGET {
                looked_up.push(*term);
                continue;
            }
            read += list.len();
            let acc = if term.0 {
                &mut word_overlap
            } else {
                &mut bigram_overlap
            };
            for &u in list {
                acc[u as usize] += term.2;
                if !touched[u as usize] {
                    touched[u as usize] = true;
                    candidates.push(u);
                }
            }
        }
        // On a large corpus, only the phrasings that share the most with the question are
        // worth finishing.
        if candidates.len() > MAX_CANDIDATES {
            let overlap = |u: &u32| {
                w.words * word_overlap[*u as usize] + (1.0 - w.words) * bigram_overlap[*u as usize]
            };
            candidates
                .select_nth_unstable_by(MAX_CANDIDATES, |a, b| overlap(b).total_cmp(&overlap(a)));
            candidates.truncate(MAX_CANDIDATES);
        }
        candidates.sort_unstable();
        for &u in &candidates {
            let utt = &self.index.utterances[u as usize];
            for &(word, id, weight) in &looked_up {
                let ids = if word { &utt.words } else { &utt.bigrams };
                if ids.binary_search(&id).is_ok() {
                    let acc = if word {
                        &mut word_overlap
                    } else {
                        &mut bigram_overlap
                    };
                    acc[u as usize] += weight;
                }
            }
        }

        let mut best_phrasing: Vec<(u32, f32)> = Vec::new();
        for &u in &candidates {
            let utt = &self.index.utterances[u as usize];
            let (mw, mb) = (word_overlap[u as usize], bigram_overlap[u as usize]);
            let recall =
                w.words * ratio(mw, q.word_mass) + (1.0 - w.words) * ratio(mb, q.bigram_mass);
            let precision =
                w.words * ratio(mw, utt.word_mass) + (1.0 - w.words) * ratio(mb, utt.bigram_mass);
            let f = f_beta(precision, recall, w.beta);
            match best_phrasing.last_mut() {
                Some((t, s)) if *t == utt.target => *s = s.max(f),
                _ => best_phrasing.push((utt.target, f)),
            }
        }
        if best_phrasing.len() > MAX_TARGETS {
            best_phrasing.select_nth_unstable_by(MAX_TARGETS, |a, b| b.1.total_cmp(&a.1));
            best_phrasing.truncate(MAX_TARGETS);
            best_phrasing.sort_unstable_by_key(|&(t, _)| t);
        }
        best_phrasing
            .into_iter()
            .map(|(t, phrasing)| {
                let target = &self.index.targets[t as usize];
                let informative = if w.coverage_mass > 0.0 {
                    (q.known_mass / w.coverage_mass).min(1.0)
                } else {
                    1.0
                };
                let coverage = informative
                    * (w.words * ratio(overlap(&q.words, &target.words), q.word_mass)
                        + (1.0 - w.words)
                            * ratio(overlap(&q.bigrams, &target.bigrams), q.bigram_mass));
                let score = w.phrasing * phrasing + (1.0 - w.phrasing) * coverage;
                (t, score * self.agreement(q, target))
            })
            .collect()
    }

    /// How much names in the question and the target disagree (1 = not at all).
    fn agreement(&self, q: &Query, t: &Target) -> f32 {
        let w = &self.weights;
        let mut factor = match self.corpus.places.agreement(&q.places, &t.places) {
            PlaceAgreement::Agree => 1.0,
            PlaceAgreement::Other => w.other_place,
            PlaceAgreement::Partial => w.partial_place,
            PlaceAgreement::Extra => w.extra_place,
            PlaceAgreement::Unnamed => w.unnamed_place,
        };
        if !q.years.is_empty()
            && !t.years.is_empty()
            && !q.years.iter().any(|y| t.years.contains(y))
        {
            factor *= w.other_year;
        }
        factor
    }
}

/// Summed weight of the query terms found in a sorted id list.
fn overlap(terms: &[(Option<u32>, f32)], sorted: &[u32]) -> f32 {
    terms
        .iter()
        .filter(|(id, _)| id.is_some_and(|id| sorted.binary_search(&id).is_ok()))
        .map(|(_, w)| w)
        .sum()
}

fn ratio(part: f32, whole: f32) -> f32 {
    if whole > 0.0 {
        (part / whole).min(1.0)
    } else {
        0.0
    }
}

fn f_beta(precision: f32, recall: f32, beta: f32) -> f32 {
    let b2 = beta * beta;
    let denom = b2 * precision + recall;
    if denom > 0.0 {
        (1.0 + b2) * precision * recall / denom
    } else {
        0.0
    }
}

/// Lowest score a search (inline mode) lists: below it nothing is related.
const SEARCH_FLOOR: f32 = 0.2;
/// Lowest score of a "related question" under an answer.
const RELATED_FLOOR: f32 = 0.3;

/// Scores closer than this are a tie.
const TIE: f32 = 0.005;

/// Turns a ranking (best first, one hit per entry) into an outcome.
pub fn decide(ranked: &[Hit], t: &Thresholds) -> Outcome {
    let Some(first) = ranked.first() else {
        return Outcome::None(Decline::NotCovered { best: None });
    };
    let second = ranked.get(1).map_or(0.0, |h| h.score);
    let lead = first.score - second;
    // Two entries that score the same are a coin toss, however high: never answer one.
    if first.score >= t.answer && (lead >= t.margin || (first.score >= t.sure && lead >= TIE)) {
        return Outcome::Answer(*first);
    }
    if first.score >= t.suggest {
        return Outcome::Suggest(
            ranked
                .iter()
                .take_while(|h| h.score >= t.suggest)
                .take(3)
                .copied()
                .collect(),
        );
    }
    Outcome::None(Decline::NotCovered { best: Some(*first) })
}
