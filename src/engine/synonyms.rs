//! Synonym groups from `synonyms.txt`: words people use interchangeably, rewritten to one
//! canonical word in questions and entries alike before they are compared.

use super::datafile::{LineError, content_lines};
use aho_corasick::{AhoCorasick, MatchKind};

use super::normalize::fold;

/// Synonym groups, ready to rewrite text. Longer words win over the shorter ones they
/// contain, so `爸爸妈妈` is rewritten whole rather than as `爸爸` + `妈妈`.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    /// Each group's words, canonical first, as written in the file (folded).
    groups: Vec<Vec<String>>,
    /// For every word (the automaton's pattern of the same index), the canonical word it
    /// becomes. Canonical words map to themselves so that a longer canonical word is never
    /// rewritten from inside.
    canonical: Vec<String>,
    automaton: Option<AhoCorasick>,
}

impl Synonyms {
    /// Parses `word = word = …` lines; `#` starts a comment line. Errors carry line numbers.
    pub fn parse(text: &str) -> Result<Synonyms, Vec<LineError>> {
        let mut errors = Vec::new();
        let mut groups: Vec<Vec<String>> = Vec::new();
        let mut seen: std::collections::HashMap<String, usize> = Default::default();
        for (n, line) in content_lines(text) {
            if !line.contains('=') {
                errors.push(LineError::new(
                    n,
                    format!("unknown syntax \"{line}\": expected `word = word = …`"),
                ));
                continue;
            }
            let words: Vec<String> = line.split('=').map(fold).collect();
            if words.iter().any(String::is_empty) {
                errors.push(LineError::new(n, format!("empty word in \"{line}\"")));
                continue;
            }
            let mut group = Vec::new();
            for w in words {
                match seen.get(&w) {
                    Some(&first) => errors.push(LineError::new(
                        n,
                        format!("\"{w}\" is already in the group on line {first}"),
                    )),
                    None => {
                        seen.insert(w.clone(), n);
                        group.push(w);
                    }
                }
            }
            if group.len() >= 2 {
                groups.push(group);
            }
        }
        if errors.is_empty() {
            Ok(Synonyms::from_groups(groups))
        } else {
            Err(errors)
        }
    }

    pub fn from_groups(groups: Vec<Vec<String>>) -> Synonyms {
        let mut variants = Vec::new();
        let mut canonical = Vec::new();
        for group in &groups {
            for w in group {
                variants.push(w.clone());
                canonical.push(group[0].clone());
            }
        }
        let automaton = (!variants.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&variants)
                .expect("synonym words are plain strings")
        });
        Synonyms {
            groups,
            canonical,
            automaton,
        }
    }

    /// Every word of every group (for the segmenter's dictionary).
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.groups.iter().flatten().map(String::as_str)
    }

    /// Rewrites every variant in `text` to its canonical word.
    pub fn rewrite(&self, text: &str) -> String {
        let Some(ac) = &self.automaton else {
            return text.to_string();
        };
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for m in ac.find_iter(text) {
            out.push_str(&text[last..m.start()]);
            out.push_str(&self.canonical[m.pattern().as_usize()]);
            last = m.end();
        }
        out.push_str(&text[last..]);
        out
    }
}
