//! What the corpus must decline even when a question shares its words
//! (`out-of-scope.txt`): hospital recommendations and medical advice share 医院, 治疗 and
//! place names with 医保 questions, but no FAQ answers them. A phrase may hold `*`, which
//! stands for up to eight characters: `哪家医院*好` matches `哪家医院看咽喉好`. A topic
//! may also list words that keep a question in scope whatever phrase it holds.

use super::datafile::{LineError, content_lines};
use aho_corasick::AhoCorasick;

use super::normalize::fold;

/// The out-of-scope topics, with one automaton over every phrase's first part so a
/// question is read once whatever the number of phrases.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    topics: Vec<OutOfScope>,
    /// For each automaton pattern: (topic, phrase).
    starts: Vec<(usize, usize)>,
    automaton: Option<AhoCorasick>,
}

impl Scope {
    pub fn new(topics: Vec<OutOfScope>) -> Scope {
        let mut starts = Vec::new();
        let mut patterns = Vec::new();
        for (t, topic) in topics.iter().enumerate() {
            for (p, parts) in topic.phrases.iter().enumerate() {
                starts.push((t, p));
                patterns.push(parts[0].clone());
            }
        }
        let automaton = (!patterns.is_empty())
            .then(|| AhoCorasick::new(&patterns).expect("phrases are plain strings"));
        Scope {
            topics,
            starts,
            automaton,
        }
    }

    pub fn topics(&self) -> &[OutOfScope] {
        &self.topics
    }

    /// Every phrase without a `*` (公积金, 养老保险): what a question may also spell in
    /// pinyin (`gongjijin`).
    pub fn plain_phrases(&self) -> impl Iterator<Item = &str> {
        self.topics
            .iter()
            .flat_map(|t| &t.phrases)
            .filter(|parts| parts.len() == 1)
            .map(|parts| parts[0].as_str())
    }

    /// The first topic (in file order) one of whose phrases `folded_question` contains.
    pub fn topic_of(&self, folded_question: &str) -> Option<usize> {
        let automaton = self.automaton.as_ref()?;
        automaton
            .find_overlapping_iter(folded_question)
            .filter(|m| {
                let (t, p) = self.starts[m.pattern().as_usize()];
                let topic = &self.topics[t];
                follows(&folded_question[m.end()..], &topic.phrases[p][1..])
                    && !topic
                        .unless
                        .iter()
                        .any(|u| folded_question.contains(u.as_str()))
            })
            .map(|m| self.starts[m.pattern().as_usize()].0)
            .min()
    }
}

/// A kind of question the corpus does not answer, and what to say instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutOfScope {
    pub name: String,
    /// Said in place of an answer (after the general decline).
    pub message: String,
    /// Folded phrases, each split at `*`; a question containing one belongs to this topic.
    phrases: Vec<Vec<String>>,
    /// Folded words that keep a question in scope even when it holds a phrase
    /// (`三甲医院` is out of scope, `省外三甲医院报销多少` is not).
    unless: Vec<String>,
}

/// A topic's message is shown with the general decline: it stays short.
const MAX_MESSAGE_CHARS: usize = 500;

/// Characters a `*` in a phrase may stand for.
const MAX_GAP: usize = 8;

/// Whether `text` starts with `parts` in order, each within `MAX_GAP` characters of the
/// end of the last.
fn follows(text: &str, parts: &[String]) -> bool {
    let mut at = 0;
    for part in parts {
        let window: String = text[at..]
            .chars()
            .take(MAX_GAP + part.chars().count())
            .collect();
        match window.find(part.as_str()) {
            Some(i) => at += i + part.len(),
            None => return false,
        }
    }
    true
}

/// Parses `name | message | phrase, phrase, …` lines; `#` starts a comment line.
pub fn parse(text: &str) -> Result<Scope, Vec<LineError>> {
    let mut topics = Vec::new();
    let mut errors = Vec::new();
    for (n, line) in content_lines(text) {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let (name, message, phrases, unless) = match parts[..] {
            [name, message, phrases] => (name, message, phrases, ""),
            [name, message, phrases, unless] => (name, message, phrases, unless),
            _ => {
                errors.push(LineError::new(n, format!("unknown syntax \"{line}\": expected `name | message | phrase, phrase, … [| word, word, …]`")));
                continue;
            }
        };
        let unless: Vec<String> = unless
            .split([',', '\u{FF0C}', '\u{3001}'])
            .map(fold)
            .filter(|w| !w.is_empty())
            .collect();
        let phrases: Vec<Vec<String>> = phrases
            .split([',', '\u{FF0C}', '\u{3001}'])
            .map(|p| {
                p.split('*')
                    .map(fold)
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
            })
            .filter(|p| !p.is_empty())
            .collect();
        if message.chars().count() > MAX_MESSAGE_CHARS {
            errors.push(LineError::new(
                n,
                format!("the message has more than {MAX_MESSAGE_CHARS} characters"),
            ));
            continue;
        }
        if name.is_empty() || message.is_empty() || phrases.is_empty() {
            errors.push(LineError::new(
                n,
                "a topic needs a name, a message and at least one phrase",
            ));
            continue;
        }
        topics.push(OutOfScope {
            name: name.to_string(),
            message: message.to_string(),
            phrases,
            unless,
        });
    }
    if errors.is_empty() {
        Ok(Scope::new(topics))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_star_stands_for_a_short_gap() {
        let scope =
            parse("医院 | 请问医院。 | 哪家医院*好, 三甲医院\n药 | 问医生。 | 吃什么药").unwrap();
        assert_eq!(scope.topic_of(&fold("郑州哪家医院看咽喉好")), Some(0));
        assert_eq!(scope.topic_of(&fold("辽源三甲医院")), Some(0));
        assert_eq!(scope.topic_of(&fold("头疼吃什么药")), Some(1));
        assert_eq!(scope.topic_of(&fold("哪家医院能直接结算")), None);
        assert_eq!(
            scope.topic_of(&fold("哪家医院能直接结算异地医保报销比例好高")),
            None
        );
    }

    #[test]
    fn full_width_commas_separate_phrases() {
        let scope = parse("药 | 问医生。 | 吃什么药\u{FF0C}用什么药\u{3001}怎么治").unwrap();
        assert_eq!(scope.topic_of(&fold("头疼用什么药")), Some(0));
        assert_eq!(scope.topic_of(&fold("这病怎么治")), Some(0));
    }

    #[test]
    fn unless_words_keep_a_question_in_scope() {
        let scope = parse("医院 | 请问医院。 | 三甲医院 | 报销, 医保").unwrap();
        assert_eq!(scope.topic_of(&fold("辽源三甲医院")), Some(0));
        assert_eq!(scope.topic_of(&fold("省外三甲医院报销多少")), None);
    }
}
