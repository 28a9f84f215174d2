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
    /// The target is about a place the question did not name: what it says may hold
    /// there only, and the answer says so.
    pub local: bool,
}

impl Hit {
    /// A whole entry, as a button or a link asks for it.
    pub fn whole(entry: usize) -> Hit {
        Hit {
            entry,
            section: None,
            score: 1.0,
            local: false,
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
    /// The question only names a topic (`报销`, `备案`): its most useful entries, to
    /// choose from (an index into the corpus's topics).
    Topic { topic: usize, entries: Vec<Hit> },
    /// Nothing in the corpus answers it, and why.
    None(Decline),
}

/// Why nothing answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decline {
    /// Nothing to go on: empty, punctuation, filler, a single character.
    NoContent,
    /// Small talk (an index into the corpus's kinds of small talk): thanks, a request
    /// for a human, a question about the bot.
    SmallTalk(usize),
    /// A kind of question the corpus declines (an index into the corpus's out-of-scope
    /// topics).
    OutOfScope(usize),
    /// No entry is close enough; `best` is the closest there was.
    NotCovered { best: Option<Hit> },
}

/// What the matcher found for a question: every entry that shares anything with it, best
/// first (one hit per entry), and the topic it names when it is only a topic's keywords.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ranking {
    pub hits: Vec<Hit>,
    pub topic: Option<TopicChoice>,
    pub shape: Shape,
}

/// How much a message says around what it asks, which sets the thresholds that hold it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Shape {
    /// Keywords only ([`Thresholds::keyword_answer`], [`Thresholds::keyword_suggest`]).
    Keywords,
    #[default]
    Question,
    /// It tells a story around what it asks ([`Thresholds::story_answer`]).
    Story,
    /// It names places far apart (insured in one, treated in another): names that no
    /// general entry holds, so its near misses are suggested from the story floor
    /// ([`Thresholds::story_suggest`]); it is answered as a plain question.
    PlacesApart,
}

/// A topic a question names, with its entries to choose from.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicChoice {
    pub topic: usize,
    pub entries: Vec<Hit>,
}

/// Turns a ranking into an outcome: a confident answer if there is one; else, for a
/// question that only names a topic, the topic's entries; else suggestions or nothing.
pub fn decide(ranking: &Ranking, t: &Thresholds) -> Outcome {
    let ranked = &ranking.hits;
    let first = ranked.first();
    if let Some(first) = first {
        let second = ranked.get(1).map_or(0.0, |h| h.score);
        let lead = first.score - second;
        let clear =
            first.score >= t.answer && (lead >= t.margin || (first.score >= t.sure && lead >= TIE));
        let story_and_clear = ranking.shape == Shape::Story
            && first.score >= t.story_answer
            && lead >= t.story_margin.max(TIE);
        let keywords_and_clear = ranking.shape == Shape::Keywords
            && ranking.topic.is_none()
            && first.score >= t.keyword_answer
            && lead >= t.keyword_margin.max(TIE);
        if clear || story_and_clear || keywords_and_clear {
            return Outcome::Answer(*first);
        }
    }
    if let Some(choice) = &ranking.topic {
        return Outcome::Topic {
            topic: choice.topic,
            entries: choice.entries.clone(),
        };
    }
    let Some(first) = first else {
        return Outcome::None(Decline::NotCovered { best: None });
    };
    let floor = match ranking.shape {
        Shape::Keywords => t.keyword_suggest,
        Shape::Question => t.suggest,
        Shape::Story | Shape::PlacesApart => t.story_suggest,
    };
    if first.score >= floor {
        return Outcome::Suggest(
            ranked
                .iter()
                .take_while(|h| h.score >= floor)
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

    /// A ranking of entries 0, 1, 2, … with these scores, best first.
    fn ranking(shape: Shape, scores: &[f32]) -> Ranking {
        Ranking {
            hits: scores
                .iter()
                .enumerate()
                .map(|(entry, &score)| Hit {
                    score,
                    ..Hit::whole(entry)
                })
                .collect(),
            topic: None,
            shape,
        }
    }

    #[test]
    fn scores_become_outcomes() {
        use Want::*;
        let t = Thresholds {
            answer: 0.44,
            margin: 0.06,
            sure: 0.62,
            suggest: 0.40,
            story_answer: 0.30,
            story_margin: 0.2,
            story_suggest: 0.40,
            keyword_suggest: 0.40,
            keyword_answer: 0.44,
            keyword_margin: 0.06,
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
            let got = match decide(&ranking(Shape::Question, scores), &t) {
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

    #[test]
    fn a_story_answers_from_lower_when_its_best_entry_leads_clearly() {
        let t = Thresholds::default();
        let ranking = |story: bool, scores: &[f32]| {
            ranking(if story { Shape::Story } else { Shape::Question }, scores)
        };
        let low = t.story_answer + 0.02;
        let clear = [low, low - t.story_margin - 0.01];
        let close = [low, low - t.story_margin + 0.01];
        assert!(matches!(decide(&ranking(true, &clear), &t), Outcome::Answer(h) if h.entry == 0));
        // The same scores from a short question are not enough...
        assert!(!matches!(
            decide(&ranking(false, &clear), &t),
            Outcome::Answer(_)
        ));
        // ...nor a story whose best entry does not lead clearly, or scores too little.
        assert!(!matches!(
            decide(&ranking(true, &close), &t),
            Outcome::Answer(_)
        ));
        let under = [t.story_answer - 0.01, 0.0];
        assert!(!matches!(
            decide(&ranking(true, &under), &t),
            Outcome::Answer(_)
        ));
        // Its near misses are suggested from lower than a short question's...
        let near = [t.story_suggest + 0.01, t.story_suggest + 0.005];
        assert!(t.story_suggest < t.suggest);
        assert!(
            matches!(decide(&ranking(true, &near), &t), Outcome::Suggest(ref s) if s.len() == 2)
        );
        assert!(matches!(
            decide(&ranking(false, &near), &t),
            Outcome::None(Decline::NotCovered { .. })
        ));
        // ...but not from nothing.
        let nothing = [t.story_suggest - 0.02, t.story_suggest - 0.025];
        assert!(matches!(
            decide(&ranking(true, &nothing), &t),
            Outcome::None(Decline::NotCovered { .. })
        ));
    }

    #[test]
    fn places_apart_are_offered_from_the_story_floor_but_answered_as_a_question() {
        let t = Thresholds::default();
        assert!(t.story_suggest < t.suggest && t.story_answer < t.answer);
        let outcome = |scores: &[f32]| decide(&ranking(Shape::PlacesApart, scores), &t);
        // Near misses are offered from the story floor...
        let near = [t.story_suggest + 0.01, t.story_suggest - 0.01];
        assert!(matches!(outcome(&near), Outcome::Suggest(ref s) if s.len() == 1));
        // ...but a clear lead under the answer line is no answer (a story's would be)...
        let clear = [t.story_answer + 0.02, 0.0];
        assert!(matches!(outcome(&clear), Outcome::Suggest(_)));
        assert!(matches!(
            decide(&ranking(Shape::Story, &clear), &t),
            Outcome::Answer(_)
        ));
        // ...and nothing under the floor is offered.
        let under = [t.story_suggest - 0.01, 0.0];
        assert!(matches!(outcome(&under), Outcome::None(_)));
        let high = [t.answer + 0.01, 0.0];
        assert!(matches!(outcome(&high), Outcome::Answer(_)));
    }

    #[test]
    fn keywords_answer_and_are_offered_from_lower() {
        let t = Thresholds::default();
        assert!(t.keyword_suggest < t.suggest && t.keyword_answer < t.answer);
        let suggested = |o: Outcome| -> Vec<usize> {
            match o {
                Outcome::Suggest(hits) => hits.iter().map(|h| h.entry).collect(),
                other => panic!("{other:?}"),
            }
        };
        // A clear lead under the common answer line: keywords get it answered...
        let lead = [
            t.keyword_answer + 0.01,
            t.keyword_answer - t.keyword_margin - 0.01,
        ];
        assert!(matches!(
            decide(&ranking(Shape::Keywords, &lead), &t),
            Outcome::Answer(Hit { entry: 0, .. })
        ));
        // ...while a question of the same scores is declined.
        assert!(matches!(
            decide(&ranking(Shape::Question, &lead), &t),
            Outcome::None(Decline::NotCovered { .. })
        ));
        // Too close to the next: both offered, and only those above the floor...
        let best = t.keyword_answer.max(t.keyword_suggest) + 0.05;
        let near = [
            best,
            best - t.keyword_margin + 0.005,
            t.keyword_suggest - 0.01,
        ];
        assert_eq!(
            suggested(decide(&ranking(Shape::Keywords, &near), &t)),
            vec![0, 1]
        );
        // ...and nothing under the floor.
        let under = [t.keyword_suggest - 0.01, 0.0];
        assert!(matches!(
            decide(&ranking(Shape::Keywords, &under), &t),
            Outcome::None(Decline::NotCovered { .. })
        ));
        // Keywords that name a topic get its choices unless they answer outright.
        let topic = Ranking {
            topic: Some(TopicChoice {
                topic: 0,
                entries: vec![Hit::whole(5)],
            }),
            ..ranking(Shape::Keywords, &lead)
        };
        assert!(matches!(
            decide(&topic, &t),
            Outcome::Topic { topic: 0, .. }
        ));
        let high = Ranking {
            hits: ranking(Shape::Keywords, &[t.answer + t.margin, 0.0]).hits,
            ..topic
        };
        assert!(matches!(decide(&high, &t), Outcome::Answer(_)));
    }

    #[test]
    fn a_topic_is_offered_unless_an_entry_answers_outright() {
        let t = Thresholds::default();
        let hit = |entry, score| Hit {
            score,
            ..Hit::whole(entry)
        };
        let choice = TopicChoice {
            topic: 2,
            entries: vec![Hit::whole(7), Hit::whole(8)],
        };
        let topic = |hits: Vec<Hit>| Ranking {
            hits,
            topic: Some(choice.clone()),
            shape: Shape::Question,
        };
        assert_eq!(
            decide(&topic(vec![hit(7, 0.9)]), &t),
            Outcome::Answer(hit(7, 0.9))
        );
        for hits in [vec![], vec![hit(7, 0.2)], vec![hit(7, 0.5), hit(8, 0.49)]] {
            assert_eq!(
                decide(&topic(hits), &t),
                Outcome::Topic {
                    topic: 2,
                    entries: choice.entries.clone()
                }
            );
        }
    }
}
