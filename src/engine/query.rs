//! A question as the scorer sees it: its words and character bigrams, each with a weight
//! (idf for the terms the corpus knows, general rarity for those it does not), and the
//! places and years it names.

use super::index::{Index, Term, TermKind, Vocab};
use super::places::Place;
use super::segment::{Analysis, NEGATED, Segmenter, is_cjk};
use super::tuning::{LONG_MESSAGE_WORDS, Weights};

/// A question's term with its weight; `id` is `None` for a term no entry uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weighed {
    pub id: Option<u32>,
    pub weight: f32,
}

/// A word a question asks about, with its id when the corpus knows it.
#[derive(Debug)]
pub struct Asked<'a> {
    pub id: Option<u32>,
    pub word: &'a str,
    /// Its last character, which names its kind (see `score::same_kind`).
    pub last: char,
}

#[derive(Debug)]
pub struct Query<'a> {
    /// A long message: a phrasing it contains says more than how much of it the
    /// phrasing covers (the rest is the asker's story).
    pub long: bool,
    pub words: Vec<Weighed>,
    pub bigrams: Vec<Weighed>,
    /// Summed weight of the words the corpus knows.
    pub known_mass: f32,
    /// The words' weight for recall: the known ones, and the unknown ones up to a cap.
    pub word_mass: f32,
    pub bigram_mass: f32,
    pub places: &'a [Place],
    pub years: &'a [u16],
    /// Ids of every word the corpus knows, sorted.
    pub all_words: Vec<u32>,
    /// The words it asks about (places, negations and words that only ask aside), which
    /// a target should not lack for one of its own subjects.
    pub asked: Vec<Asked<'a>>,
    /// Ids of the words it negates (`¬备案`) that the corpus knows, sorted.
    pub negated: Vec<u32>,
    /// What it asks for (bits of [`Lexicon::asks`](super::lexicon::Lexicon::asks)).
    pub asks: u8,
}

impl<'a> Query<'a> {
    /// Weighs an analysed question against the index. `None` when no word of it is one
    /// the corpus uses: nothing could match.
    pub fn new(
        a: &'a Analysis,
        index: &Index,
        segmenter: &Segmenter,
        w: &Weights,
    ) -> Option<Query<'a>> {
        let weigh_word = |term: &str| weigh_word(&index.words, segmenter, w, term);
        // A word no entry uses is replaced by the known words inside it, if any.
        let mut words: Vec<Weighed> = Vec::new();
        let mut asked: Vec<Asked> = Vec::new();
        for (word, parts) in a.words.iter().zip(&a.parts) {
            let weighed = weigh_word(word);
            let known_parts: Vec<Weighed> = match weighed.id {
                Some(_) => Vec::new(),
                None => parts
                    .iter()
                    .map(|p| weigh_word(p))
                    .filter(|t| t.id.is_some())
                    .collect(),
            };
            let unexplained = known_parts.is_empty();
            if unexplained {
                words.push(weighed);
            } else {
                words.extend(known_parts);
            }
            let is_place = a.places.iter().any(|p| p.name == *word);
            if !is_place
                && word.chars().count() >= 2
                && word.chars().all(is_cjk)
                && !segmenter.lexicon().is_function_word(word)
                && let Some(last) = word.chars().next_back()
            {
                asked.push(Asked {
                    id: weighed.id,
                    word,
                    last,
                });
            }
        }
        let negated: Vec<u32> = a
            .words
            .iter()
            .filter(|w| w.starts_with(NEGATED))
            .filter_map(|w| index.words.id(w))
            .collect();
        let bigrams: Vec<Weighed> = a
            .bigrams
            .iter()
            .map(|t| match index.bigrams.id(t) {
                Some(id) => Weighed {
                    id: Some(id),
                    weight: index.bigrams.idf(id),
                },
                None => Weighed {
                    id: None,
                    weight: index.bigrams.unknown_idf() * w.unknown_bigram,
                },
            })
            .collect();
        if words.iter().all(|t| t.id.is_none()) {
            return None;
        }
        let all_words = sorted(words.iter().filter_map(|t| t.id).collect());
        let known = mass(words.iter().filter(|t| t.id.is_some()));
        let unknown = mass(words.iter().filter(|t| t.id.is_none()));
        Some(Query {
            long: a.words.len() >= LONG_MESSAGE_WORDS,
            known_mass: known,
            word_mass: known + unknown.min(w.unknown_cap * known),
            bigram_mass: mass(bigrams.iter()),
            words,
            bigrams,
            places: &a.places,
            years: &a.years,
            all_words,
            asked,
            negated: sorted(negated),
            asks: a
                .words
                .iter()
                .fold(0, |bits, w| bits | segmenter.lexicon().asks(w)),
        })
    }

    /// Appends the terms the corpus knows to `out`, words first, in question order.
    pub fn known_terms(&self, out: &mut Vec<Term>) {
        for (kind, terms) in [
            (TermKind::Word, &self.words),
            (TermKind::Bigram, &self.bigrams),
        ] {
            out.extend(terms.iter().filter_map(|t| {
                t.id.map(|id| Term {
                    kind,
                    id,
                    weight: t.weight,
                })
            }));
        }
    }
}

/// A word's weight: its idf when the corpus knows it, else the rarest known word's scaled
/// by how rare the word is in general Chinese.
fn weigh_word(vocab: &Vocab, segmenter: &Segmenter, w: &Weights, term: &str) -> Weighed {
    match vocab.id(term) {
        Some(id) => Weighed {
            id: Some(id),
            weight: vocab.idf(id),
        },
        None => {
            // A negated word is as common as the word itself; a Latin word no synonym
            // knows (a name, "ok", pinyin) says least of all.
            let freq = segmenter.general_frequency(term.trim_start_matches(NEGATED)) as f32;
            let factor = if term.bytes().all(|b| b.is_ascii_alphanumeric()) {
                w.unknown_range.0
            } else {
                (w.unknown_base - w.unknown_slope * freq.ln())
                    .clamp(w.unknown_range.0, w.unknown_range.1)
            };
            Weighed {
                id: None,
                weight: vocab.unknown_idf() * factor,
            }
        }
    }
}

fn sorted(mut ids: Vec<u32>) -> Vec<u32> {
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn mass<'a>(terms: impl Iterator<Item = &'a Weighed>) -> f32 {
    terms.map(|t| t.weight).sum()
}
