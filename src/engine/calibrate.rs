//! Labelled questions and what they say about the engine: answer-quality metrics, and the
//! threshold search that calibrates [`Thresholds`] instead of guessing them.
//!
//! A labelled set is a TSV of `expected<TAB>question`; `expected` names the entries that
//! may answer (ids or canonical questions, separated by `|`) or is `OOS` when the question
//! must be declined. Lines starting with `#` are comments.

use super::corpus::Corpus;
use super::datafile::{LineError, content_lines};
use super::decide::{Hit, Outcome, Ranking, decide};
use super::matcher::Matcher;
use super::normalize::fold;
use super::tuning::{
    ANSWER_RANGE, KEYWORD_ANSWER_FROM, KEYWORD_MARGIN_RANGE, KEYWORD_SUGGEST_FROM, MARGIN_RANGE,
    MAX_SUGGESTIONS, OBJECTIVE, STORY_ANSWER_FROM, STORY_MARGIN_RANGE, SUGGEST_FROM, SURE_STEP,
    Thresholds, UNPROMPTED_MIN_SCORE, WEIGHT_GRID, Weights,
};

/// One labelled question. `expected` is `None` for an out-of-scope question.
#[derive(Debug, Clone)]
pub struct Labelled {
    pub expected: Option<Vec<usize>>,
    pub question: String,
    /// Which set it comes from: calibration weighs every set alike, whatever its size.
    pub set: usize,
}

/// Parses a labelled TSV against `corpus`; an unknown entry is an error with its line.
pub fn parse(text: &str, corpus: &Corpus) -> Result<Vec<Labelled>, LineError> {
    let mut out = Vec::new();
    for (n, line) in content_lines(text) {
        let (expected, question) = line
            .split_once('\t')
            .ok_or_else(|| LineError::new(n, "expected `expected<TAB>question`"))?;
        let expected = if expected == "OOS" {
            None
        } else {
            // Any of the names counts; a name no entry has (a title merged into another
            // entry, say) is skipped, but one of them must be found.
            let ids: Vec<usize> = expected
                .split('|')
                .filter_map(|name| {
                    let key = fold(name);
                    corpus
                        .entries
                        .iter()
                        .position(|e| e.id == name || fold(&e.question) == key)
                })
                .collect();
            if ids.is_empty() {
                return Err(LineError::new(n, format!("no entry \"{expected}\"")));
            }
            Some(ids)
        };
        out.push(Labelled {
            expected,
            question: question.to_string(),
            set: 0,
        });
    }
    Ok(out)
}

/// Answer quality on a labelled set, as `../shared/eval/score.py` counts it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Metrics {
    pub in_scope: usize,
    pub out_of_scope: usize,
    /// Answered with a right entry.
    pub top1: usize,
    /// A right entry among the answer and suggestions.
    pub top3: usize,
    /// Answered with a wrong entry.
    pub wrong: usize,
    /// Out-of-scope questions declined.
    pub rejected: usize,
    /// Out-of-scope questions answered as if they were in scope.
    pub oos_answered: usize,
}

impl Metrics {
    pub fn top1_rate(&self) -> f64 {
        rate(self.top1, self.in_scope)
    }
    pub fn top3_rate(&self) -> f64 {
        rate(self.top3, self.in_scope)
    }
    pub fn wrong_rate(&self) -> f64 {
        rate(self.wrong, self.in_scope)
    }
    pub fn reject_rate(&self) -> f64 {
        rate(self.rejected, self.out_of_scope)
    }

    pub fn oos_answered_rate(&self) -> f64 {
        rate(self.oos_answered, self.out_of_scope)
    }

    /// What the threshold search maximises: right answers and declined out-of-scope
    /// questions, less the costs in [`OBJECTIVE`].
    pub fn objective(&self) -> f64 {
        let o = OBJECTIVE;
        let oos_suggested = 1.0 - self.reject_rate() - self.oos_answered_rate();
        self.top1_rate() + self.reject_rate()
            - o.wrong * self.wrong_rate()
            - o.oos_answered * self.oos_answered_rate()
            + o.suggested_right * (self.top3_rate() - self.top1_rate())
            - o.oos_suggested * oos_suggested
    }

    fn count(&mut self, expected: &Option<Vec<usize>>, outcome: &Outcome) {
        let right = |h: &Hit| expected.as_ref().is_some_and(|ids| ids.contains(&h.entry));
        match expected {
            None => {
                self.out_of_scope += 1;
                match outcome {
                    Outcome::None(_) => self.rejected += 1,
                    Outcome::Answer(_) => self.oos_answered += 1,
                    Outcome::Suggest(_) | Outcome::Topic { .. } => {}
                }
            }
            Some(_) => {
                self.in_scope += 1;
                match outcome {
                    Outcome::Answer(h) if right(h) => {
                        self.top1 += 1;
                        self.top3 += 1;
                    }
                    Outcome::Answer(_) => self.wrong += 1,
                    Outcome::Suggest(hits) if hits.iter().any(right) => self.top3 += 1,
                    // As `ask --json` lists them: the first few are what a person sees.
                    Outcome::Topic { entries, .. }
                        if entries.iter().take(MAX_SUGGESTIONS).any(right) =>
                    {
                        self.top3 += 1
                    }
                    _ => {}
                }
            }
        }
    }
}

impl std::fmt::Display for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "questions: {} in scope, {} out of scope; top1={:.3} top3={:.3} wrong={:.3} oos_reject={:.3}",
            self.in_scope,
            self.out_of_scope,
            self.top1_rate(),
            self.top3_rate(),
            self.wrong_rate(),
            self.reject_rate()
        )
    }
}

fn rate(n: usize, of: usize) -> f64 {
    if of == 0 { 1.0 } else { n as f64 / of as f64 }
}

/// The unprompted-answer threshold against a labelled set (see [`Ranked::unprompted`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unprompted {
    pub threshold: f32,
    /// The best score of the highest-scoring out-of-scope question, if any was ranked.
    pub highest_oos: Option<f32>,
    /// Share of in-scope questions answered right with at least `threshold`.
    pub in_scope_reaching: f64,
}

impl std::fmt::Display for Unprompted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unprompted answers need {:.2}: ", self.threshold)?;
        match self.highest_oos {
            Some(s) => write!(f, "highest out-of-scope score {s:.3}")?,
            None => write!(f, "no out-of-scope question was ranked")?,
        }
        write!(
            f,
            "; in-scope questions answered right at or above it: {:.3}",
            self.in_scope_reaching
        )
    }
}

/// The rankings of a labelled set, computed once so thresholds can be tried cheaply.
pub struct Ranked {
    rows: Vec<(Option<Vec<usize>>, Ranking)>,
    /// The set of each row.
    sets: Vec<usize>,
}

impl Ranked {
    pub fn new(matcher: &Matcher, set: &[Labelled]) -> Ranked {
        Ranked {
            rows: set
                .iter()
                .map(|l| {
                    let mut ranking = matcher.rank(&l.question);
                    // All that `decide` reads: the suggestions and the one after them.
                    ranking.hits.truncate(MAX_SUGGESTIONS + 1);
                    (l.expected.clone(), ranking)
                })
                .collect(),
            sets: set.iter().map(|l| l.set).collect(),
        }
    }

    /// One line per question the matcher's thresholds get wrong (WRONG, OOS) or only
    /// suggest (MISS), with what it did instead.
    pub fn errors(&self, matcher: &Matcher, set: &[Labelled]) -> Vec<String> {
        let name = |h: &Hit| format!("{}={:.2}", matcher.corpus().entries[h.entry].id, h.score);
        let mut out = Vec::new();
        for ((expected, ranking), l) in self.rows.iter().zip(set) {
            let outcome = decide(ranking, &matcher.thresholds);
            let right = |h: &Hit| expected.as_ref().is_some_and(|ids| ids.contains(&h.entry));
            let kind = match (&outcome, expected) {
                (Outcome::None(_), None) => continue,
                (_, None) => "OOS",
                (Outcome::Answer(h), Some(_)) if right(h) => continue,
                (Outcome::Answer(_), Some(_)) => "WRONG",
                _ => "MISS",
            };
            let want = match expected {
                Some(ids) => ids
                    .iter()
                    .map(|&i| matcher.corpus().entries[i].id.as_str())
                    .collect::<Vec<_>>()
                    .join("|"),
                None => "OOS".into(),
            };
            let got: Vec<String> = ranking.hits.iter().take(3).map(name).collect();
            let status = match outcome {
                Outcome::Answer(_) => "answer",
                Outcome::Suggest(_) => "suggest",
                Outcome::Topic { .. } => "topic",
                Outcome::None(_) => "none",
            };
            out.push(format!(
                "{kind}\t{}\twant {want}\t{status}: {}",
                l.question,
                got.join(" ")
            ));
        }
        out
    }

    /// How the score needed to answer unprompted (group auto-answer) compares with this
    /// set: the highest score an out-of-scope question reached, and the share of in-scope
    /// questions answered right at or above the shipped threshold.
    pub fn unprompted(&self, t: &Thresholds) -> Unprompted {
        let mut highest_oos: Option<f32> = None;
        let (mut in_scope, mut reaching) = (0, 0);
        for (expected, ranking) in &self.rows {
            match expected {
                None => {
                    if let Some(best) = ranking.hits.first() {
                        highest_oos = Some(highest_oos.map_or(best.score, |h| h.max(best.score)));
                    }
                }
                Some(ids) => {
                    in_scope += 1;
                    if let Outcome::Answer(h) = decide(ranking, t)
                        && ids.contains(&h.entry)
                        && h.score >= UNPROMPTED_MIN_SCORE
                    {
                        reaching += 1;
                    }
                }
            }
        }
        Unprompted {
            threshold: UNPROMPTED_MIN_SCORE,
            highest_oos,
            in_scope_reaching: rate(reaching, in_scope),
        }
    }

    /// The mean of every set's [`Metrics::objective`] under `t`: a large set does not
    /// outweigh a small one (chat-style and FAQ-style questions count alike).
    pub fn objective(&self, t: &Thresholds) -> f64 {
        let n = self.sets.iter().max().map_or(0, |&s| s + 1);
        let mut per_set = vec![Metrics::default(); n];
        for ((expected, ranking), &set) in self.rows.iter().zip(&self.sets) {
            per_set[set].count(expected, &decide(ranking, t));
        }
        let counted: Vec<&Metrics> = per_set
            .iter()
            .filter(|m| m.in_scope + m.out_of_scope > 0)
            .collect();
        counted.iter().map(|m| m.objective()).sum::<f64>() / counted.len().max(1) as f64
    }

    pub fn metrics(&self, t: &Thresholds) -> Metrics {
        let mut m = Metrics::default();
        for (expected, ranking) in &self.rows {
            m.count(expected, &decide(ranking, t));
        }
        m
    }

    /// The thresholds with the best [`Ranked::objective`], searched on a grid of 0.01
    /// steps; a setting must do strictly better to replace the one before it (the
    /// built-in thresholds first), so ties keep the earlier. Returns the objective too.
    /// The common grid is measured with the story and keyword rules off, against the
    /// built-in thresholds with them on: a conservative search, which keeps the built-in
    /// common thresholds unless a setting beats their rules' gains without them.
    pub fn best_thresholds(&self) -> (Thresholds, f64) {
        let steps = |from: f32, to: f32| {
            let (a, b) = ((from * 100.0).round() as i32, (to * 100.0).round() as i32);
            (a..=b).map(|i| i as f32 / 100.0)
        };
        let mut best = (
            Thresholds::default(),
            self.objective(&Thresholds::default()),
        );
        let consider = |best: &mut (Thresholds, f64), candidate: Thresholds| {
            let o = self.objective(&candidate);
            if o > best.1 + 1e-9 {
                *best = (candidate, o);
            }
        };
        for answer in steps(ANSWER_RANGE.0, ANSWER_RANGE.1) {
            for margin in steps(MARGIN_RANGE.0, MARGIN_RANGE.1) {
                for sure in steps(answer, 1.0).step_by(SURE_STEP) {
                    consider(&mut best, Thresholds::plain(answer, margin, sure, answer));
                }
            }
        }
        // The suggestion floor only moves suggestions and declines: choose it after.
        let t = best.0;
        for suggest in steps(SUGGEST_FROM, t.answer) {
            consider(
                &mut best,
                Thresholds::plain(t.answer, t.margin, t.sure, suggest),
            );
        }
        // A message that tells a story may answer from lower, with a clear lead...
        let t = best.0;
        for story_answer in steps(STORY_ANSWER_FROM, t.answer) {
            for story_margin in steps(STORY_MARGIN_RANGE.0, STORY_MARGIN_RANGE.1) {
                consider(
                    &mut best,
                    Thresholds {
                        story_answer,
                        story_margin,
                        story_suggest: t.suggest,
                        ..t
                    },
                );
            }
        }
        // ...and have its near misses suggested from lower.
        let t = best.0;
        for story_suggest in steps(t.story_answer.min(t.suggest), t.suggest) {
            consider(&mut best, Thresholds { story_suggest, ..t });
        }
        // Keywords only: answered from lower with a clear lead; a setting must do strictly
        // better than the incumbent, and the grid runs from the highest floor and lead
        // down, so that of settings that do equally well the first met (the highest
        // floor, and at it the longest lead) is kept...
        let t = best.0;
        for keyword_answer in steps(KEYWORD_ANSWER_FROM, t.answer).rev() {
            for keyword_margin in steps(KEYWORD_MARGIN_RANGE.0, KEYWORD_MARGIN_RANGE.1).rev() {
                consider(
                    &mut best,
                    Thresholds {
                        keyword_answer,
                        keyword_margin,
                        ..t
                    },
                );
            }
        }
        // ...and their near misses suggested from lower; searched downwards, so
        // that of floors that do equally well the highest (suggesting least) is kept.
        let t = best.0;
        for keyword_suggest in steps(KEYWORD_SUGGEST_FROM, t.suggest).rev() {
            consider(
                &mut best,
                Thresholds {
                    keyword_suggest,
                    ..t
                },
            );
        }
        best
    }
}

/// Sets the weight called `name` (as the search names it); false if there is none.
pub fn set_weight(weights: &mut Weights, name: &str, value: f32) -> bool {
    match WEIGHT_GRID.iter().find(|k| k.name == name) {
        Some(knob) => {
            (knob.set)(weights, value);
            true
        }
        None => false,
    }
}

/// Coordinate search over the score's [`Weights`] (the grid in `tuning`) on `tune`, each setting judged with its
/// own best thresholds. Returns the weights and a log of the steps taken, each with the
/// metrics on `tune` and on `check` (questions the search never sees), so over-fitting
/// shows.
pub fn tune_weights(
    matcher: &mut Matcher,
    tune: &[Labelled],
    check: &[Labelled],
) -> (Weights, Vec<String>) {
    let judge = |m: &Matcher, set: &[Labelled]| Ranked::new(m, set).best_thresholds();
    let mut log = Vec::new();
    let mut best = judge(matcher, tune).1;
    for round in 0..3 {
        let mut improved = false;
        for knob in WEIGHT_GRID {
            let start = (knob.get)(&matcher.weights);
            let mut chosen = start;
            for &v in knob.values {
                (knob.set)(&mut matcher.weights, v);
                let objective = judge(matcher, tune).1;
                if objective > best + 1e-9 {
                    best = objective;
                    chosen = v;
                }
            }
            (knob.set)(&mut matcher.weights, chosen);
            if chosen != start {
                improved = true;
                let (t, on_check) = judge(matcher, check);
                let tuned = judge(matcher, tune).0;
                let on_check_fixed = Ranked::new(matcher, check).metrics(&tuned);
                log.push(format!(
                    "round {round}: {} {start} -> {chosen}: tune objective {best:.3}; check with tune's thresholds {on_check_fixed} (own best {:?}: objective {:.3})",
                    knob.name,
                    t, on_check
                ));
            }
        }
        if !improved {
            break;
        }
    }
    (matcher.weights, log)
}
