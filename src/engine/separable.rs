//! Separable words (离合词): a two-character word split by a particle — 住了院, 看过病,
//! 备了案, 交了费 — is read whole, the particle after it (住院了), when the two characters
//! make one of the corpus's words. The particles are the lexicon's `infix` words.

use rustc_hash::FxHashSet as HashSet;

use super::segment::is_cjk;

#[derive(Debug, Default)]
pub struct Separable {
    /// The one-character particles that may split a word.
    infixes: HashSet<char>,
}

impl Separable {
    /// From the lexicon's infix words; only those of one character can split a word.
    pub fn new<'a>(infixes: impl IntoIterator<Item = &'a str>) -> Separable {
        let infixes = infixes
            .into_iter()
            .filter_map(|w| {
                let mut chars = w.chars();
                chars.next().filter(|_| chars.next().is_none())
            })
            .collect();
        Separable { infixes }
    }

    /// `text` with every split word of the corpus joined (住了院 → 住院了); `None` when
    /// there is none, which is the common case, so that nothing is copied.
    pub fn join(&self, text: &str, is_corpus_word: impl Fn(&str) -> bool) -> Option<String> {
        if self.infixes.is_empty() || !text.chars().any(|c| self.infixes.contains(&c)) {
            return None;
        }
        let mut chars: Vec<char> = text.chars().collect();
        let mut joined = false;
        let mut pair = String::new();
        let mut i = 1;
        while i + 1 < chars.len() {
            let (before, infix, after) = (chars[i - 1], chars[i], chars[i + 1]);
            if self.infixes.contains(&infix) && is_cjk(before) && is_cjk(after) {
                pair.clear();
                pair.extend([before, after]);
                if is_corpus_word(&pair) {
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
        let words = ["住院", "看病", "备案"];
        let is_word = |w: &str| words.contains(&w);
        let s = Separable::new(["了", "过", "的"]);
        assert_eq!(
            s.join("住了院怎么报", is_word).as_deref(),
            Some("住院了怎么报")
        );
        assert_eq!(
            s.join("看过病没备了案", is_word).as_deref(),
            Some("看病过没备案了")
        );
        // 去了医院: 去医 is no word; 了解: nothing before the particle.
        assert_eq!(s.join("去了医院", is_word), None);
        assert_eq!(s.join("了解", is_word), None);
        // Only one-character particles split a word.
        assert_eq!(Separable::new(["一下"]).join("住一下院", is_word), None);
    }
}
