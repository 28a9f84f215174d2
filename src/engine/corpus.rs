//! The FAQ corpus: entries, their sections and sources, and the data files beside them
//! (disclaimer, synonyms, user dictionary, places, out-of-scope topics). Loading and
//! validating a folder of them is `load.rs`'s work.

use serde::Deserialize;

use super::lexicon::Lexicon;
use super::places::Places;
use super::roles::{Role, Roles};
use super::scope::Scope;
use super::segment::place_key;
use super::smalltalk::SmallTalk;
use super::synonyms::Synonyms;
use super::topics::Topic;
use super::userdict::UserWord;
use super::validate::Problem;

/// A folder of FAQ data, loaded and validated.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub entries: Vec<Entry>,
    /// The disclaimer in full, for /about and /start.
    pub disclaimer: String,
    /// The disclaimer in one short line, under every answer.
    pub disclaimer_short: String,
    /// Said when the corpus cannot answer: its first line says so, the rest what it
    /// covers and where to ask instead.
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
    /// Filler, negations, question words (`words.txt`).
    pub lexicon: Lexicon,
    /// How the words around a place say what role it plays (`roles.txt`).
    pub roles: Roles,
    /// Topics people name in a word or two, with their entries (`topics.txt`).
    pub topics: Vec<Topic>,
    /// Greetings, thanks, requests for a human… and their replies (`smalltalk.txt`).
    pub small_talk: Vec<SmallTalk>,
    /// What makes the corpus weaker without making it unusable (`check` lists them).
    pub warnings: Vec<Problem>,
}

/// One FAQ entry: a canonical question, the other ways people ask it, and the answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub id: String,
    pub question: String,
    /// The question as a button says it: natural, at most [`MAX_SHORT_CHARS`].
    pub short: Option<String>,
    #[serde(default)]
    pub alternates: Vec<String>,
    /// Never empty once loaded (an entry without one is listed under 其他).
    #[serde(default)]
    pub category: String,
    pub answer: String,
    /// The key points that answer the question on a phone's first screen, with the
    /// conclusion (at most three).
    #[serde(default)]
    pub points: Vec<String>,
    /// Where the answer comes from, when the corpus says.
    #[serde(default)]
    pub source: Option<Source>,
    #[serde(default)]
    pub sections: Vec<Section>,
    /// The roles of the places its question names, where the words around them do not
    /// say (`江西可以异地刷医保吗`: insured in 江西). A place in neither list plays any role.
    #[serde(default)]
    pub roles: Option<PlaceRoles>,
}

/// Which places an entry is about as where someone is insured, and which as where they
/// are treated.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceRoles {
    #[serde(default)]
    pub insured: Vec<String>,
    #[serde(default)]
    pub treated: Vec<String>,
}

impl PlaceRoles {
    /// The role of `place`: one of the two, or any (listed in both, or in neither).
    pub fn role_of(&self, place: &str) -> Option<Role> {
        let is = |list: &[String]| list.iter().any(|p| place_key(p) == place);
        match (is(&self.insured), is(&self.treated)) {
            (true, false) => Some(Role::Insured),
            (false, true) => Some(Role::Treated),
            _ => None,
        }
    }
}

/// A part of a long answer that answers a narrower question on its own.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub short: Option<String>,
    #[serde(default)]
    pub alternates: Vec<String>,
    pub answer: String,
    #[serde(default)]
    pub points: Vec<String>,
}

/// A button label's length limit: longer ones are cut off on narrow phones.
pub const MAX_SHORT_CHARS: usize = 14;
/// Key points per answer, and a point's length limit.
pub const MAX_POINTS: usize = 3;
pub const MAX_POINT_CHARS: usize = 45;

/// Where an answer comes from. `date` is `None` when the source carries none.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The source document's file name; empty when not given.
    #[serde(default)]
    pub file: String,
    pub title: String,
    #[serde(default)]
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
    /// What the decline says besides "I cannot answer": what the corpus covers and where
    /// to ask instead (said after an out-of-scope topic's own message, which already
    /// says it cannot answer).
    pub fn decline_pointer(&self) -> &str {
        match self.decline.split_once('\n') {
            Some((_, rest)) if !rest.trim().is_empty() => rest.trim(),
            _ => &self.decline,
        }
    }

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
