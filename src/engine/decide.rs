//! From scores to what the engine says: one confident answer, a few suggestions, or
//! nothing — a pure function of the ranking and the [`Thresholds`].

use super::tuning::{MAX_SUGGESTIONS, TIE, Thresholds};

/// A target that could answer, with how well it matched (0 to 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub entry: usize,
    /// The section of the entry that answers, when a section does.
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
    /// Not sure: up to [`MAX_SUGGESTIONS`] entries that might ("您是不是想问").
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

/// Turns a ranking (best first, one hit per entry) into an outcome.
pub fn decide(ranked: &[Hit], t: &Thresholds) -> Outcome {
    let Some(first) = ranked.first() else {
        return Outcome::None(Decline::NotCovered { best: None });
    };
    let second = ranked.get(1).map_or(0.0, |h| h.score);
    let lead = first.score - second;
    if first.score >= t.answer && (lead >= t.margin || (first.score >= t.sure && lead >= TIE)) {
        return Outcome::Answer(*first);
    }
    if first.score >= t.suggest {
        return Outcome::Suggest(
            ranked
                .iter()
                .take_while(|h| h.score >= t.suggest)
                .take(MAX_SUGGESTIONS)
                .copied()
                .collect(),
        );
    }
    Outcome::None(Decline::NotCovered { best: Some(*first) })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scores in (best first, entries 0, 1, 2, …), outcome out: `A(e)` answers entry e,
    /// `S(es)` suggests those entries, `N` declines.
    #[derive(Debug, PartialEq)]
    enum Want {
        A(usize),
        S(&'static [usize]),
        N,
    }

    #[test]
    fn scores_become_outcomes() {
        use Want::*;
        let t = Thresholds {
            answer: 0.44,
            margin: 0.06,
            sure: 0.62,
            suggest: 0.40,
        };
        let table: &[(&[f32], Want)] = &[
            // Nothing ranked, or nothing close.
            (&[], N),
            (&[0.39], N),
            (&[0.39, 0.2], N),
            // Clear leads answer.
            (&[0.44], A(0)),
            (&[0.50, 0.44], A(0)),
            (&[0.90, 0.10, 0.05], A(0)),
            // Too close to the next: suggest both (and only those above the floor).
            (&[0.50, 0.45], S(&[0, 1])),
            (&[0.50, 0.45, 0.39], S(&[0, 1])),
            // Sure enough to answer a narrow lead...
            (&[0.70, 0.66], A(0)),
            // ...but never a tie, however high.
            (&[0.90, 0.898], S(&[0, 1])),
            // Below the answer threshold but above the suggestion floor.
            (&[0.42], S(&[0])),
            (&[0.42, 0.41, 0.41, 0.40, 0.40], S(&[0, 1, 2])),
        ];
        for (scores, want) in table {
            let ranked: Vec<Hit> = scores
                .iter()
                .enumerate()
                .map(|(entry, &score)| Hit {
                    entry,
                    section: None,
                    score,
                })
                .collect();
            let got = match decide(&ranked, &t) {
                Outcome::Answer(h) => A(h.entry),
                Outcome::Suggest(hs) => {
                    let ids: Vec<usize> = hs.iter().map(|h| h.entry).collect();
                    match (ids.as_slice(), want) {
                        (ids, S(w)) if ids == *w => S(w),
                        _ => panic!("{scores:?}: suggested {ids:?}, want {want:?}"),
                    }
                }
                Outcome::None(Decline::NotCovered { .. }) => N,
                other => panic!("{scores:?}: {other:?}"),
            };
            assert_eq!(&got, want, "{scores:?}");
        }
    }
}
