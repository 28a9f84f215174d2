//! Separable words (离合词): a two-character word split by a particle — 住了院, 看过病,
//! 备了案 — is read whole, the particle after it (住院了), when the two characters make
//! one of the corpus's words (as its synonyms read them: 看病 is 就医), unless the second
//! starts a word with the character after it (缴了费用 keeps its 费用), or the first is a
//! negation (看不了要去: 不了 is "cannot", not a split 不要). The particles are the
//! lexicon's `infix` words.

use rustc_hash::FxHashSet as HashSet;

use super::segment::{is_cjk, single_char};

#[derive(Debug, Default)]
pub struct Separable {
    /// The one-character particles that may split a word.
    infixes: HashSet<char>,
    /// One-character negations, which start no split word.
    negations: HashSet<char>,
}

impl Separable {
    /// From the lexicon's infix and negation words; only those of one character can
    /// split a word, or stop one.
    pub fn new<'a>(
        infixes: impl IntoIterator<Item = &'a str>,
        negations: impl IntoIterator<Item = &'a str>,
    ) -> Separable {
        Separable {
            infixes: infixes.into_iter().filter_map(single_char).collect(),
            negations: negations.into_iter().filter_map(single_char).collect(),
        }
    }

    /// `text` with every split word of the corpus joined (住了院 → 住院了); `None` when
    /// there is none, which is the common case, so that nothing is copied.
    pub fn join(
        &self,
        text: &str,
        is_corpus_word: impl Fn(&str) -> bool,
        is_word: impl Fn(&str) -> bool,
    ) -> Option<String> {
        if self.infixes.is_empty() || !text.chars().any(|c| self.infixes.contains(&c)) {
            return None;
        }
        let mut chars: Vec<char> = text.chars().collect();
        let mut joined = false;
        let mut pair = String::new();
        let mut i = 1;
        while i + 1 < chars.len() {
            let (before, infix, after) = (chars[i - 1], chars[i], chars[i + 1]);
            if self.infixes.contains(&infix)
                && is_cjk(before)
                && is_cjk(after)
                && !self.negations.contains(&before)
            {
                pair.clear();
                pair.extend([before, after]);
                let splits_next = chars.get(i + 2).is_some_and(|&next| {
                    let next_word: String = [after, next].iter().collect();
                    is_word(&next_word)
                });
                if is_corpus_word(&pair) && !splits_next {
                    chars.swap(i, i + 1);
                    joined = true;
                    i += 2;
                    continue;
                }
            }
            i += 1;
        }
        joined.then(|| chars.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_split_corpus_word_is_joined_and_nothing_else_moves() {
        let is_word = |w: &str| w == "费用";
        let words = ["住院", "看病", "备案", "缴费", "不要"];
        let in_corpus = |w: &str| words.contains(&w);
        let s = Separable::new(["了", "过", "的"], ["不", "没"]);
        let join = |text: &str| s.join(text, in_corpus, is_word);
        assert_eq!(join("住了院怎么报").as_deref(), Some("住院了怎么报"));
        assert_eq!(join("看过病没备了案").as_deref(), Some("看病过没备案了"));
        // 去了医院: 去医 is no word; 了解: nothing before the particle; 缴了费用: 费用
        // stays whole.
        assert_eq!(join("去了医院"), None);
        assert_eq!(join("了解"), None);
        assert_eq!(join("缴了费用"), None);
        assert_eq!(join("缴了费").as_deref(), Some("缴费了"));
        // 看不了要去: 不了 is "cannot", no split 不要.
        assert_eq!(join("看不了要去"), None);
        // Only one-character particles split a word.
        let long = Separable::new(["一下"], []);
        assert_eq!(long.join("住一下院", in_corpus, is_word), None);
    }
}
