//! Loading a corpus folder: every entries file and data file is read and checked, and
//! every problem found is collected with its file and entry, so a maintainer can fix a
//! whole folder in one pass. A corpus with any error is refused; warnings are kept with
//! it (see `validate.rs` for which is which).

use std::path::{Path, PathBuf};

use super::corpus::{Corpus, Entry};
use super::datafile::LineError;
use super::lexicon::Lexicon;
use super::places::Places;
use super::roles::Roles;
use super::synonyms::Synonyms;
use super::validate::{self, Problem};
use super::{scope, smalltalk, topics, userdict};

/// Why a corpus could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("cannot read FAQ folder {path} (choose it with --faq or YIBAO_FAQ)")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Every problem found: at least one error, and any warnings.
    #[error("the FAQ folder has {} error(s):\n{}", errors(.0).count(), list(.0))]
    Invalid(Vec<Problem>),
}

fn errors(problems: &[Problem]) -> impl Iterator<Item = &Problem> {
    problems.iter().filter(|p| !p.warning)
}

/// The errors, one per line (the warnings are `check`'s to list).
fn list(problems: &[Problem]) -> String {
    errors(problems)
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Corpus {
    /// Loads and validates every file in `dir`. Any error refuses the whole corpus;
    /// warnings come with it, in `warnings`.
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
            problems.push(Problem::in_file(dir, "no *.json entry files"));
        }
        let mut entries = Vec::new();
        for path in &json_files {
            match read_text(path) {
                Ok(text) => entries.extend(validate::entries_file(path, &text, &mut problems)),
                Err(e) => problems.push(Problem::in_file(path, format!("cannot read: {e}"))),
            }
        }
        validate::across_entries(&mut entries, &mut problems);

        let disclaimer = read_required(&dir.join("disclaimer.txt"), MAX_FOOTER_TEXT, &mut problems);
        let disclaimer_short =
            read_optional(&dir.join("disclaimer-short.txt"), &mut problems, |text| {
                check_length(text, MAX_SHORT_TEXT)
                    .map(|()| text.trim().to_string())
                    .map_err(|message| vec![LineError::new(1, message)])
            })
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| first_sentence(&disclaimer));
        let decline = read_required(&dir.join("decline.txt"), MAX_TEXT, &mut problems);
        let welcome = read_optional(&dir.join("welcome.txt"), &mut problems, |text| {
            check_length(text, MAX_TEXT)
                .map(|()| text.trim().to_string())
                .map_err(|message| vec![LineError::new(1, message)])
        })
        .filter(|w| !w.is_empty());

        let synonyms = read_optional(&dir.join("synonyms.txt"), &mut problems, Synonyms::parse)
            .unwrap_or_default();
        let user_words = read_optional(&dir.join("userdict.txt"), &mut problems, userdict::parse)
            .unwrap_or_default();
        let places = read_optional(&dir.join("places.txt"), &mut problems, Places::parse)
            .unwrap_or_default();
        let out_of_scope =
            read_optional(&dir.join("out-of-scope.txt"), &mut problems, scope::parse)
                .unwrap_or_default();
        let lexicon = read_optional(&dir.join("words.txt"), &mut problems, Lexicon::parse)
            .unwrap_or_default();
        let roles =
            read_optional(&dir.join("roles.txt"), &mut problems, Roles::parse).unwrap_or_default();
        validate::entry_places(&entries, &places, &mut problems);
        let small_talk = read_optional(&dir.join("smalltalk.txt"), &mut problems, smalltalk::parse)
            .unwrap_or_default();
        let topics_file = dir.join("topics.txt");
        let mut topics =
            read_optional(&topics_file, &mut problems, topics::parse).unwrap_or_default();
        let entries: Vec<Entry> = entries.into_iter().map(|(_, entry)| entry).collect();
        let general = |e: &Entry| {
            !e.question.chars().any(|c| c.is_ascii_digit())
                && !places.names().any(|p| e.question.contains(p))
        };
        for id in topics::resolve(&mut topics, &entries, general) {
            problems.push(Problem::in_file(
                &topics_file,
                format!("no entry has the id `{id}`"),
            ));
        }

        if problems.iter().all(|p| p.warning) {
            Ok(Corpus {
                entries,
                disclaimer,
                disclaimer_short,
                decline,
                welcome,
                synonyms,
                user_words,
                places,
                out_of_scope,
                lexicon,
                roles,
                topics,
                small_talk,
                warnings: problems,
            })
        } else {
            Err(CorpusError::Invalid(problems))
        }
    }
}

/// Reads a required, non-empty text file of at most `max_chars` characters (it goes
/// into messages, which have a length limit).
fn read_required(path: &Path, max_chars: usize, problems: &mut Vec<Problem>) -> String {
    let problem = |message: String| Problem::in_file(path, message);
    match read_text(path) {
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
/// The short disclaimer is one line under every answer.
const MAX_SHORT_TEXT: usize = 60;

/// The first sentence of `text` (to its first 。), for a one-line disclaimer when the
/// corpus gives none.
fn first_sentence(text: &str) -> String {
    match text.find('。') {
        Some(i) => text[..i + '。'.len_utf8()].to_string(),
        None => text.to_string(),
    }
}
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
    parse: fn(&str) -> Result<T, Vec<LineError>>,
) -> Option<T> {
    let text = match read_text(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            problems.push(Problem::in_file(path, format!("cannot read: {e}")));
            return None;
        }
    };
    match parse(&text) {
        Ok(value) => Some(value),
        Err(errors) => {
            problems.extend(
                errors
                    .into_iter()
                    .map(|error| Problem::in_file(path, error.to_string())),
            );
            None
        }
    }
}

/// A file's text, without the byte-order mark some editors put in front (it would show
/// in every answer, and JSON does not allow it).
fn read_text(path: &Path) -> std::io::Result<String> {
    let text = std::fs::read_to_string(path)?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}
