//! The FAQ corpus: entries, their sections and sources, and the data files beside them
//! (disclaimer, synonyms, user dictionary), loaded from one folder and validated.
//!
//! Loading never stops at the first problem: every problem found is collected with its
//! file and entry, so a maintainer can fix a whole folder in one pass. A corpus with any
//! problem is refused.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::places::Places;
use crate::scope::Scope;
use crate::synonyms::Synonyms;
use crate::userdict::UserWord;
use crate::validate;

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

impl Entry {
    pub fn conclusion(&self) -> &str {
        split_answer(&self.answer).0
    }

    pub fn content(&self) -> &str {
        split_answer(&self.answer).1
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }
}

impl Section {
    pub fn conclusion(&self) -> &str {
        split_answer(&self.answer).0
    }

    pub fn content(&self) -> &str {
        split_answer(&self.answer).1
    }
}

/// Problems in a line-oriented data file: (line number, message).
pub type LineErrors = Vec<(usize, String)>;

/// The lines of a data file that say something, trimmed, with their numbers: blank lines
/// and `#` comments are skipped.
pub fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
}

/// One thing wrong with a corpus folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    /// Which entry, as `#3 (id)` or `#3`, when the problem belongs to one.
    pub entry: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(entry) = &self.entry {
            write!(f, ": entry {entry}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Why a corpus could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("cannot read FAQ folder {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the FAQ folder has {} problem(s):\n{}", .0.len(), list(.0))]
    Invalid(Vec<Problem>),
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Corpus {
    /// Loads and validates every file in `dir`. Any problem refuses the whole corpus.
    pub fn load(dir: &Path) -> Result<Corpus, CorpusError> {
        let io = |source| CorpusError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut json_files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        json_files.sort();

        let mut problems = Vec::new();
        if json_files.is_empty() {
            problems.push(Problem {
                file: dir.to_path_buf(),
                entry: None,
                message: "no *.json entry files".into(),
            });
        }
        let mut entries = Vec::new();
        for path in &json_files {
            match std::fs::read_to_string(path) {
                Ok(text) => entries.extend(validate::entries_file(path, &text, &mut problems)),
                Err(e) => problems.push(Problem {
                    file: path.clone(),
                    entry: None,
                    message: format!("cannot read: {e}"),
                }),
            }
        }
        validate::across_entries(&entries, &mut problems);

        let disclaimer = read_required(&dir.join("disclaimer.txt"), MAX_FOOTER_TEXT, &mut problems);
        let decline = read_required(&dir.join("decline.txt"), MAX_TEXT, &mut problems);
        let welcome = read_optional(&dir.join("welcome.txt"), &mut problems, |text| {
            check_length(text, MAX_TEXT)
                .map(|()| text.trim().to_string())
                .map_err(|message| vec![(1, message)])
        })
        .filter(|w| !w.is_empty());

        let synonyms = read_optional(&dir.join("synonyms.txt"), &mut problems, Synonyms::parse)
            .unwrap_or_default();
        let user_words = read_optional(
            &dir.join("userdict.txt"),
            &mut problems,
            crate::userdict::parse,
        )
        .unwrap_or_default();
        let places = read_optional(&dir.join("places.txt"), &mut problems, Places::parse)
            .unwrap_or_default();
        let out_of_scope = read_optional(
            &dir.join("out-of-scope.txt"),
            &mut problems,
            crate::scope::parse,
        )
        .unwrap_or_default();

        if problems.is_empty() {
            Ok(Corpus {
                entries: entries.into_iter().map(|(_, entry)| entry).collect(),
                disclaimer,
                decline,
                welcome,
                synonyms,
                user_words,
                places,
                out_of_scope,
            })
        } else {
            Err(CorpusError::Invalid(problems))
        }
    }

    /// The position of entry `id` (a scan: ids are looked up per button tap, not per
    /// question).
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.entries.iter().position(|e| e.id == id)
    }

    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.index_of(id).map(|i| &self.entries[i])
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

/// Reads a required, non-empty text file.
/// Reads a required, non-empty text file of at most `max_chars` characters (it goes
/// into messages, which have a length limit).
fn read_required(path: &Path, max_chars: usize, problems: &mut Vec<Problem>) -> String {
    let problem = |message: String| Problem {
        file: path.to_path_buf(),
        entry: None,
        message,
    };
    match std::fs::read_to_string(path) {
        Ok(text) if text.trim().is_empty() => problems.push(problem("the file is empty".into())),
        Ok(text) => match check_length(&text, max_chars) {
            Ok(()) => return text.trim().to_string(),
            Err(message) => problems.push(problem(message)),
        },
        Err(e) => problems.push(problem(format!("missing required file: {e}"))),
    }
    String::new()
}

/// Texts shown with every answer stay short enough to leave room for the answer.
const MAX_FOOTER_TEXT: usize = 500;
/// Texts shown on their own (decline, welcome).
const MAX_TEXT: usize = 1000;

fn check_length(text: &str, max_chars: usize) -> Result<(), String> {
    let n = text.trim().chars().count();
    if n > max_chars {
        Err(format!("{n} characters; at most {max_chars}"))
    } else {
        Ok(())
    }
}

/// Reads an optional data file and parses it, turning line errors into problems.
fn read_optional<T>(
    path: &Path,
    problems: &mut Vec<Problem>,
    parse: fn(&str) -> Result<T, LineErrors>,
) -> Option<T> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            problems.push(Problem {
                file: path.to_path_buf(),
                entry: None,
                message: format!("cannot read: {e}"),
            });
            return None;
        }
    };
    match parse(&text) {
        Ok(value) => Some(value),
        Err(errors) => {
            problems.extend(errors.into_iter().map(|(line, message)| Problem {
                file: path.to_path_buf(),
                entry: None,
                message: format!("line {line}: {message}"),
            }));
            None
        }
    }
}
