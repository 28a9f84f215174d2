//! What the corpus must decline even when a question shares its words
//! (`out-of-scope.txt`): hospital recommendations and medical advice share 医院, 治疗 and
//! place names with 医保 questions, but no FAQ answers them. A phrase may hold `*`, which
//! stands for up to eight characters: `哪家医院*好` matches `哪家医院看咽喉好`.

use crate::normalize::fold;

/// A kind of question the corpus does not answer, and what to say instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutOfScope {
    pub name: String,
    /// Said in place of an answer (after the general decline).
    pub message: String,
    /// Folded phrases, each split at `*`; a question containing one belongs to this topic.
    phrases: Vec<Vec<String>>,
}

/// Characters a `*` in a phrase may stand for.
const MAX_GAP: usize = 8;

impl OutOfScope {
    /// Whether a question, folded, contains one of the topic's phrases.
    pub fn matches(&self, folded_question: &str) -> bool {
        self.phrases.iter().any(|parts| contains_in_order(folded_question, parts))
    }
}

/// Whether `text` holds `parts` in order, each within `MAX_GAP` characters of the last.
fn contains_in_order(text: &str, parts: &[String]) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return false;
    };
    text.match_indices(first.as_str()).any(|(start, _)| {
        let mut at = start + first.len();
        for part in rest {
            let window: String = text[at..].chars().take(MAX_GAP + part.chars().count()).collect();
            match window.find(part.as_str()) {
                Some(i) => at += i + part.len(),
                None => return false,
            }
        }
        true
    })
}

/// Parses `name | message | phrase, phrase, …` lines; `#` starts a comment line.
pub fn parse(text: &str) -> Result<Vec<OutOfScope>, Vec<(usize, String)>> {
    let mut topics = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let [name, message, phrases] = parts[..] else {
            errors.push((n, format!("unknown syntax \"{line}\": expected `name | message | phrase, phrase, …`")));
            continue;
        };
        let phrases: Vec<Vec<String>> = phrases
            .split([',', ','])
            .map(|p| p.split('*').map(fold).filter(|s| !s.is_empty()).collect::<Vec<_>>())
            .filter(|p| !p.is_empty())
            .collect();
        if name.is_empty() || message.is_empty() || phrases.is_empty() {
            errors.push((n, "a topic needs a name, a message and at least one phrase".into()));
            continue;
        }
        topics.push(OutOfScope {
            name: name.to_string(),
            message: message.to_string(),
            phrases,
        });
    }
    if errors.is_empty() { Ok(topics) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_star_stands_for_a_short_gap() {
        let topics = parse("医院 | 请问医院。 | 哪家医院*好, 三甲医院").unwrap();
        let t = &topics[0];
        assert!(t.matches(&fold("郑州哪家医院看咽喉好")));
        assert!(t.matches(&fold("辽源三甲医院")));
        assert!(!t.matches(&fold("哪家医院能直接结算")));
        assert!(!t.matches(&fold("哪家医院能直接结算异地医保报销比例好高")));
    }
}
