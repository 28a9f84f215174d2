//! The segmenter's user dictionary (`userdict.txt`): domain words, one per line, in
//! jieba's format `word [freq] [tag]`.

use super::datafile::{LineError, content_lines};
/// One word to add to the segmenter. `tag` `ns` marks a place name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserWord {
    pub word: String,
    pub freq: Option<usize>,
    pub tag: Option<String>,
}

/// Parses the user dictionary; `#` starts a comment line. Errors carry line numbers.
pub fn parse(text: &str) -> Result<Vec<UserWord>, Vec<LineError>> {
    let mut words = Vec::new();
    let mut errors = Vec::new();
    for (n, line) in content_lines(text) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let (freq, tag) = match parts[1..] {
            [] => (None, None),
            [one] => match one.parse::<usize>() {
                Ok(f) => (Some(f), None),
                Err(_) if one.chars().all(|c| c.is_ascii_alphabetic()) => (None, Some(one)),
                Err(_) => {
                    errors.push(LineError::new(
                        n,
                        format!("\"{one}\" is neither a frequency nor a tag"),
                    ));
                    continue;
                }
            },
            [f, tag] => match f.parse::<usize>() {
                Ok(f) => (Some(f), Some(tag)),
                Err(_) => {
                    errors.push(LineError::new(
                        n,
                        format!("frequency \"{f}\" is not a whole number"),
                    ));
                    continue;
                }
            },
            _ => {
                errors.push(LineError::new(
                    n,
                    format!("expected `word [freq] [tag]`, got \"{line}\""),
                ));
                continue;
            }
        };
        words.push(UserWord {
            word: super::normalize::fold(parts[0]),
            freq,
            tag: tag.map(str::to_string),
        });
    }
    if errors.is_empty() {
        Ok(words)
    } else {
        Err(errors)
    }
}
