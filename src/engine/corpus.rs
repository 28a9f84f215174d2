//! The FAQ corpus: entries, their sections and sources, and the data files beside them
//! (disclaimer, synonyms, user dictionary, places, out-of-scope topics). Loading and
//! validating a folder of them is `load.rs`'s work.

use serde::Deserialize;

use super::places::Places;
use super::scope::Scope;
use super::synonyms::Synonyms;
use super::userdict::UserWord;

/// A folder of FAQ data, loaded and validated.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub entries: Vec<Entry>,
    /// Shown under every answer.
    pub disclaimer: String,
    /// Said when the corpus cannot answer: what it covers and where to ask instead.
    pub decline: String,
    /// The bot's greeting (/start), when the corpus has one.
    pub welcome: Option<String>,
    pub synonyms: Synonyms,
    /// Domain words for the segmenter, with optional part-of-speech tags.
    pub user_words: Vec<UserWord>,
    /// Which cities lie in which province.
    pub places: Places,
    /// Kinds of question the corpus declines even when they share its words.
    pub out_of_scope: Scope,
}

/// One FAQ entry: a canonical question, the other ways people ask it, and the answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub id: String,
    pub question: String,
    pub alternates: Vec<String>,
    pub category: String,
    pub answer: String,
    pub source: Source,
    #[serde(default)]
    pub sections: Vec<Section>,
}

/// A part of a long answer that answers a narrower question on its own.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub alternates: Vec<String>,
    pub answer: String,
}

/// Where an answer comes from. `date` is `None` when the source carries none.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub file: String,
    pub title: String,
    pub date: Option<String>,
}

/// Splits an `answer` text into its one-line conclusion and the content after it.
pub fn split_answer(answer: &str) -> (&str, &str) {
    let answer = answer.trim();
    match answer.split_once('\n') {
        Some((first, rest)) => (first.trim(), rest.trim()),
        None => (answer, ""),
    }
}

impl Corpus {
    /// The position of entry `id` (a scan: ids are looked up per button tap, not per
    /// question).
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.entries.iter().position(|e| e.id == id)
    }

    /// Categories in the order they first appear.
    pub fn categories(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for entry in &self.entries {
            if !seen.contains(&entry.category.as_str()) {
                seen.push(&entry.category);
            }
        }
        seen
    }
}
