//! Corpus validation: checks each entries file field by field (so every problem is
//! reported, not only serde's first) and then checks the entries against each other.
//!
//! Problems come in two kinds. An error makes a corpus unusable — malformed JSON, an entry
//! without an id, a question or an answer, a malformed id or date, two entries with the
//! same id or sharing a phrasing — and refuses it. A warning makes it weaker — no or few
//! alternates, a long conclusion, no content under it, no source or date, a label or key
//! point past its length — and never stops it from being served: `check` lists them.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::corpus::{Entry, MAX_POINT_CHARS, MAX_POINTS, MAX_SHORT_CHARS, split_answer};
use super::normalize::Normalizer;
use super::places::Places;

/// Longest conclusion line, in characters.
pub const MAX_CONCLUSION_CHARS: usize = 60;
/// Ids go into links and 64-byte button data, so they stay short.
pub const MAX_ID_LEN: usize = 32;
pub const MAX_SECTION_ID_LEN: usize = 16;
/// Fewer alternates than this and people's own ways of asking are missed.
pub const MIN_ALTERNATES: usize = 8;
/// The category of an entry that names none.
pub const DEFAULT_CATEGORY: &str = "其他";

const ENTRY_FIELDS: &[&str] = &[
    "id",
    "question",
    "short",
    "alternates",
    "category",
    "answer",
    "points",
    "source",
    "sections",
    "roles",
];
const SECTION_FIELDS: &[&str] = &["id", "title", "short", "alternates", "answer", "points"];
const SOURCE_FIELDS: &[&str] = &["file", "title", "date"];

/// One thing wrong with a corpus folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    /// Which entry, as `#3 (id)` or `#3`, when the problem belongs to one.
    pub entry: Option<String>,
    pub message: String,
    /// A weakness, not a fault: the corpus is served all the same.
    pub warning: bool,
}

impl Problem {
    /// An error about a whole file.
    pub fn in_file(file: &Path, message: impl Into<String>) -> Problem {
        Problem {
            file: file.to_path_buf(),
            entry: None,
            message: message.into(),
            warning: false,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(entry) = &self.entry {
            write!(f, ": entry {entry}")?;
        }
        let kind = if self.warning { "warning: " } else { "" };
        write!(f, ": {kind}{}", self.message)
    }
}

/// Where an entry was found, for problem reports.
#[derive(Debug, Clone)]
pub struct Location {
    pub file: PathBuf,
    pub label: String,
}

impl Location {
    fn problem(&self, message: String, warning: bool) -> Problem {
        Problem {
            file: self.file.clone(),
            entry: Some(self.label.clone()),
            message,
            warning,
        }
    }
}

/// Collects problems for one entry.
struct Report<'a> {
    at: Location,
    problems: &'a mut Vec<Problem>,
    errors: usize,
}

impl Report<'_> {
    fn error(&mut self, message: impl Into<String>) {
        self.errors += 1;
        self.problems.push(self.at.problem(message.into(), false));
    }

    fn warn(&mut self, message: impl Into<String>) {
        self.problems.push(self.at.problem(message.into(), true));
    }
}

/// Parses and checks one `*.json` file; returns the entries without errors.
pub fn entries_file(
    path: &Path,
    text: &str,
    problems: &mut Vec<Problem>,
) -> Vec<(Location, Entry)> {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            problems.push(Problem::in_file(
                path,
                format!(
                    "malformed JSON at line {}, column {}: {e}",
                    e.line(),
                    e.column()
                ),
            ));
            return Vec::new();
        }
    };
    let Value::Array(items) = value else {
        problems.push(Problem::in_file(
            path,
            "the file must hold a JSON array of entries",
        ));
        return Vec::new();
    };
    if items.is_empty() {
        problems.push(Problem::in_file(path, "the array holds no entries"));
    }

    let mut good = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let label = match item.get("id").and_then(Value::as_str) {
            Some(id) if !id.is_empty() => format!("#{} ({id})", i + 1),
            _ => format!("#{}", i + 1),
        };
        let at = Location {
            file: path.to_path_buf(),
            label,
        };
        let mut report = Report {
            at: at.clone(),
            problems,
            errors: 0,
        };
        check_entry(&item, &mut report);
        if report.errors == 0 {
            match serde_json::from_value::<Entry>(item) {
                Ok(mut entry) => {
                    if entry.category.trim().is_empty() {
                        entry.category = DEFAULT_CATEGORY.to_string();
                    }
                    good.push((at, entry));
                }
                Err(e) => report.error(format!("cannot read entry: {e}")),
            }
        }
    }
    good
}

fn check_entry(item: &Value, report: &mut Report) {
    let Some(obj) = item.as_object() else {
        report.error("an entry must be a JSON object");
        return;
    };
    unknown_fields(obj, ENTRY_FIELDS, "", report);
    check_id(obj, MAX_ID_LEN, "", report);
    text_field(obj, "question", "", report);
    alternates(obj, "", report);
    match obj.get("category") {
        None | Some(Value::Null) => {
            report.warn(format!("no `category`: listed under {DEFAULT_CATEGORY}"))
        }
        Some(Value::String(s)) if s.trim().is_empty() => {
            report.warn(format!("empty `category`: listed under {DEFAULT_CATEGORY}"))
        }
        Some(Value::String(_)) => {}
        Some(_) => report.error("`category` must be a string"),
    }
    answer(obj, "", report);
    short_and_points(obj, "", report);
    match obj.get("source") {
        None | Some(Value::Null) => {
            report.warn("no `source`: answers say 来源未注明 (give file, title and date)")
        }
        Some(Value::Object(source)) => {
            unknown_fields(source, SOURCE_FIELDS, "source.", report);
            text_field(source, "title", "source.", report);
            match source.get("file") {
                None | Some(Value::Null) | Some(Value::String(_)) => {}
                Some(_) => report.error("`source.file` must be a string"),
            }
            match source.get("date") {
                None => report.warn(
                    "no `source.date`: answers say 原文未注明日期 (use null when the source has none)",
                ),
                Some(Value::Null) => {}
                Some(Value::String(d)) if is_date(d) => {}
                Some(other) => report.error(format!(
                    "`source.date` must be YYYY-MM-DD or null, not {other}"
                )),
            }
        }
        Some(_) => report.error("`source` must be an object with file, title and date"),
    }
    match obj.get("roles") {
        None | Some(Value::Null) => {}
        Some(Value::Object(roles)) => {
            unknown_fields(roles, &["insured", "treated"], "roles.", report);
            for (role, names) in roles {
                let all_strings = names
                    .as_array()
                    .is_some_and(|a| a.iter().all(Value::is_string));
                if !all_strings {
                    report.error(format!("`roles.{role}` must be an array of place names"));
                }
            }
        }
        Some(_) => report.error("`roles` must be an object with `insured` and `treated` lists"),
    }
    match obj.get("sections") {
        None => {}
        Some(Value::Array(sections)) => {
            let mut ids: Vec<&str> = Vec::new();
            for (j, section) in sections.iter().enumerate() {
                let at = format!("sections[{j}].");
                let Some(s) = section.as_object() else {
                    report.error(format!("`sections[{j}]` must be an object"));
                    continue;
                };
                unknown_fields(s, SECTION_FIELDS, &at, report);
                check_id(s, MAX_SECTION_ID_LEN, &at, report);
                if let Some(id) = s.get("id").and_then(Value::as_str) {
                    if ids.contains(&id) {
                        report.error(format!("duplicate section id `{id}`"));
                    }
                    ids.push(id);
                }
                text_field(s, "title", &at, report);
                alternates(s, &at, report);
                answer(s, &at, report);
                short_and_points(s, &at, report);
            }
        }
        Some(_) => report.error("`sections` must be an array"),
    }
}

fn unknown_fields(obj: &Map<String, Value>, known: &[&str], at: &str, report: &mut Report) {
    for key in obj.keys() {
        if !known.contains(&key.as_str()) {
            report.error(format!(
                "unknown field `{at}{key}` (the fields are {})",
                known.join(", ")
            ));
        }
    }
}

/// A required, non-empty text field.
fn text_field<'v>(
    obj: &'v Map<String, Value>,
    name: &str,
    at: &str,
    report: &mut Report,
) -> Option<&'v str> {
    match obj.get(name) {
        None | Some(Value::Null) => report.error(format!("missing required field `{at}{name}`")),
        Some(Value::String(s)) if s.trim().is_empty() => {
            report.error(format!("empty field `{at}{name}`"))
        }
        Some(Value::String(s)) => return Some(s),
        Some(_) => report.error(format!("`{at}{name}` must be a string")),
    }
    None
}

fn check_id(obj: &Map<String, Value>, max_len: usize, at: &str, report: &mut Report) {
    if let Some(id) = text_field(obj, "id", at, report) {
        let well_formed = id.len() <= max_len
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !id.starts_with('-')
            && !id.ends_with('-');
        if !well_formed {
            report.error(format!(
                "`{at}id` \"{id}\" must be lower-case ASCII letters, digits and '-', at most {max_len} characters"
            ));
        }
    }
}

fn alternates(obj: &Map<String, Value>, at: &str, report: &mut Report) {
    let few = |n: usize| {
        format!(
            "{n} `{at}alternates`: write at least {MIN_ALTERNATES} other ways people ask, or only close phrasings will match"
        )
    };
    match obj.get("alternates") {
        None | Some(Value::Null) => report.warn(few(0)),
        Some(Value::Array(items)) => {
            if items.len() < MIN_ALTERNATES {
                report.warn(few(items.len()));
            }
            for (k, item) in items.iter().enumerate() {
                match item.as_str() {
                    Some(s) if !s.trim().is_empty() => {}
                    Some(_) => report.error(format!("`{at}alternates[{k}]` is empty")),
                    None => report.error(format!("`{at}alternates[{k}]` must be a string")),
                }
            }
        }
        Some(_) => report.error(format!("`{at}alternates` must be an array of strings")),
    }
}

fn answer(obj: &Map<String, Value>, at: &str, report: &mut Report) {
    if let Some(text) = text_field(obj, "answer", at, report) {
        let (conclusion, content) = split_answer(text);
        let chars = conclusion.chars().count();
        if chars > MAX_CONCLUSION_CHARS {
            report.warn(format!(
                "the conclusion (first line of `{at}answer`) has {chars} characters; at most {MAX_CONCLUSION_CHARS} read well"
            ));
        }
        if content.is_empty() {
            report.warn(format!(
                "`{at}answer` is one line: a conclusion line, then the content, reads best"
            ));
        }
    }
}

/// The optional button label and key points: within what a phone shows.
fn short_and_points(obj: &Map<String, Value>, at: &str, report: &mut Report) {
    match obj.get("short") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => {
            let chars = s.chars().count();
            if s.trim().is_empty() {
                report.error(format!("empty field `{at}short`"));
            } else if chars > MAX_SHORT_CHARS {
                report.warn(format!(
                    "`{at}short` \"{s}\" has {chars} characters; at most {MAX_SHORT_CHARS} fit a button"
                ));
            } else if s.contains('?') {
                report.warn(format!("`{at}short` \"{s}\": use ？, not ?"));
            }
        }
        Some(_) => report.error(format!("`{at}short` must be a string")),
    }
    match obj.get("points") {
        None | Some(Value::Null) => {}
        Some(Value::Array(points)) => {
            if points.len() > MAX_POINTS {
                report.warn(format!(
                    "`{at}points` has {} items; at most {MAX_POINTS} fit the first screen",
                    points.len()
                ));
            }
            for (k, p) in points.iter().enumerate() {
                match p.as_str() {
                    Some(p) if p.trim().is_empty() => {
                        report.error(format!("`{at}points[{k}]` is empty"))
                    }
                    Some(p) if p.chars().count() > MAX_POINT_CHARS => report.warn(format!(
                        "`{at}points[{k}]` has {} characters; at most {MAX_POINT_CHARS} read well",
                        p.chars().count()
                    )),
                    Some(_) => {}
                    None => report.error(format!("`{at}points[{k}]` must be a string")),
                }
            }
        }
        Some(_) => report.error(format!("`{at}points` must be an array of strings")),
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().ok();
    matches!(
        (num(0..4), num(5..7), num(8..10)),
        (Some(1900..=2100), Some(1..=12), Some(1..=31))
    )
}

/// What two phrasings must not share: the text as the matcher reads it (traditional and
/// simplified, punctuation, spaces and case alike).
pub fn phrasing_key(normalizer: &Normalizer, text: &str) -> String {
    normalizer.normalize(text).replace(' ', "")
}

/// Checks what no single entry can: ids, labels and phrasings that must be unique
/// corpus-wide. Phrasings are compared as the matcher reads them (traditional and
/// simplified, punctuation and case alike); one an entry repeats of its own is dropped
/// with a warning, one two entries share is an error.
pub fn across_entries(entries: &mut [(Location, Entry)], problems: &mut Vec<Problem>) {
    let normalizer = Normalizer::new();
    let key = |text: &str| phrasing_key(&normalizer, text);
    let mut ids: HashMap<String, Location> = HashMap::new();
    // Phrasing → (entry index, what it is there).
    let mut phrases: HashMap<String, (usize, String)> = HashMap::new();
    // Two buttons that read alike are no choice.
    let mut shorts: HashMap<String, Location> = HashMap::new();
    let locations: Vec<Location> = entries.iter().map(|(l, _)| l.clone()).collect();
    for (i, (loc, entry)) in entries.iter_mut().enumerate() {
        let loc = loc.clone();
        if let Some(first) = ids.insert(entry.id.clone(), loc.clone()) {
            problems.push(loc.problem(
                format!(
                    "duplicate id `{}` (also {} entry {})",
                    entry.id,
                    first.file.display(),
                    first.label
                ),
                false,
            ));
        }
        let labels = entry
            .short
            .iter()
            .chain(entry.sections.iter().filter_map(|s| s.short.as_ref()));
        for short in labels {
            if let Some(first) = shorts.insert(key(short), loc.clone()) {
                problems.push(loc.problem(
                    format!(
                        "short \"{short}\" is already used in {} entry {}",
                        first.file.display(),
                        first.label
                    ),
                    true,
                ));
            }
        }
        let mut check = |text: &str, what: String, problems: &mut Vec<Problem>| -> bool {
            match phrases.get(&key(text)) {
                Some((first, first_what)) if *first == i => {
                    problems.push(loc.problem(
                        format!("{what} \"{text}\" repeats its {first_what}: ignored"),
                        true,
                    ));
                    false
                }
                Some((first, first_what)) => {
                    let first = &locations[*first];
                    problems.push(loc.problem(
                        format!(
                            "{what} \"{text}\" is already used as {first_what} in {} entry {}",
                            first.file.display(),
                            first.label
                        ),
                        false,
                    ));
                    true
                }
                None => {
                    phrases.insert(key(text), (i, what));
                    true
                }
            }
        };
        check(&entry.question, "question".into(), problems);
        entry
            .alternates
            .retain(|a| check(a, "alternate".into(), problems));
        for s in &mut entry.sections {
            check(&s.title, format!("section `{}` title", s.id), problems);
            let what = format!("section `{}` alternate", s.id);
            s.alternates.retain(|a| check(a, what.clone(), problems));
        }
    }
}

/// Checks that every place an entry's `roles` names is one `places.txt` knows.
pub fn entry_places(entries: &[(Location, Entry)], places: &Places, problems: &mut Vec<Problem>) {
    let known: Vec<&str> = places.names().collect();
    for (loc, entry) in entries {
        let Some(roles) = &entry.roles else { continue };
        for name in roles.insured.iter().chain(&roles.treated) {
            if !known.contains(&name.as_str()) {
                problems.push(loc.problem(
                    format!("`roles` names \"{name}\", which places.txt does not list"),
                    false,
                ));
            }
        }
    }
}
