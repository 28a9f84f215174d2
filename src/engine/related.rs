//! Related questions, computed once when the corpus is indexed: for each entry, others
//! of its category that ask about the same things — and, first, those that ask the same
//! kind of question (两个 "怎么办", 两个 "多少") — never linked only by a place or a year.

use super::corpus::Corpus;
use super::index::Index;
use super::lexicon::Lexicon;

/// Related entries of each entry, most related first, at most `n` each.
pub fn related(corpus: &Corpus, index: &Index, lexicon: &Lexicon, n: usize) -> Vec<Vec<usize>> {
    // Each entry's own question: its words (places, years and words that only ask set
    // apart), with their weights, and the words that ask.
    struct Question {
        subjects: Vec<(u32, f32)>,
        asks: Vec<u32>,
    }
    let mut questions: Vec<Question> = corpus
        .entries
        .iter()
        .map(|_| Question {
            subjects: Vec::new(),
            asks: Vec::new(),
        })
        .collect();
    for target in index.targets.iter().filter(|t| t.section.is_none()) {
        let q = &mut questions[target.entry as usize];
        for &id in &target.title {
            let word = index.words.term(id);
            let is_name = target.places.iter().any(|p| p.name == word)
                || word.bytes().all(|b| b.is_ascii_digit())
                || word
                    .trim_end_matches('年')
                    .bytes()
                    .all(|b| b.is_ascii_digit());
            if lexicon.is_question(word) {
                q.asks.push(id);
            } else if !is_name && !lexicon.is_function_word(word) {
                q.subjects.push((id, index.words.idf(id)));
            }
        }
    }
    (0..corpus.entries.len())
        .map(|e| {
            let mine = &questions[e];
            let mut scored: Vec<(f32, usize)> = (0..corpus.entries.len())
                .filter(|&o| o != e && corpus.entries[o].category == corpus.entries[e].category)
                .filter_map(|o| {
                    let theirs = &questions[o];
                    let shared: f32 = mine
                        .subjects
                        .iter()
                        .filter(|(id, _)| theirs.subjects.iter().any(|(t, _)| t == id))
                        .map(|(_, w)| w)
                        .sum();
                    if shared <= 0.0 {
                        return None;
                    }
                    let same_kind = mine.asks.iter().any(|a| theirs.asks.contains(a));
                    Some((shared * if same_kind { 2.0 } else { 1.0 }, o))
                })
                .collect();
            // Most shared first; among equals, corpus order.
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            scored.into_iter().take(n).map(|(_, o)| o).collect()
        })
        .collect()
}
