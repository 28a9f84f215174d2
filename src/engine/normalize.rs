//! Text normalisation: what makes `＠yibao_bot 異地醫保餘額能用嗎？？😊` and
//! `异地医保余额能用吗` the same question.
//!
//! Full-width forms become half-width (Unicode NFKC), letters lower-case, traditional
//! characters simplified (OpenCC's tables), @mentions and a leading /command dropped,
//! zero-width and control characters removed, and punctuation, symbols and emoji turned
//! into spaces. Filler words (请问, 谢谢 …) are dropped later, by the segmenter, as whole
//! words.

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use unicode_normalization::UnicodeNormalization;

/// Converts questions to the one form the matcher compares.
pub struct Normalizer {
    t2s: OpenCC,
}

impl std::fmt::Debug for Normalizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Normalizer")
    }
}

impl Normalizer {
    pub fn new() -> Normalizer {
        let t2s =
            OpenCC::from_config(BuiltinConfig::T2s).expect("the built-in OpenCC t2s tables load");
        Normalizer { t2s }
    }

    /// The normalised form of `raw`: words separated by single spaces, no punctuation.
    pub fn normalize(&self, raw: &str) -> String {
        let text = strip_addressing(raw);
        let text: String = text.nfkc().flat_map(char::to_lowercase).collect();
        let text = self.t2s.convert(&text);
        let mut out = String::with_capacity(text.len());
        // Whether there is a gap since the last letter, and whether it was only spaces.
        let (mut gap, mut only_spaces) = (false, true);
        let mut last: Option<char> = None;
        for ch in text.chars() {
            if is_invisible(ch) {
                continue;
            }
            if ch.is_alphanumeric() {
                // `医保 card 余额` is one phrase: a space between Chinese and a Latin word
                // is how people type them side by side, not a break.
                let mixed =
                    last.is_some_and(|l| l.is_ascii_alphanumeric() != ch.is_ascii_alphanumeric());
                if gap && last.is_some() && !(only_spaces && mixed) {
                    out.push(' ');
                }
                (gap, only_spaces) = (false, true);
                out.push(ch);
                last = Some(ch);
            } else {
                gap = true;
                only_spaces &= ch.is_whitespace();
            }
        }
        out
    }
}

impl Default for Normalizer {
    fn default() -> Self {
        Normalizer::new()
    }
}

/// Drops a leading `/command` (with its `@bot` suffix) and every `@mention`.
fn strip_addressing(raw: &str) -> String {
    let mut text = raw.trim_start();
    if let Some(rest) = text.strip_prefix('/') {
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '@'))
            .unwrap_or(rest.len());
        text = &rest[end..];
    }
    strip_mentions(text)
}

/// `text` with every `@username` replaced by a space.
pub fn strip_mentions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        let starts_mention = matches!(ch, '@' | '＠')
            && chars
                .peek()
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_');
        if starts_mention {
            while chars
                .peek()
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
            {
                chars.next();
            }
            out.push(' ');
        } else {
            out.push(ch);
        }
    }
    out
}

/// Zero-width, formatting and control characters: removed without leaving a gap.
fn is_invisible(ch: char) -> bool {
    ch.is_control()
        || matches!(ch,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}')
}

/// A comparison key: NFKC, lower case, letters and digits only. Used to spot the same
/// phrase written twice, whatever its punctuation.
pub fn fold(s: &str) -> String {
    s.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}
