//! Scoring every target that shares a term with a question, in named steps:
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

use super::index::{Index, Target, Term, TermKind};
use super::places::{PlaceAgreement, Places};
use super::query::{Query, Weighed};
use super::tuning::Weights;

/// Postings read in full per question; past this, commoner terms are looked up only in
/// the phrasings the rarer ones found.
const CANDIDATE_BUDGET: usize = 4_000;
/// Phrasings scored in full per question (those sharing the most with it).
const MAX_CANDIDATES: usize = 1_500;
/// Targets scored in full per question (those with the closest phrasings).
const MAX_TARGETS: usize = 160;

/// Every target with a phrasing that shares a term with the question, with its score,
/// in index order.
pub fn score_targets(index: &Index, places: &Places, w: &Weights, q: &Query) -> Vec<(u32, f32)> {
    let mut acc = Accumulator::new(index.utterances.len());
    let looked_up = acc.read(index, q.known_terms());
    acc.keep_closest(w);
    acc.look_up(index, &looked_up);
    best_phrasings(index, w, q, &acc)
        .into_iter()
        .map(|(t, phrasing)| {
            let target = &index.targets[t as usize];
            (
                t,
                target_score(w, q, target, phrasing) * agreement(index, places, w, q, target),
            )
        })
        .collect()
}

/// Summed weights of the question's terms found in each phrasing (utterance), and the
/// phrasings found at all.
struct Accumulator {
    words: Vec<f32>,
    bigrams: Vec<f32>,
    touched: Vec<bool>,
    candidates: Vec<u32>,
}

impl Accumulator {
    fn new(utterances: usize) -> Accumulator {
        Accumulator {
            words: vec![0.0; utterances],
            bigrams: vec![0.0; utterances],
            touched: vec![false; utterances],
            candidates: Vec::new(),
        }
    }

    fn add(&mut self, kind: TermKind, utterance: u32, weight: f32) {
        let overlap = match kind {
            TermKind::Word => &mut self.words,
            TermKind::Bigram => &mut self.bigrams,
        };
        overlap[utterance as usize] += weight;
    }

    /// Reads posting lists, rarest first, within the budget; returns the terms left to
    /// look up in the candidates.
    fn read(&mut self, index: &Index, mut terms: Vec<Term>) -> Vec<Term> {
        terms.sort_by_key(|t| index.postings(t).len());
        let mut read = 0;
        let mut looked_up = Vec::new();
        for term in terms {
            let list = index.postings(&term);
            if read > 0 && read + list.len() > CANDIDATE_BUDGET {
                looked_up.push(term);
                continue;
            }
            read += list.len();
            for &u in list {
                self.add(term.kind, u, term.weight);
                if !self.touched[u as usize] {
                    self.touched[u as usize] = true;
                    self.candidates.push(u);
                }
            }
        }
        looked_up
    }

    /// On a large corpus, only the phrasings that share the most with the question are
    /// worth finishing. Leaves the candidates in index order.
    fn keep_closest(&mut self, w: &Weights) {
        if self.candidates.len() > MAX_CANDIDATES {
            let overlap = |u: &u32| {
                w.words * self.words[*u as usize] + (1.0 - w.words) * self.bigrams[*u as usize]
            };
            let mut candidates = std::mem::take(&mut self.candidates);
            candidates
                .select_nth_unstable_by(MAX_CANDIDATES, |a, b| overlap(b).total_cmp(&overlap(a)));
            candidates.truncate(MAX_CANDIDATES);
            self.candidates = candidates;
        }
        self.candidates.sort_unstable();
    }

    /// Adds the terms that were not read in full, where the candidates have them.
    fn look_up(&mut self, index: &Index, terms: &[Term]) {
        for i in 0..self.candidates.len() {
            let u = self.candidates[i];
            let utterance = &index.utterances[u as usize];
            for term in terms {
                if utterance.terms(term.kind).binary_search(&term.id).is_ok() {
                    self.add(term.kind, u, term.weight);
                }
            }
        }
    }
}

/// Each candidate target with the F-measure of its closest phrasing, in index order.
fn best_phrasings(index: &Index, w: &Weights, q: &Query, acc: &Accumulator) -> Vec<(u32, f32)> {
    let mut best: Vec<(u32, f32)> = Vec::new();
    for &u in &acc.candidates {
        let utt = &index.utterances[u as usize];
        let (mw, mb) = (acc.words[u as usize], acc.bigrams[u as usize]);
        let recall = w.words * ratio(mw, q.word_mass) + (1.0 - w.words) * ratio(mb, q.bigram_mass);
        let precision =
            w.words * ratio(mw, utt.word_mass) + (1.0 - w.words) * ratio(mb, utt.bigram_mass);
        let f = f_beta(precision, recall, if q.long { w.long_beta } else { w.beta });
        // Candidates are in index order, so a target's phrasings are next to each other.
        match best.last_mut() {
            Some((t, s)) if *t == utt.target => *s = s.max(f),
            _ => best.push((utt.target, f)),
        }
    }
    if best.len() > MAX_TARGETS {
        best.select_nth_unstable_by(MAX_TARGETS, |a, b| b.1.total_cmp(&a.1));
        best.truncate(MAX_TARGETS);
        best.sort_unstable_by_key(|&(t, _)| t);
    }
    best
}

/// The closest phrasing's score blended with how much of the question the target's
/// vocabulary explains (less for a question whose known words say little).
fn target_score(w: &Weights, q: &Query, target: &Target, phrasing: f32) -> f32 {
    let informative = if w.coverage_mass > 0.0 {
        (q.known_mass / w.coverage_mass).min(1.0)
    } else {
        1.0
    };
    let coverage = informative
        * (w.words * ratio(overlap(&q.words, &target.words), q.word_mass)
            + (1.0 - w.words) * ratio(overlap(&q.bigrams, &target.bigrams), q.bigram_mass));
    w.phrasing * phrasing + (1.0 - w.phrasing) * coverage
}

/// How much names in the question and the target disagree (1 = not at all): places and
/// their roles, years, the subjects the question asks about, and negations.
fn agreement(index: &Index, places: &Places, w: &Weights, q: &Query, t: &Target) -> f32 {
    let mut factor = match places.agreement(&q.places, &t.places, t.open) {
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
    // A negation (没备案) the target never speaks of.
    if q.negated
        .iter()
        .any(|id| t.words.binary_search(id).is_err())
    {
        factor *= w.other_negation;
    }
    // ...and one whose title negates what the question does not (没备案去省外看病… for
    // 去省外看病…).
    let unasked = t
        .title
        .iter()
        .any(|&id| index.negated[id as usize] && q.negated.binary_search(&id).is_err());
    if unasked {
        factor *= w.other_negation;
    }
    factor
}

/// Whether the question asks about something in place of one of the target's subjects:
/// a word the target never uses, of the same kind as a subject its title names and the
/// question does not (职工医保 for 居民医保, 住院费 for 检查费, 种植牙 for 拔牙). Words of
/// one kind end alike (Chinese compounds name their kind last); one that contains the
/// other is the same subject (省 and 省级医保).
fn swapped_subject(index: &Index, q: &Query, t: &Target) -> bool {
    let theirs: Vec<&str> = t
        .title
        .iter()
        .filter(|&&id| index.subjects[id as usize] && q.all_words.binary_search(&id).is_err())
        .map(|&id| index.words.term(id))
        .collect();
    if theirs.is_empty() {
        return false;
    }
    q.asked
        .iter()
        .filter(|a| a.id.is_none_or(|id| t.words.binary_search(&id).is_err()))
        .any(|a| theirs.iter().any(|theirs| same_kind(&a.word, theirs)))
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

fn f_beta(precision: f32, recall: f32, beta: f32) -> f32 {
    let b2 = beta * beta;
    let denom = b2 * precision + recall;
    if denom > 0.0 {
        (1.0 + b2) * precision * recall / denom
    } else {
        0.0
    }
}
