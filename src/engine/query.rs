//! A question as the scorer sees it: its words and character bigrams, each with a weight
//! (idf for the terms the corpus knows, general rarity for those it does not), and the
//! places and years it names.

use super::index::{Index, Term, TermKind, Vocab};
use super::segment::{Analysis, Segmenter};
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
    pub places: Vec<String>,
    pub years: Vec<u16>,
}

impl Query {
    /// Weighs an analysed question against the index. `None` when no word of it is one
    /// the corpus uses: nothing could match.
    pub fn new(a: &Analysis, index: &Index, segmenter: &Segmenter, w: &Weights) -> Option<Query> {
        let weigh_word = |term: &str| weigh_word(&index.words, segmenter, w, term);
        // A word no entry uses is replaced by the known words inside it, if any.
        let mut words: Vec<Weighed> = Vec::new();
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
            if known_parts.is_empty() {
                words.push(weighed);
            } else {
                words.extend(known_parts);
            }
        }
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
            let freq = segmenter.general_frequency(term) as f32;
            let factor = (w.unknown_base - w.unknown_slope * freq.ln())
                .clamp(w.unknown_range.0, w.unknown_range.1);
            Weighed {
                id: None,
                weight: vocab.unknown_idf() * factor,
            }
        }
    }
}

fn mass<'a>(terms: impl Iterator<Item = &'a Weighed>) -> f32 {
    terms.map(|t| t.weight).sum()
}
