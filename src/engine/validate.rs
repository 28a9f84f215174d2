//! Corpus validation: checks each entries file field by field (so every problem is
//! reported, not only serde's first) and then checks the entries against each other.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::corpus::{Entry, MAX_POINT_CHARS, MAX_POINTS, MAX_SHORT_CHARS, split_answer};
use super::normalize::fold;
use super::places::Places;

/// Longest conclusion line, in characters.
pub const MAX_CONCLUSION_CHARS: usize = 60;
/// Ids go into links and 64-byte button data, so they stay short.
pub const MAX_ID_LEN: usize = 32;
pub const MAX_SECTION_ID_LEN: usize = 16;

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

/// Where an entry was found, for problem reports.
#[derive(Debug, Clone)]
pub struct Location {
    pub file: PathBuf,
    pub label: String,
}

/// Collects problems for one entry.
struct Report<'a> {
    file: &'a Path,
    label: String,
    problems: &'a mut Vec<Problem>,
    count: usize,
}

impl Report<'_> {
    fn add(&mut self, message: impl Into<String>) {
        self.count += 1;
        self.problems.push(Problem {
            file: self.file.to_path_buf(),
            entry: Some(self.label.clone()),
            message: message.into(),
        });
    }
}

/// Parses and checks one `*.json` file; returns the entries that passed every check.
pub fn entries_file(
    path: &Path,
    text: &str,
    problems: &mut Vec<Problem>,
) -> Vec<(Location, Entry)> {
    let file_problem = |problems: &mut Vec<Problem>, message: String| {
        problems.push(Problem {
            file: path.to_path_buf(),
            entry: None,
            message,
        })
    };
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            file_problem(
                problems,
                format!(
                    "malformed JSON at line {}, column {}: {e}",
                    e.line(),
                    e.column()
                ),
            );
            return Vec::new();
        }
    };
    let Value::Array(items) = value else {
        file_problem(
            problems,
            "the file must hold a JSON array of entries".into(),
        );
        return Vec::new();
    };
    if items.is_empty() {
        file_problem(problems, "the array holds no entries".into());
    }

    let mut good = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let label = match item.get("id").and_then(Value::as_str) {
            Some(id) if !id.is_empty() => format!("#{} ({id})", i + 1),
            _ => format!("#{}", i + 1),
        };
        let mut report = Report {
            file: path,
            label: label.clone(),
            problems,
            count: 0,
        };
        check_entry(&item, &mut report);
        if report.count == 0 {
            match serde_json::from_value::<Entry>(item) {
                Ok(entry) => good.push((
                    Location {
                        file: path.to_path_buf(),
                        label,
                    },
                    entry,
                )),
                Err(e) => report.add(format!("cannot read entry: {e}")),
            }
        }
    }
    good
}

fn check_entry(item: &Value, report: &mut Report) {
    let Some(obj) = item.as_object() else {
        report.add("an entry must be a JSON object");
        return;
    };
    unknown_fields(obj, ENTRY_FIELDS, "", report);
    check_id(obj, MAX_ID_LEN, "", report);
    text_field(obj, "question", "", report);
    alternates(obj, "", report);
    text_field(obj, "category", "", report);
    answer(obj, "", report);
    short_and_points(obj, "", report);
    match obj.get("source") {
        None | Some(Value::Null) => report.add("missing required field `source`"),
        Some(Value::Object(source)) => {
            unknown_fields(source, SOURCE_FIELDS, "source.", report);
            text_field(source, "file", "source.", report);
            text_field(source, "title", "source.", report);
            match source.get("date") {
                None => {
                    report.add("missing field `source.date` (use null when the source has none)")
                }
                Some(Value::Null) => {}
                Some(Value::String(d)) if is_date(d) => {}
                Some(other) => report.add(format!(
                    "`source.date` must be YYYY-MM-DD or null, not {other}"
                )),
            }
        }
        Some(_) => report.add("`source` must be an object with file, title and date"),
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
                    report.add(format!("`roles.{role}` must be an array of place names"));
                }
            }
        }
        Some(_) => report.add("`roles` must be an object with `insured` and `treated` lists"),
    }
    match obj.get("sections") {
        None => {}
        Some(Value::Array(sections)) => {
            let mut ids: Vec<&str> = Vec::new();
            for (j, section) in sections.iter().enumerate() {
                let at = format!("sections[{j}].");
                let Some(s) = section.as_object() else {
                    report.add(format!("`sections[{j}]` must be an object"));
                    continue;
                };
                unknown_fields(s, SECTION_FIELDS, &at, report);
                check_id(s, MAX_SECTION_ID_LEN, &at, report);
                if let Some(id) = s.get("id").and_then(Value::as_str) {
                    if ids.contains(&id) {
                        report.add(format!("duplicate section id `{id}`"));
                    }
                    ids.push(id);
                }
                text_field(s, "title", &at, report);
                alternates(s, &at, report);
                answer(s, &at, report);
                short_and_points(s, &at, report);
            }
        }
        Some(_) => report.add("`sections` must be an array"),
    }
}

fn unknown_fields(obj: &Map<String, Value>, known: &[&str], at: &str, report: &mut Report) {
    for key in obj.keys() {
        if !known.contains(&key.as_str()) {
            report.add(format!("unknown field `{at}{key}`"));
        }
    }
}

fn text_field<'v>(
    obj: &'v Map<String, Value>,
    name: &str,
    at: &str,
    report: &mut Report,
) -> Option<&'v str> {
    match obj.get(name) {
        None | Some(Value::Null) => report.add(format!("missing required field `{at}{name}`")),
        Some(Value::String(s)) if s.trim().is_empty() => {
            report.add(format!("empty field `{at}{name}`"))
        }
        Some(Value::String(s)) => return Some(s),
        Some(_) => report.add(format!("`{at}{name}` must be a string")),
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
            report.add(format!(
                "`{at}id` \"{id}\" must be lower-case ASCII letters, digits and '-', at most {max_len} characters"
            ));
        }
    }
}

fn alternates(obj: &Map<String, Value>, at: &str, report: &mut Report) {
    match obj.get("alternates") {
        None | Some(Value::Null) => report.add(format!("missing required field `{at}alternates`")),
        Some(Value::Array(items)) if items.is_empty() => {
            report.add(format!("empty field `{at}alternates`"))
        }
        Some(Value::Array(items)) => {
            for (k, item) in items.iter().enumerate() {
                match item.as_str() {
                    Some(s) if !fold(s).is_empty() => {}
                    Some(_) => report.add(format!("`{at}alternates[{k}]` is empty")),
                    None => report.add(format!("`{at}alternates[{k}]` must be a string")),
                }
            }
        }
        Some(_) => report.add(format!("`{at}alternates` must be an array of strings")),
    }
}

fn answer(obj: &Map<String, Value>, at: &str, report: &mut Report) {
    if let Some(text) = text_field(obj, "answer", at, report) {
        let (conclusion, content) = split_answer(text);
        let chars = conclusion.chars().count();
        if chars > MAX_CONCLUSION_CHARS {
            report.add(format!(
                "the conclusion (first line of `{at}answer`) has {chars} characters; at most {MAX_CONCLUSION_CHARS}"
            ));
        }
        if content.is_empty() {
            report.add(format!(
                "`{at}answer` has a conclusion line but no content after it"
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
                report.add(format!("empty field `{at}short`"));
            } else if chars > MAX_SHORT_CHARS {
                report.add(format!(
                    "`{at}short` \"{s}\" has {chars} characters; at most {MAX_SHORT_CHARS} (a button)"
                ));
            } else if s.contains('?') {
                report.add(format!("`{at}short` \"{s}\": use ？, not ?"));
            }
        }
        Some(_) => report.add(format!("`{at}short` must be a string")),
    }
    match obj.get("points") {
        None | Some(Value::Null) => {}
        Some(Value::Array(points)) => {
            if points.len() > MAX_POINTS {
                report.add(format!(
                    "`{at}points` has {} items; at most {MAX_POINTS}",
                    points.len()
                ));
            }
            for (k, p) in points.iter().enumerate() {
                match p.as_str() {
                    Some(p) if p.trim().is_empty() => {
                        report.add(format!("`{at}points[{k}]` is empty"))
                    }
                    Some(p) if p.chars().count() > MAX_POINT_CHARS => report.add(format!(
                        "`{at}points[{k}]` has {} characters; at most {MAX_POINT_CHARS}",
                        p.chars().count()
                    )),
                    Some(_) => {}
                    None => report.add(format!("`{at}points[{k}]` must be a string")),
                }
            }
        }
        Some(_) => report.add(format!("`{at}points` must be an array of strings")),
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

/// Checks what no single entry can: ids and questions that must be unique corpus-wide.
pub fn across_entries(entries: &[(Location, Entry)], problems: &mut Vec<Problem>) {
    let mut ids: HashMap<&str, &Location> = HashMap::new();
    let mut phrases: HashMap<String, (&Location, String)> = HashMap::new();
    // Two buttons that read alike are no choice.
    let mut shorts: HashMap<String, &Location> = HashMap::new();
    for (loc, entry) in entries {
        let problem = |message: String| Problem {
            file: loc.file.clone(),
            entry: Some(loc.label.clone()),
            message,
        };
        if let Some(first) = ids.insert(&entry.id, loc) {
            problems.push(problem(format!(
                "duplicate id `{}` (also {} entry {})",
                entry.id,
                first.file.display(),
                first.label
            )));
        }
        let mut own: Vec<(String, String)> = vec![(entry.question.clone(), "question".into())];
        own.extend(
            entry
                .alternates
                .iter()
                .map(|a| (a.clone(), "alternate".into())),
        );
        for s in &entry.sections {
            own.push((s.title.clone(), format!("section `{}` title", s.id)));
            own.extend(
                s.alternates
                    .iter()
                    .map(|a| (a.clone(), format!("section `{}` alternate", s.id))),
            );
        }
        let labels = entry
            .short
            .iter()
            .chain(entry.sections.iter().filter_map(|s| s.short.as_ref()));
        for short in labels {
            if let Some(first) = shorts.insert(fold(short), loc) {
                problems.push(problem(format!(
                    "short \"{short}\" is already used in {} entry {}",
                    first.file.display(),
                    first.label
                )));
            }
        }
        for (text, what) in own {
            let key = fold(&text);
            match phrases.get(&key) {
                Some((first_loc, first_what)) => problems.push(problem(format!(
                    "{what} \"{text}\" is already used as {first_what} in {} entry {}",
                    first_loc.file.display(),
                    first_loc.label
                ))),
                None => {
                    phrases.insert(key, (loc, what));
                }
            }
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
                problems.push(Problem {
                    file: loc.file.clone(),
                    entry: Some(loc.label.clone()),
                    message: format!("`roles` names \"{name}\", which places.txt does not list"),
                });
            }
        }
    }
}
