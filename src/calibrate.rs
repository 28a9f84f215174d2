//! Labelled questions and what they say about the engine: answer-quality metrics, and the
//! threshold search that calibrates [`Thresholds`] instead of guessing them.
//!
//! A labelled set is a TSV of `expected<TAB>question`; `expected` names the entries that
//! may answer (ids or canonical questions, separated by `|`) or is `OOS` when the question
//! must be declined. Lines starting with `#` are comments.

use crate::corpus::Corpus;
use crate::matcher::{Hit, Matcher, Outcome, Thresholds, decide};
use crate::normalize::fold;

/// One labelled question. `expected` is `None` for an out-of-scope question.
#[derive(Debug, Clone)]
pub struct Labelled {
    pub expected: Option<Vec<usize>>,
    pub question: String,
}

/// Parses a labelled TSV against `corpus`; an unknown entry is an error with its line.
pub fn parse(text: &str, corpus: &Corpus) -> Result<Vec<Labelled>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (expected, question) = line
            .split_once('\t')
            .ok_or_else(|| format!("line {}: expected `expected<TAB>question`", i + 1))?;
        let expected = if expected == "OOS" {
            None
        } else {
            let mut ids = Vec::new();
            for name in expected.split('|') {
                let key = fold(name);
                let found = corpus
                    .entries
                    .iter()
                    .position(|e| e.id == name || fold(&e.question) == key)
                    .ok_or_else(|| format!("line {}: no entry \"{name}\"", i + 1))?;
                ids.push(found);
            }
            Some(ids)
        };
        out.push(Labelled {
            expected,
            question: question.to_string(),
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

    /// What the threshold search maximises: a wrong answer costs five right ones.
    pub fn objective(&self) -> f64 {
        self.top1_rate() + self.reject_rate() - 5.0 * self.wrong_rate() + 0.1 * self.top3_rate()
    }

    fn count(&mut self, expected: &Option<Vec<usize>>, outcome: &Outcome) {
        let right = |h: &Hit| expected.as_ref().is_some_and(|ids| ids.contains(&h.entry));
        match expected {
            None => {
                self.out_of_scope += 1;
                if *outcome == Outcome::None {
                    self.rejected += 1;
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

/// The rankings of a labelled set, computed once so thresholds can be tried cheaply.
pub struct Ranked {
    rows: Vec<(Option<Vec<usize>>, Vec<Hit>)>,
}

impl Ranked {
    pub fn new(matcher: &Matcher, set: &[Labelled]) -> Ranked {
        Ranked {
            rows: set
                .iter()
                .map(|l| {
                    let mut hits = matcher.rank(&l.question);
                    hits.truncate(4);
                    (l.expected.clone(), hits)
                })
                .collect(),
        }
    }

    /// One line per question the matcher's thresholds get wrong (WRONG, OOS) or only
    /// suggest (MISS), with what it did instead.
    pub fn errors(&self, matcher: &Matcher, set: &[Labelled]) -> Vec<String> {
        let name = |h: &Hit| format!("{}={:.2}", matcher.entry(h).id, h.score);
        let mut out = Vec::new();
        for ((expected, hits), l) in self.rows.iter().zip(set) {
            let outcome = decide(hits, &matcher.thresholds);
            let right = |h: &Hit| expected.as_ref().is_some_and(|ids| ids.contains(&h.entry));
            let kind = match (&outcome, expected) {
                (Outcome::None, None) => continue,
                (_, None) => "OOS",
                (Outcome::Answer(h), Some(_)) if right(h) => continue,
                (Outcome::Answer(_), Some(_)) => "WRONG",
                _ => "MISS",
            };
            let want = match expected {
                Some(ids) => ids.iter().map(|&i| matcher.corpus().entries[i].id.as_str()).collect::<Vec<_>>().join("|"),
                None => "OOS".into(),
            };
            let got: Vec<String> = hits.iter().take(3).map(name).collect();
            let status = match outcome {
                Outcome::Answer(_) => "answer",
                Outcome::Suggest(_) => "suggest",
                Outcome::None => "none",
            };
            out.push(format!("{kind}\t{}\twant {want}\t{status}: {}", l.question, got.join(" ")));
        }
        out
    }

    pub fn metrics(&self, t: &Thresholds) -> Metrics {
        let mut m = Metrics::default();
        for (expected, hits) in &self.rows {
            m.count(expected, &decide(hits, t));
        }
        m
    }

    /// The thresholds with the best [`Metrics::objective`] on this set, searched on a
    /// grid of 0.01 steps; ties go to the earliest (lowest) thresholds.
    pub fn best_thresholds(&self) -> (Thresholds, Metrics) {
        let steps = |from: f32, to: f32| {
            let (a, b) = ((from * 100.0).round() as i32, (to * 100.0).round() as i32);
            (a..=b).map(|i| i as f32 / 100.0)
        };
        let mut best = (Thresholds::default(), self.metrics(&Thresholds::default()));
        for answer in steps(0.30, 0.85) {
            for margin in steps(0.0, 0.15) {
                for sure in steps(answer, 1.0).step_by(2) {
                    let t = Thresholds {
                        answer,
                        margin,
                        sure,
                        suggest: answer,
                    };
                    let m = self.metrics(&t);
                    if m.objective() > best.1.objective() + 1e-9 {
                        best = (t, m);
                    }
                }
            }
        }
        // The suggestion floor only moves suggestions and declines: choose it last.
        let mut t = best.0;
        for suggest in steps(0.10, t.answer) {
            let candidate = Thresholds { suggest, ..t };
            let m = self.metrics(&candidate);
            if m.objective() > best.1.objective() + 1e-9 {
                best = (candidate, m);
            }
        }
        t = best.0;
        (t, best.1)
    }
}
