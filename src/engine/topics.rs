//! Topics people name in a word or two (`topics.txt`): `报销`, `备案`, `共济`. A question
//! that is only a topic's keywords, and that no entry answers outright, gets the topic's
//! most useful entries to choose from instead of "I don't know".

use super::corpus::Entry;
use super::datafile::{LineError, content_lines};
use super::normalize::fold;

/// One topic: its name, the words that name it, and its entries, most useful first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub name: String,
    /// Folded, as written (the matcher rewrites them with the corpus's synonyms).
    keywords: Vec<String>,
    /// Entry ids as written; checked against the corpus when it loads.
    entry_ids: Vec<String>,
    /// Entry indices, resolved when the corpus loads.
    pub entries: Vec<usize>,
}

impl Topic {
    pub fn keywords(&self) -> &[String] {
        &self.keywords
    }
}

/// Parses `name | keyword, keyword, … | entry-id, entry-id, …` lines; the entries may be
/// left out (`name | keywords`), and are then the entries whose question names a keyword,
/// general ones (no place, no year) first.
pub fn parse(text: &str) -> Result<Vec<Topic>, Vec<LineError>> {
    let mut topics = Vec::new();
    let mut errors = Vec::new();
    let list = |s: &str| -> Vec<String> {
        s.split([',', '\u{FF0C}', '\u{3001}'])
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    for (n, line) in content_lines(text) {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let (name, keywords, entries) = match parts[..] {
            [name, keywords] => (name, keywords, ""),
            [name, keywords, entries] => (name, keywords, entries),
            _ => {
                errors.push(LineError::new(
                    n,
                    format!(
                        "unknown syntax \"{line}\": expected `name | keyword, keyword, … [| entry-id, entry-id, …]`"
                    ),
                ));
                continue;
            }
        };
        let keywords: Vec<String> = list(keywords).iter().map(|k| fold(k)).collect();
        if name.is_empty() || keywords.is_empty() {
            errors.push(LineError::new(
                n,
                "a topic needs a name and at least one keyword",
            ));
            continue;
        }
        topics.push(Topic {
            name: name.to_string(),
            keywords,
            entry_ids: list(entries),
            entries: Vec::new(),
        });
    }
    if errors.is_empty() {
        Ok(topics)
    } else {
        Err(errors)
    }
}

/// Resolves every topic's entries against `entries`; returns the ids no entry has.
pub fn resolve(
    topics: &mut [Topic],
    entries: &[Entry],
    is_general: impl Fn(&Entry) -> bool,
) -> Vec<String> {
    let mut unknown = Vec::new();
    for topic in topics {
        if topic.entry_ids.is_empty() {
            let mut named: Vec<usize> = (0..entries.len())
                .filter(|&i| {
                    let question = fold(&entries[i].question);
                    topic.keywords.iter().any(|k| question.contains(k.as_str()))
                })
                .collect();
            // Stable: corpus order within general and specific.
            named.sort_by_key(|&i| !is_general(&entries[i]));
            topic.entries = named;
            continue;
        }
        topic.entries = topic
            .entry_ids
            .iter()
            .filter_map(|id| match entries.iter().position(|e| &e.id == id) {
                Some(i) => Some(i),
                None => {
                    unknown.push(id.clone());
                    None
                }
            })
            .collect();
    }
    unknown
}
