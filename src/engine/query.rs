//! A question as the scorer sees it: its words and character bigrams, each with a weight
//! (idf for the terms the corpus knows, general rarity for those it does not), and the
//! places and years it names.

use super::index::{Index, Term, TermKind, Vocab};
use super::places::Place;
use super::segment::{Analysis, NEGATED, Segmenter, is_cjk};
use super::tuning::Weights;

/// A question's term with its weight; `id` is `None` for a term no entry uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weighed {
    pub id: Option<u32>,
    pub weight: f32,
}

#[derive(Debug)]
pub struct Query {
    pub words: Vec<Weighed>,
    pub bigrams: Vec<Weighed>,
    /// Summed weight of the words the corpus knows.
    pub known_mass: f32,
    /// The words' weight for recall: the known ones, and the unknown ones up to a cap.
    pub word_mass: f32,
    pub bigram_mass: f32,
    pub places: Vec<Place>,
    pub years: Vec<u16>,
    /// Ids of every word the corpus knows, sorted.
    pub all_words: Vec<u32>,
    /// Ids of the distinctive words it asks about (not those only in context): subjects
    /// or words few entries use, sorted.
    pub subjects: Vec<u32>,
    /// Ids of the words it negates (`¬备案`) that the corpus knows, sorted.
    pub negated: Vec<u32>,
    /// Words it asks about that no entry uses (白内障 in 铁岭做白内障手术…): subjects the
    /// corpus does not cover.
    pub unknown_subjects: Vec<String>,
}

impl Query {
    /// Weighs an analysed question against the index. `None` when no word of it is one
    /// the corpus uses: nothing could match.
    pub fn new(a: &Analysis, index: &Index, segmenter: &Segmenter, w: &Weights) -> Option<Query> {
        // Words in the context of a long message weigh less than those that ask.
        let share = |context: bool| if context { w.context } else { 1.0 };
        let weigh_word = |term: &str, context: bool| {
            let mut t = weigh_word(&index.words, segmenter, w, term);
            t.weight *= share(context);
            t
        };
        // A word no entry uses is replaced by the known words inside it, if any.
        let mut words: Vec<Weighed> = Vec::new();
        let mut subjects: Vec<u32> = Vec::new();
        let mut unknown_subjects: Vec<String> = Vec::new();
        for ((word, parts), &context) in a.words.iter().zip(&a.parts).zip(&a.context) {
            let weighed = weigh_word(word, context);
            let known_parts: Vec<Weighed> = match weighed.id {
                Some(_) => Vec::new(),
                None => parts
                    .iter()
                    .map(|p| weigh_word(p, context))
                    .filter(|t| t.id.is_some())
                    .collect(),
            };
            let unexplained = known_parts.is_empty();
            if unexplained {
                words.push(weighed);
            } else {
                words.extend(known_parts);
            }
            let distinctive = |id: u32| index.subjects[id as usize] || index.rare[id as usize];
            if !context
                && !segmenter.lexicon().is_function_word(word)
                && let Some(id) = weighed.id.filter(|&id| distinctive(id))
            {
                subjects.push(id);
            }
            let is_place = a.places.iter().any(|p| p.name == *word);
            if !context
                && weighed.id.is_none()
                && unexplained
                && !is_place
                && word.chars().count() >= 2
                && word.chars().all(is_cjk)
                && !segmenter.lexicon().is_function_word(word)
            {
                unknown_subjects.push(word.clone());
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
            .zip(&a.bigram_context)
            .map(|(t, &context)| match index.bigrams.id(t) {
                Some(id) => Weighed {
                    id: Some(id),
                    weight: index.bigrams.idf(id) * share(context),
                },
                None => Weighed {
                    id: None,
                    weight: index.bigrams.unknown_idf() * w.unknown_bigram * share(context),
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
            known_mass: known,
            word_mass: known + unknown.min(w.unknown_cap * known),
            bigram_mass: mass(bigrams.iter()),
            words,
            bigrams,
            places: a.places.clone(),
            years: a.years.clone(),
            all_words,
            subjects: sorted(subjects),
            negated: sorted(negated),
            unknown_subjects,
        })
    }

    /// The terms the corpus knows, words first, in question order.
    pub fn known_terms(&self) -> Vec<Term> {
        let known = |kind: TermKind, terms: &[Weighed]| {
            terms
                .iter()
                .filter_map(move |t| {
                    t.id.map(|id| Term {
                        kind,
                        id,
                        weight: t.weight,
                    })
                })
                .collect::<Vec<_>>()
        };
        let mut terms = known(TermKind::Word, &self.words);
        terms.extend(known(TermKind::Bigram, &self.bigrams));
        terms
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
            // A negated word is as common as the word itself.
            let freq = segmenter.general_frequency(term.trim_start_matches(NEGATED)) as f32;
            let factor = (w.unknown_base - w.unknown_slope * freq.ln())
                .clamp(w.unknown_range.0, w.unknown_range.1);
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
