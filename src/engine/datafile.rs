//! Line-oriented data files (`synonyms.txt`, `places.txt`, labelled question sets, …):
//! the lines that say something, and the error a parser reports for one of them. A leaf:
//! every parser uses it, it uses none of them.

use std::fmt;

/// A problem on one line of a data file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based, as an editor shows it.
    pub line: usize,
    pub message: String,
}

impl LineError {
    pub fn new(line: usize, message: impl Into<String>) -> LineError {
        LineError {
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// The lines of a data file that say something, trimmed, with their numbers: blank lines
/// and `#` comments are skipped.
pub fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
}
