//! What the corpus must decline even when a question shares its words
//! (`out-of-scope.txt`): hospital recommendations and medical advice share 医院, 治疗 and
//! place names with 医保 questions, but no FAQ answers them.

use crate::normalize::fold;

/// A kind of question the corpus does not answer, and what to say instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutOfScope {
    pub name: String,
    /// Said in place of an answer (after the general decline).
    pub message: String,
    /// Folded phrases; a question containing one belongs to this topic.
    phrases: Vec<String>,
}

impl OutOfScope {
    /// Whether a question, folded, contains one of the topic's phrases.
    pub fn matches(&self, folded_question: &str) -> bool {
        self.phrases.iter().any(|p| folded_question.contains(p.as_str()))
    }
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
        let phrases: Vec<String> = phrases
            .split([',', ','])
            .map(fold)
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
