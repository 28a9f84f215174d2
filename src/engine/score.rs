//! Scoring every target that shares a term with a question, in named steps. On a corpus
//! of up to [`READ_IN_FULL`] phrasings ([`Reading::Full`]), every posting list is read
//! ([`Accumulator::read_all`]) and every phrasing found measured in one pass
//! ([`Accumulator::best_of_all`]), then step 5 below. On a larger one
//! ([`Reading::Budgeted`]):
//!
//! 1. [`Accumulator::read`]: overlaps are summed term by term over posting lists, rarest
//!    terms first. Once the postings read pass a budget, the commoner terms are no longer
//!    read in full...
//! 2. [`Accumulator::keep_closest`]: ...only the phrasings that share the most with the
//!    question are kept...
//! 3. [`Accumulator::look_up`]: ...and the commoner terms are looked up in them, which is
//!    all they could add to.
//! 4. [`best_phrasings`]: each target's closest phrasing (F-measure of recall and
//!    precision over words and bigrams).
//! 5. [`target_score`]: blended with how much of the question the target's whole
//!    vocabulary explains, and multiplied by how well places and years agree.

use std::cell::RefCell;

use super::index::{Index, Target, Term, TermKind};
use super::places::{PlaceAgreement, Places};
use super::query::{Query, Weighed};
use super::tuning::Weights;

/// A corpus of up to this many phrasings has every posting list read in full and every
/// phrasing that shares a term with the question scored: cheaper than picking candidates
/// on ours (3,133 phrasings); an estimate of where that stops holding, not measured (the
/// 10,000-entry benchmark corpus has about 90,000 phrasings and reads within a budget).
const READ_IN_FULL: usize = 16_384;
/// Postings read in full per question (on a larger corpus); past this, commoner terms are
/// looked up only in the phrasings the rarer ones found.
const CANDIDATE_BUDGET: usize = 4_000;
/// Phrasings scored in full per question (those sharing the most with it).
pub const MAX_CANDIDATES: usize = 1_500;
/// Targets scored in full per question (those with the closest phrasings).
const MAX_TARGETS: usize = 160;

/// A binary search in a short sorted list costs about this many steps of a linear walk:
/// the scorer walks posting lists instead of searching when that reads less.
const SEARCH_STEPS: usize = 4;

thread_local! {
    /// Each thread's scratch, reused by every question it scores: the per-phrasing and
    /// per-target sums would otherwise be allocated (and zeroed) for every reading.
    static SCRATCH: RefCell<Accumulator> = RefCell::new(Accumulator::default());
}

/// How a question's posting lists are read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Reading {
    /// Every list in full, and every phrasing found scored: a corpus of up to
    /// [`READ_IN_FULL`] phrasings.
    Full,
    /// Rarest first within [`CANDIDATE_BUDGET`], the commoner terms looked up in the
    /// closest [`MAX_CANDIDATES`] phrasings only: a larger corpus.
    Budgeted,
}

impl Reading {
    pub fn for_index(index: &Index) -> Reading {
        if index.utterances.len() <= READ_IN_FULL {
            Reading::Full
        } else {
            Reading::Budgeted
        }
    }
}

/// Every target with a phrasing that shares a term with the question, with its score,
/// in index order.
pub fn score_targets(index: &Index, places: &Places, w: &Weights, q: &Query) -> Vec<(u32, f32)> {
    score_with(index, places, w, q, Reading::for_index(index))
}

/// [`score_targets`], reading the posting lists as `reading` says.
pub fn score_with(
    index: &Index,
    places: &Places,
    w: &Weights,
    q: &Query,
    reading: Reading,
) -> Vec<(u32, f32)> {
    SCRATCH.with(|acc| {
        let mut acc = acc.borrow_mut();
        acc.prepare(index);
        match reading {
            Reading::Full => {
                acc.read_all(index, q);
                acc.best_of_all(index, w, q);
            }
            Reading::Budgeted => {
                acc.read(index, q);
                acc.keep_closest(index, w);
                acc.look_up(index);
                acc.best_phrasings(index, w, q);
            }
        }
        acc.cover(index, q);
        let scores = acc
            .best
            .iter()
            .zip(&acc.covered)
            .map(|(&(t, phrasing), &(words, bigrams))| {
                let target = &index.targets[t as usize];
                let score = target_score(w, q, words, bigrams, phrasing);
                (t, score * agreement(index, places, w, q, target))
            })
            .collect();
        acc.clear();
        scores
    })
}

/// A phrasing's state while a question is scored.
const FOUND: u8 = 1;
/// Found and among the closest: it is scored in full.
const KEPT: u8 = 2;

/// Summed weights of the question's terms found in each phrasing (utterance), the
/// phrasings found at all, and the scratch of the steps after. Every per-phrasing and
/// per-target array is all zeros between questions: only what a question touched is
/// reset after it.
#[derive(Default)]
struct Accumulator {
    words: Vec<f32>,
    bigrams: Vec<f32>,
    /// Per phrasing: 0, [`FOUND`] or [`KEPT`].
    state: Vec<u8>,
    /// The phrasings found, in the order first found.
    found: Vec<u32>,
    /// The phrasings scored in full, in index order.
    candidates: Vec<u32>,
    /// The phrasings found with their overlaps, while the closest are picked out.
    closest: Vec<(f32, u32)>,
    /// The question's known terms, and those left to look up in the candidates.
    terms: Vec<Term>,
    looked_up: Vec<Term>,
    /// Each candidate target with the F-measure of its closest phrasing, in index order.
    best: Vec<(u32, f32)>,
    /// Per phrasing, its F-measure (-1 for one not found), when every phrasing is scored.
    measures: Vec<f32>,
    /// Per target: summed weights of the question's words and bigrams that its
    /// vocabulary holds, while they are summed term by term.
    cover_words: Vec<f32>,
    cover_bigrams: Vec<f32>,
    /// For each of `best`: those sums.
    covered: Vec<(f32, f32)>,
    /// A question's scoring did not finish (it panicked): the arrays may not be zeros.
    dirty: bool,
}

impl Accumulator {
    /// Room for every phrasing and target of `index`, all zeros.
    fn prepare(&mut self, index: &Index) {
        if self.dirty {
            self.words.fill(0.0);
            self.bigrams.fill(0.0);
            self.state.fill(0);
            self.cover_words.fill(0.0);
            self.cover_bigrams.fill(0.0);
        }
        let (utterances, targets) = (index.utterances.len(), index.targets.len());
        if self.words.len() < utterances {
            self.words.resize(utterances, 0.0);
            self.bigrams.resize(utterances, 0.0);
            self.state.resize(utterances, 0);
        }
        if self.cover_words.len() < targets {
            self.cover_words.resize(targets, 0.0);
            self.cover_bigrams.resize(targets, 0.0);
        }
        for v in [&mut self.found, &mut self.candidates] {
            v.clear();
        }
        self.terms.clear();
        self.looked_up.clear();
        self.best.clear();
        self.covered.clear();
        self.dirty = true;
    }

    /// Resets what the question touched.
    fn clear(&mut self) {
        for &u in &self.found {
            self.words[u as usize] = 0.0;
            self.bigrams[u as usize] = 0.0;
            self.state[u as usize] = 0;
        }
        self.dirty = false;
    }

    fn add(&mut self, kind: TermKind, utterance: u32, weight: f32) {
        let overlap = match kind {
            TermKind::Word => &mut self.words,
            TermKind::Bigram => &mut self.bigrams,
        };
        overlap[utterance as usize] += weight;
    }

    /// Reads posting lists, rarest first, within the budget; leaves the terms to look
    /// up in the candidates in `looked_up`.
    fn read(&mut self, index: &Index, q: &Query) {
        let mut terms = std::mem::take(&mut self.terms);
        q.known_terms(&mut terms);
        terms.sort_by_key(|t| index.postings(t).len());
        let mut read = 0;
        for &term in &terms {
            let list = index.postings(&term);
            if read > 0 && read + list.len() > CANDIDATE_BUDGET {
                self.looked_up.push(term);
                continue;
            }
            read += list.len();
            for &u in list {
                self.add(term.kind, u, term.weight);
                if self.state[u as usize] == 0 {
                    self.state[u as usize] = FOUND;
                    self.found.push(u);
                }
            }
        }
        self.terms = terms;
    }

    /// Reads every posting list in full, rarest first (the order [`Self::read`] sums in).
    fn read_all(&mut self, index: &Index, q: &Query) {
        let mut terms = std::mem::take(&mut self.terms);
        q.known_terms(&mut terms);
        terms.sort_by_key(|t| index.postings(t).len());
        for term in &terms {
            let overlap = match term.kind {
                TermKind::Word => &mut self.words,
                TermKind::Bigram => &mut self.bigrams,
            };
            for &u in index.postings(term) {
                overlap[u as usize] += term.weight;
            }
        }
        self.terms = terms;
    }

    /// Each target with the F-measure of its closest phrasing, over every phrasing that
    /// shares a term with the question, in index order; leaves the sums zeroed. The
    /// measure is taken of every phrasing in one pass without branches (what a found
    /// phrasing scores is the same either way), a phrasing found by no term marked -1.
    fn best_of_all(&mut self, index: &Index, w: &Weights, q: &Query) {
        let beta = if q.long { w.long_beta } else { w.beta };
        let n = index.utterances.len();
        let (words, bigrams) = (&mut self.words[..n], &mut self.bigrams[..n]);
        let fs = &mut self.measures;
        fs.clear();
        fs.extend(
            words
                .iter()
                .zip(bigrams.iter())
                .zip(index.word_masses.iter().zip(&index.bigram_masses))
                .map(|((&mw, &mb), (&uw, &ub))| {
                    let f = measure(w, q, beta, (mw, mb), (uw, ub));
                    if mw == 0.0 && mb == 0.0 { -1.0 } else { f }
                }),
        );
        words.fill(0.0);
        bigrams.fill(0.0);
        let best = &mut self.best;
        for (t, target) in index.targets.iter().enumerate() {
            let span = &fs[target.phrasings.start as usize..target.phrasings.end as usize];
            let f = span.iter().fold(-1.0f32, |a, &b| a.max(b));
            if f >= 0.0 {
                best.push((t as u32, f));
            }
        }
        keep_best_targets(best);
    }

    /// On a large corpus, only the phrasings that share the most with the question are
    /// worth finishing. Leaves the candidates in index order.
    fn keep_closest(&mut self, index: &Index, w: &Weights) {
        if self.found.len() > MAX_CANDIDATES {
            // Each overlap computed once, beside its phrasing, for the selection to compare.
            let (words, bigrams) = (&self.words, &self.bigrams);
            let overlap =
                |u: u32| w.words * words[u as usize] + (1.0 - w.words) * bigrams[u as usize];
            let closest = &mut self.closest;
            closest.clear();
            closest.extend(self.found.iter().map(|&u| (overlap(u), u)));
            closest.select_nth_unstable_by(MAX_CANDIDATES, |a, b| b.0.total_cmp(&a.0));
            self.candidates
                .extend(closest[..MAX_CANDIDATES].iter().map(|&(_, u)| u));
        } else {
            self.candidates.extend_from_slice(&self.found);
        }
        for &u in &self.candidates {
            self.state[u as usize] = KEPT;
        }
        // Into index order: a scan of the phrasings when that reads less than a sort.
        let utterances = index.utterances.len();
        if self.candidates.len() * 16 >= utterances {
            self.candidates.clear();
            let kept = self.state[..utterances].iter().enumerate();
            self.candidates
                .extend(kept.filter(|&(_, &s)| s == KEPT).map(|(u, _)| u as u32));
        } else {
            self.candidates.sort_unstable();
        }
    }

    /// Adds the terms that were not read in full, where the candidates have them: each
    /// candidate's sums grow term by term in the same order whichever way is walked.
    fn look_up(&mut self, index: &Index) {
        let terms = std::mem::take(&mut self.looked_up);
        let walk: usize = terms.iter().map(|t| index.postings(t).len()).sum();
        if walk <= self.candidates.len() * terms.len() * SEARCH_STEPS {
            for term in &terms {
                for &u in index.postings(term) {
                    if self.state[u as usize] == KEPT {
                        self.add(term.kind, u, term.weight);
                    }
                }
            }
        } else {
            for i in 0..self.candidates.len() {
                let u = self.candidates[i];
                let utterance = &index.utterances[u as usize];
                for term in &terms {
                    if utterance.terms(term.kind).binary_search(&term.id).is_ok() {
                        self.add(term.kind, u, term.weight);
                    }
                }
            }
        }
        self.looked_up = terms;
    }

    /// Each candidate target with the F-measure of its closest phrasing, in index order.
    fn best_phrasings(&mut self, index: &Index, w: &Weights, q: &Query) {
        let best = &mut self.best;
        let beta = if q.long { w.long_beta } else { w.beta };
        for &u in &self.candidates {
            let utt = &index.utterances[u as usize];
            let overlap = (self.words[u as usize], self.bigrams[u as usize]);
            let masses = (
                index.word_masses[u as usize],
                index.bigram_masses[u as usize],
            );
            let f = measure(w, q, beta, overlap, masses);
            // Candidates are in index order, so a target's phrasings are next to each other.
            match best.last_mut() {
                Some((t, s)) if *t == utt.target => *s = s.max(f),
                _ => best.push((utt.target, f)),
            }
        }
        keep_best_targets(best);
    }

    /// For each of `best`, the summed weights of the question's words and bigrams its
    /// vocabulary holds: term by term over the terms' target lists when that reads
    /// less than searching each target's terms. Either way a target's sum grows in the
    /// question's term order, as a search would sum them.
    fn cover(&mut self, index: &Index, q: &Query) {
        self.covered.clear();
        self.covered.resize(self.best.len(), (0.0, 0.0));
        for kind in [TermKind::Word, TermKind::Bigram] {
            let (terms, sums) = match kind {
                TermKind::Word => (&q.words, &mut self.cover_words),
                TermKind::Bigram => (&q.bigrams, &mut self.cover_bigrams),
            };
            let set = |covered: &mut (f32, f32), sum: f32| match kind {
                TermKind::Word => covered.0 = sum,
                TermKind::Bigram => covered.1 = sum,
            };
            let vocab = index.vocab(kind);
            let known = || terms.iter().filter_map(|t| t.id.map(|id| (id, t.weight)));
            let walk: usize = known().map(|(id, _)| vocab.targets(id).len()).sum();
            if walk > self.best.len() * terms.len() * SEARCH_STEPS {
                for (covered, &(t, _)) in self.covered.iter_mut().zip(&self.best) {
                    let target = &index.targets[t as usize];
                    set(covered, overlap(terms, target.terms(kind)));
                }
                continue;
            }
            for (id, weight) in known() {
                for &t in vocab.targets(id) {
                    sums[t as usize] += weight;
                }
            }
            for (covered, &(t, _)) in self.covered.iter_mut().zip(&self.best) {
                // Weights are positive, so zero means no term was found; a sum of none
                // is -0.0.
                let sum = sums[t as usize];
                set(covered, if sum == 0.0 { -0.0 } else { sum });
            }
            for (id, _) in known() {
                for &t in vocab.targets(id) {
                    sums[t as usize] = 0.0;
                }
            }
        }
    }
}

/// The closest phrasing's score blended with how much of the question the target's
/// vocabulary explains (`words` and `bigrams`: the weights of the question's terms it
/// holds), less for a question whose known words say little.
fn target_score(w: &Weights, q: &Query, words: f32, bigrams: f32, phrasing: f32) -> f32 {
    let informative = if w.coverage_mass > 0.0 {
        (q.known_mass / w.coverage_mass).min(1.0)
    } else {
        1.0
    };
    let coverage = informative
        * (w.words * ratio(words, q.word_mass) + (1.0 - w.words) * ratio(bigrams, q.bigram_mass));
    w.phrasing * phrasing + (1.0 - w.phrasing) * coverage
}

/// How much names in the question and the target disagree (1 = not at all): places and
/// their roles, years, the subjects the question asks about, what it asks for, and
/// negations.
fn agreement(index: &Index, places: &Places, w: &Weights, q: &Query, t: &Target) -> f32 {
    let mut factor = match places.agreement(q.places, &t.places, t.open) {
        PlaceAgreement::Agree => 1.0,
        PlaceAgreement::Other => w.other_place,
        PlaceAgreement::Partial => w.partial_place,
        PlaceAgreement::Extra => w.extra_place,
        PlaceAgreement::Unnamed => w.unnamed_place,
    };
    if !q.years.is_empty() && !t.years.is_empty() && !q.years.iter().any(|y| t.years.contains(y)) {
        factor *= w.other_year;
    }
    // A subject the question asks about in place of the target's own: another question
    // (职工医保 for an answer about 居民医保, 白内障手术 for 胃底折叠术).
    if swapped_subject(index, q, t) {
        factor *= w.other_subject;
    }
    // The question asks for one thing and the target's title for another: 在哪买 is not
    // 何时结束, 能领吗 with 多少 is 多少, but 多少 is not 何时.
    if q.asks != 0 && t.asks != 0 && q.asks & t.asks == 0 {
        factor *= w.other_ask;
    }
    // A negation (没备案) the target never speaks of, and one whose title negates what
    // the question does not (没备案去省外看病… for 去省外看病…); skipped while a negation
    // costs nothing (a factor of 1).
    if w.other_negation != 1.0 {
        if q.negated
            .iter()
            .any(|id| t.words.binary_search(id).is_err())
        {
            factor *= w.other_negation;
        }
        let unasked = t
            .title
            .iter()
            .any(|&id| index.negated[id as usize] && q.negated.binary_search(&id).is_err());
        if unasked {
            factor *= w.other_negation;
        }
    }
    factor
}

/// Whether the question asks about something in place of one of the target's subjects:
/// a word the target never uses, of the same kind as a subject its title names and the
/// question does not (职工医保 for 居民医保, 住院费 for 检查费, 种植牙 for 拔牙). Words of
/// one kind end alike (Chinese compounds name their kind last); one that contains the
/// other is the same subject (省 and 省级医保).
fn swapped_subject(index: &Index, q: &Query, t: &Target) -> bool {
    // Cheapest test first: most pairs differ in their last character.
    t.subjects.iter().any(|&(id, last)| {
        q.asked.iter().filter(|a| a.last == last).any(|a| {
            a.id.is_none_or(|id| t.words.binary_search(&id).is_err())
                && same_kind(a.word, index.words.term(id))
        }) && q.all_words.binary_search(&id).is_err()
    })
}

/// Two different subjects of one kind: alike in their last character, neither inside
/// the other.
fn same_kind(a: &str, b: &str) -> bool {
    a.chars().last() == b.chars().last() && !a.contains(b) && !b.contains(a)
}

/// Summed weight of the query terms found in a sorted id list.
fn overlap(terms: &[Weighed], sorted: &[u32]) -> f32 {
    terms
        .iter()
        .filter(|t| t.id.is_some_and(|id| sorted.binary_search(&id).is_ok()))
        .map(|t| t.weight)
        .sum()
}

fn ratio(part: f32, whole: f32) -> f32 {
    if whole > 0.0 {
        (part / whole).min(1.0)
    } else {
        0.0
    }
}

/// A phrasing's F-measure against the question: `overlap` is the weight of the question's
/// words and bigrams it holds, `masses` its own words' and bigrams' weight.
fn measure(w: &Weights, q: &Query, beta: f32, overlap: (f32, f32), masses: (f32, f32)) -> f32 {
    let ((mw, mb), (uw, ub)) = (overlap, masses);
    let recall = w.words * ratio(mw, q.word_mass) + (1.0 - w.words) * ratio(mb, q.bigram_mass);
    let precision = w.words * ratio(mw, uw) + (1.0 - w.words) * ratio(mb, ub);
    f_beta(precision, recall, beta)
}

/// Keeps the [`MAX_TARGETS`] targets of `best` with the closest phrasings, in index order.
fn keep_best_targets(best: &mut Vec<(u32, f32)>) {
    if best.len() > MAX_TARGETS {
        best.select_nth_unstable_by(MAX_TARGETS, |a, b| b.1.total_cmp(&a.1));
        best.truncate(MAX_TARGETS);
        best.sort_unstable_by_key(|&(t, _)| t);
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
