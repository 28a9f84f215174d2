//! The answer engine: a question in, an [`Outcome`] out — one confident answer, a few
//! suggestions, or nothing.
//!
//! A question is normalised, checked against the out-of-scope topics, rewritten with the
//! corpus's synonyms, repaired for typos and segmented; every target (an entry, or one of
//! its sections) is then scored ([`score`](super::score)) and the ranking decided
//! ([`decide`](super::decide)).

use std::path::Path;

use jieba_rs::Jieba;
use rustc_hash::FxHashMap as HashMap;

use super::corpus::Corpus;
use super::decide::{Decline, Hit, Outcome, Ranking, Shape, TopicChoice, decide};
use super::index::{EntryText, Index};
use super::load::CorpusError;
use super::normalize::Normalizer;
use super::query::Query;
use super::score::score_targets;
use super::segment::{Analysis, NEGATED, Segmenter, single_char};
use super::separable::Separable;
use super::tuning::{
    KEYWORD_WORDS, MAX_SUGGESTIONS, SEARCH_FLOOR, STORY_WORDS, Thresholds, Weights,
};
use super::typo::TypoRepair;
use super::view::AnswerView;
use super::{related, smalltalk};

/// Related questions kept per entry: three buttons under an answer.
const MAX_RELATED: usize = 3;

/// Choices offered for a follow-up read after the earlier question.
const FOLLOW_UP_CHOICES: usize = 3;

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
    separable: Separable,
    index: Index,
    /// Every topic keyword as the matcher sees it (rewritten with the synonyms), and its
    /// topic.
    topic_words: HashMap<String, usize>,
    /// Each entry's related entries, most related first (computed once).
    related: Vec<Vec<usize>>,
    pub thresholds: Thresholds,
    pub weights: Weights,
}

impl Matcher {
    /// Loads, validates and indexes the corpus in `dir`.
    pub fn load(dir: &Path) -> Result<Matcher, CorpusError> {
        // jieba builds its dictionary (half of start-up) while the corpus is read.
        std::thread::scope(|s| {
            let dictionary = s.spawn(Jieba::new);
            let corpus = Corpus::load(dir)?;
            Ok(Matcher::build(corpus, || joined(dictionary)))
        })
    }

    pub fn new(corpus: Corpus) -> Matcher {
        std::thread::scope(|s| {
            let dictionary = s.spawn(Jieba::new);
            Matcher::build(corpus, || joined(dictionary))
        })
    }

    /// The matcher over `corpus`, with jieba's general dictionary from `dictionary`
    /// (called once the corpus text is normalised, which needs no dictionary).
    fn build(corpus: Corpus, dictionary: impl FnOnce() -> Jieba) -> Matcher {
        let normalizer = Normalizer::new();
        // Corpus text is normalised and rewritten with synonyms, never "repaired".
        let prepare = |text: &String| corpus.synonyms.rewrite(&normalizer.normalize(text));
        let prepared: Vec<(Vec<String>, Vec<Vec<String>>)> = corpus
            .entries
            .iter()
            .map(|e| {
                let phrasings = std::iter::once(&e.question)
                    .chain(&e.alternates)
                    .map(prepare)
                    .collect();
                let sections = e
                    .sections
                    .iter()
                    .map(|s| {
                        std::iter::once(&s.title)
                            .chain(&s.alternates)
                            .map(prepare)
                            .collect()
                    })
                    .collect();
                (phrasings, sections)
            })
            .collect();
        let canonical = |w: &str| corpus.synonyms.rewrite(w);
        let segmenter = Segmenter::new(
            dictionary(),
            &corpus.user_words,
            &corpus.places,
            corpus.synonyms.words(),
            corpus.lexicon.canonicalize(canonical),
            corpus.roles.canonicalize(canonical),
        );
        let texts: Vec<EntryText> = corpus
            .entries
            .iter()
            .zip(&prepared)
            .map(|(e, (phrasings, sections))| EntryText {
                phrasings: phrasings
                    .iter()
                    .map(|text| segmenter.analyze(text))
                    .enumerate()
                    .map(|(i, mut a)| {
                        // The roles the entry gives its places, where its words do not.
                        if let (0, Some(roles)) = (i, &e.roles) {
                            for place in &mut a.places {
                                place.role = roles.role_of(&place.name);
                            }
                        }
                        a
                    })
                    .collect(),
                sections: sections
                    .iter()
                    .map(|texts| texts.iter().map(|text| segmenter.analyze(text)).collect())
                    .collect(),
            })
            .collect();
        let mut index = Index::build(&texts);
        index.mark_asks(|w| segmenter.lexicon().asks(w));
        // 和, 的, 在, 不: words of one character, never part of a typo; 办, 去, 给 (light
        // words) never its wrong character (上办 is no 上班).
        let one_character_words = corpus
            .lexicon
            .filler_words()
            .chain(corpus.lexicon.negation_words())
            .filter_map(single_char);
        let light_characters = corpus.lexicon.light_words().filter_map(single_char);
        let mut typos = TypoRepair::new(index.words.terms(), one_character_words, light_characters);
        // gongjijin is 公积金, which is out of scope.
        typos.also_spell(corpus.out_of_scope.plain_phrases());
        let separable = Separable::new(
            corpus.lexicon.infix_words(),
            corpus.lexicon.negation_words(),
        );
        let mut topic_words = HashMap::default();
        for (t, topic) in corpus.topics.iter().enumerate() {
            for keyword in topic.keywords() {
                topic_words.insert(corpus.synonyms.rewrite(keyword), t);
            }
        }
        let related = related::related(&corpus, &index, segmenter.lexicon(), MAX_RELATED);
        Matcher {
            corpus,
            normalizer,
            segmenter,
            typos,
            separable,
            index,
            topic_words,
            related,
            thresholds: Thresholds::default(),
            weights: Weights::default(),
        }
    }

    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// What is shown for `hit`: with the places it holds for when the question named
    /// none (`以下是黑龙江的规定`).
    pub fn view(&self, hit: &Hit) -> AnswerView<'_> {
        let mut view = self.corpus.view(hit);
        if hit.local {
            let target = self.index.targets.iter().find(|t| {
                t.entry as usize == hit.entry && t.section.map(|s| s as usize) == hit.section
            });
            if let Some(target) = target {
                view.local_to = Some(self.corpus.places.describe(&target.places));
            }
        }
        view
    }

    /// A question: normalised, pinyin spellings read, split words joined (住了院),
    /// rewritten with synonyms, typos repaired, segmented.
    pub fn analyze(&self, question: &str) -> Analysis {
        self.analyze_normalized(&self.spelt(self.normalizer.normalize(head(question))))
    }

    /// Normalised `text` with its pinyin spellings read (`gongjijin` is 公积金).
    fn spelt(&self, text: String) -> String {
        self.typos.read_spellings(&text).unwrap_or(text)
    }

    /// Normalised and spelt `text`, analysed: split words joined (住了院, checked as the
    /// synonyms will read them: 看过病 is 就医), rewritten with synonyms, typos repaired,
    /// segmented.
    fn analyze_normalized(&self, text: &str) -> Analysis {
        let in_corpus = |w: &str| {
            let w = self.corpus.synonyms.rewrite(w);
            self.index.words.id(&w).is_some()
        };
        let joined = self
            .separable
            .join(text, in_corpus, |w| self.segmenter.is_word(w));
        let text = self
            .corpus
            .synonyms
            .rewrite(joined.as_deref().unwrap_or(text));
        let text = self.typos.repair(&text, |w| self.segmenter.is_word(w));
        self.segmenter.analyze(&text)
    }

    /// The engine's answer to `question`.
    pub fn ask(&self, question: &str) -> Outcome {
        match self.read(question) {
            Ok(analysis) => {
                // All that `decide` reads: the suggestions and the one after them.
                let ranking = self.rank_question(&analysis, MAX_SUGGESTIONS + 1);
                decide(&ranking, &self.thresholds)
            }
            Err(decline) => Outcome::None(decline),
        }
    }

    /// A question asked as a follow-up of an answer about entry `previous` (a reply to
    /// it): read on its own first; when that does not settle it, read again after the
    /// earlier question ("那公婆可以绑吗" after 家庭共济能绑父母吗) — and then only offered
    /// as choices, never answered outright: the earlier question's words carry that
    /// reading, and they may not cover what the follow-up asks (爷爷奶奶 are not among
    /// the relatives an answer lists). Small talk, an out-of-scope topic or nothing to go
    /// on stay what they are on their own.
    pub fn ask_after(&self, question: &str, previous: usize) -> Outcome {
        let alone = self.ask(question);
        if matches!(
            alone,
            Outcome::Answer(_)
                | Outcome::None(
                    Decline::SmallTalk(_) | Decline::OutOfScope(_) | Decline::NoContent
                )
        ) {
            return alone;
        }
        let Some(entry) = self.corpus.entries.get(previous) else {
            return alone;
        };
        let with = format!("{}，{}", entry.question, head(question));
        let Ok(analysis) = self.read(&with) else {
            return alone;
        };
        let ranking = self.rank_question(&analysis, MAX_SUGGESTIONS + 1);
        match decide(&ranking, &self.thresholds) {
            Outcome::Answer(_) | Outcome::Suggest(_) => {
                let choices: Vec<Hit> = ranking
                    .hits
                    .into_iter()
                    .filter(|h| h.score >= self.thresholds.suggest)
                    .take(FOLLOW_UP_CHOICES)
                    .collect();
                if choices.is_empty() {
                    alone
                } else {
                    Outcome::Suggest(choices)
                }
            }
            _ => alone,
        }
    }

    /// A question read as far as matching: its analysis, or why it needs none.
    fn read(&self, question: &str) -> Result<Analysis, Decline> {
        let text = self.normalizer.normalize(head(question));
        // Emoji and punctuation only (👍, 🙏, ？？): nothing to go on.
        if !text.chars().any(char::is_alphanumeric) {
            return Err(Decline::NoContent);
        }
        if let Some(kind) = smalltalk::kind_of(&self.corpus.small_talk, &text) {
            return Err(Decline::SmallTalk(kind));
        }
        // Read as spelt (gongjijin is 公积金) before the topics that are declined.
        let text = self.spelt(text);
        if let Some(topic) = self.corpus.out_of_scope.topic_of(&text.replace(' ', "")) {
            return Err(Decline::OutOfScope(topic));
        }
        let analysis = self.analyze_normalized(&text);
        if analysis.is_thin(self.segmenter.lexicon()) {
            return Err(Decline::NoContent);
        }
        Ok(analysis)
    }

    /// The ranking `ask` decides from: every entry that shares anything with `question`,
    /// best first, one hit per entry (its best target), and the topic it names if it is
    /// only a topic's keywords; empty when the question is declined before matching (out
    /// of scope, or nothing to go on).
    pub fn rank(&self, question: &str) -> Ranking {
        match self.read(question) {
            Ok(analysis) => self.rank_question(&analysis, usize::MAX),
            Err(_) => Ranking::default(),
        }
    }

    /// The ranking of an analysed question, its `best` hits only.
    fn rank_question(&self, analysis: &Analysis, best: usize) -> Ranking {
        let mut hits = self.rank_analysis(analysis);
        let topic = self.topic_named(analysis).map(|topic| TopicChoice {
            topic,
            entries: self.corpus.topics[topic]
                .entries
                .iter()
                .map(|&entry| {
                    let score = hits
                        .iter()
                        .find(|h| h.entry == entry)
                        .map_or(0.0, |h| h.score);
                    Hit {
                        score,
                        ..Hit::whole(entry)
                    }
                })
                .collect(),
        });
        // Best first; entries are unique, so the order is total and the best few are
        // the same whether all are sorted or only they are picked out.
        let order = |a: &Hit, b: &Hit| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry));
        if hits.len() > best {
            hits.select_nth_unstable_by(best, order);
            hits.truncate(best);
        }
        hits.sort_unstable_by(order);
        Ranking {
            hits,
            topic,
            shape: self.shape(analysis),
        }
    }

    /// A story, a question that names places far apart (江苏的医保去浙江), keywords only
    /// (a word or two, none of them one that only asks: 省外 报销比例, but not 这个
    /// 多少钱), or a plain question; in that order, so two places alone (南京 苏州) are
    /// places apart rather than keywords.
    fn shape(&self, a: &Analysis) -> Shape {
        let lexicon = self.segmenter.lexicon();
        match a.words.len() {
            n if n >= STORY_WORDS => Shape::Story,
            _ if a.apart.is_some() => Shape::PlacesApart,
            n if n <= KEYWORD_WORDS && !a.words.iter().any(|w| lexicon.is_function_word(w)) => {
                Shape::Keywords
            }
            _ => Shape::Question,
        }
    }

    /// The topic a question names when its words (those that only ask aside) are one of
    /// the topic's keywords: `报销`, `医保缴费`, `异地就医吗`.
    fn topic_named(&self, a: &Analysis) -> Option<usize> {
        let lexicon = self.segmenter.lexicon();
        let named: String = a
            .words
            .iter()
            .filter(|w| !w.starts_with(NEGATED) && !lexicon.is_function_word(w))
            .map(String::as_str)
            .collect();
        self.topic_words.get(&named).copied()
    }

    /// A long message is scored whole (its context weighing less) and sentence by
    /// sentence (each that asks, with the message's places, years and negations): an
    /// entry scores its best reading. Unordered, one hit per entry.
    fn rank_analysis(&self, analysis: &Analysis) -> Vec<Hit> {
        let mut hits = self.rank_reading(analysis);
        let questions = analysis.questions();
        if questions.is_empty() {
            return hits;
        }
        // Where each entry's hit is, plus one (0: none yet).
        let mut at = vec![0usize; self.corpus.entries.len()];
        for (i, h) in hits.iter().enumerate() {
            at[h.entry] = i + 1;
        }
        for question in questions {
            for mut hit in self.rank_reading(&question) {
                hit.score *= self.weights.sentence;
                match at[hit.entry] {
                    0 => {
                        hits.push(hit);
                        at[hit.entry] = hits.len();
                    }
                    i if hits[i - 1].score >= hit.score => {}
                    i => hits[i - 1] = hit,
                }
            }
        }
        hits
    }

    /// Every entry that shares anything with one reading of a question, one hit per
    /// entry (its best target), in entry order.
    fn rank_reading(&self, analysis: &Analysis) -> Vec<Hit> {
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
                local: query.places.is_empty() && !target.places.is_empty(),
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
        hits
    }

    /// What `ask` says of `query`, and up to `n` entries for a search box (inline mode),
    /// best first: anything that matches at all, but nothing for a question declined
    /// before matching (out of scope, small talk). One ranking serves both.
    pub fn ask_and_search(&self, query: &str, n: usize) -> (Outcome, Vec<Hit>) {
        match self.read(query) {
            Ok(analysis) => {
                let ranking = self.rank_question(&analysis, usize::MAX);
                let outcome = decide(&ranking, &self.thresholds);
                let found = ranking
                    .hits
                    .into_iter()
                    .filter(|h| h.score >= SEARCH_FLOOR)
                    .take(n)
                    .collect();
                (outcome, found)
            }
            Err(decline) => (Outcome::None(decline), Vec::new()),
        }
    }

    /// Up to `n` entries related to `entry`, for "related questions" buttons: of its
    /// category, asking about the same things (computed once, see `related.rs`).
    pub fn related(&self, entry: usize, n: usize) -> Vec<Hit> {
        self.related[entry]
            .iter()
            .take(n)
            .map(|&e| Hit::whole(e))
            .collect()
    }
}

/// The dictionary a scoped thread built; its panic, if it panicked.
fn joined(dictionary: std::thread::ScopedJoinHandle<'_, Jieba>) -> Jieba {
    dictionary
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::score::{MAX_CANDIDATES, Reading, score_with};

    /// The shipped corpus is read in full; the budgeted reading of a large corpus must
    /// give the very same scores whenever its budget cuts nothing (a question whose
    /// posting lists hold no more than the candidates it keeps).
    #[test]
    fn both_readings_score_alike_when_the_budget_cuts_nothing() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let m = Matcher::load(&root.join("faq")).unwrap();
        assert_eq!(Reading::for_index(&m.index), Reading::Full);
        let mut compared = 0;
        for file in std::fs::read_dir(root.join("tests/data")).unwrap() {
            let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
            let questions = text
                .lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| l.split_once('\t').map(|(_, q)| q));
            for question in questions {
                let analysis = m.analyze(question);
                let Some(q) = Query::new(&analysis, &m.index, &m.segmenter, &m.weights) else {
                    continue;
                };
                let mut terms = Vec::new();
                q.known_terms(&mut terms);
                let postings: usize = terms.iter().map(|t| m.index.postings(t).len()).sum();
                if postings > MAX_CANDIDATES {
                    continue;
                }
                let score = |reading| {
                    score_with(&m.index, &m.corpus.places, &m.weights, &q, reading)
                        .into_iter()
                        .map(|(t, s)| (t, s.to_bits()))
                        .collect::<Vec<_>>()
                };
                assert_eq!(score(Reading::Full), score(Reading::Budgeted), "{question}");
                compared += 1;
            }
        }
        assert!(compared >= 200, "only {compared} questions compared");
    }
}
