//! One-character typo repair against the corpus's own vocabulary.
//!
//! Chinese typos from pinyin input are mostly homophones (被案 for 备案, 报消 for 报销);
//! the rest are a single wrong character in a longer word (家庭共挤 for 家庭共济). A
//! stretch of the question that is neither a corpus word nor a dictionary word, and that
//! reads like exactly one corpus word — same pinyin, or one character off for words of
//! four or more characters — is replaced by that word. A Latin word that spells one
//! corpus word in toneless pinyin (maiyao, jiating gongji, shanghai) is read as it, and so
//! is one that spells an out-of-scope phrase (gongjijin is 公积金: see `also_spell`).

use pinyin::ToPinyin;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::segment::is_cjk;

const MAX_WORD_CHARS: usize = 6;
/// A wrong character that does not sound right is only repaired in words this long:
/// in shorter ones it is as likely a different word (医保局 is not a typo of 医保卡).
const MIN_SHAPE_CHARS: usize = 4;

/// The corpus's vocabulary, indexed by sound and by shape.
#[derive(Debug, Default)]
pub struct TypoRepair {
    vocab: HashSet<String>,
    /// Toneless pinyin of a word → the corpus words that sound like it.
    by_sound: HashMap<String, Vec<String>>,
    /// A word with one character replaced by `*` → the corpus words of that shape.
    by_shape: HashMap<String, Vec<String>>,
    /// Toneless pinyin written as one Latin word (maiyao) → the corpus words it spells.
    by_spelling: HashMap<String, Vec<String>>,
    /// Characters that are words of their own (和, 的, 在, 不): never part of a typo,
    /// neither the wrong character nor the right one, so 省医保和市医保 keeps its 和 (和市
    /// is not 何时) and 能补交 its 补 (能补 is not 能不).
    standalone: HashSet<char>,
    /// Characters that are words of their own as typed (办, 去, 给), but may be the right
    /// character of a repair: never the wrong one, so 手机上办 keeps its 办 (上办 is not
    /// 上班).
    kept: HashSet<char>,
}

/// A Latin word this short is too likely English or an abbreviation (app, ok, ct).
const MIN_SPELLING_LETTERS: usize = 4;

impl TypoRepair {
    /// Indexes the CJK words of two to six characters among `words`; `standalone` are
    /// the characters a repair never rewrites nor writes, `kept` those it never rewrites.
    pub fn new<'a>(
        words: impl IntoIterator<Item = &'a str>,
        standalone: impl IntoIterator<Item = char>,
        kept: impl IntoIterator<Item = char>,
    ) -> TypoRepair {
        let mut repair = TypoRepair {
            standalone: standalone.into_iter().collect(),
            kept: kept.into_iter().collect(),
            ..TypoRepair::default()
        };
        for word in words {
            let chars: Vec<char> = word.chars().collect();
            if !(2..=MAX_WORD_CHARS).contains(&chars.len())
                || !chars.iter().all(|&c| is_cjk(c))
                || !repair.vocab.insert(word.to_string())
            {
                continue;
            }
            if let Some(sound) = sound(&chars) {
                repair.add_spelling(&sound, word);
                repair
                    .by_sound
                    .entry(sound)
                    .or_default()
                    .push(word.to_string());
            }
            if chars.len() >= MIN_SHAPE_CHARS {
                for i in 0..chars.len() {
                    repair
                        .by_shape
                        .entry(shape(&chars, i))
                        .or_default()
                        .push(word.to_string());
                }
            }
        }
        repair
    }

    /// `text` with typos repaired. `is_word` tells a real word (left alone) from a typo.
    /// Pinyin spellings are read apart, first ([`Self::read_spellings`]).
    pub fn repair(&self, text: &str, is_word: impl Fn(&str) -> bool) -> String {
        if self.vocab.is_empty() {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        let n = chars.len();
        // Where each character starts in `text`, and where the last ends: windows are
        // slices of the text, not strings of their own.
        let starts: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let slice = |span: std::ops::Range<usize>| &text[starts[span.start]..starts[span.end]];
        // Characters that already belong to a corpus word are not typos.
        let mut known = vec![false; n];
        let mut words: Vec<std::ops::Range<usize>> = Vec::new();
        for start in 0..n {
            for len in 2..=MAX_WORD_CHARS.min(n - start) {
                if self.vocab.contains(slice(start..start + len)) {
                    known[start..start + len].iter_mut().for_each(|k| *k = true);
                    words.push(start..start + len);
                }
            }
        }
        // Nor do the characters of a dictionary word, unless a corpus word claims one of
        // them: a stretch that cuts one in two is no typo (the 能补 of 能补交 is not 能不,
        // the 实现 of 已实现 no 一时), but 异地被案 is 异地 + 备案 whatever 地被 means.
        for start in 0..n {
            for len in 2..=MAX_WORD_CHARS.min(n - start) {
                let span = start..start + len;
                if !known[span.clone()].iter().any(|&k| k)
                    && chars[span.clone()].iter().all(|&c| is_cjk(c))
                    && is_word(slice(span.clone()))
                {
                    words.push(span);
                }
            }
        }
        // A stretch that cuts a corpus or dictionary word in two is no typo of another
        // word: the 医要 of 就医要办 is not 医药.
        let cuts_a_word = |span: &std::ops::Range<usize>| {
            words.iter().any(|w| {
                (w.start < span.start && span.start < w.end)
                    || (w.start < span.end && span.end < w.end)
            })
        };
        // Each character's toneless pinyin, looked up once.
        let sounds: Vec<Option<&str>> = chars
            .iter()
            .map(|c| c.to_pinyin().map(|p| p.plain()))
            .collect();
        let mut keys = Keys::default();
        let mut out: Option<Vec<char>> = None;
        let mut fixed = vec![false; n];
        for len in (2..=MAX_WORD_CHARS.min(n)).rev() {
            for start in 0..=n - len {
                let span = start..start + len;
                let window = &chars[span.clone()];
                // A character that is a word of its own stands alone: a stretch that
                // holds one is no typo (在县 is 在 + 县, not 在线).
                let holds_alone = window
                    .iter()
                    .any(|c| self.standalone.contains(c) || self.kept.contains(c));
                if fixed[span.clone()].iter().any(|&f| f)
                    || known[span.clone()].iter().all(|&k| k)
                    || !window.iter().all(|&c| is_cjk(c))
                    || holds_alone
                    || cuts_a_word(&span)
                {
                    continue;
                }
                let text_window = slice(span.clone());
                if is_word(text_window) {
                    continue;
                }
                let fix = self.candidate(
                    window,
                    &sounds[span.clone()],
                    &known[span.clone()],
                    &mut keys,
                );
                if let Some(fix) = fix {
                    // A fix must not rewrite part of a word that is already right: a
                    // corpus word (备案会 is not 备安徽) or any dictionary word inside
                    // the stretch (浙江医保 is not 浙里医保); nor write in a word of its
                    // own (能补 is not 能不: a repair never adds a negation); nor take a
                    // word and its neighbour for a longer word (身份证丢 is not 身份证号).
                    let rewrites_known = fix
                        .chars()
                        .zip(window)
                        .enumerate()
                        .filter(|(_, (new, old))| new != *old)
                        .any(|(i, (new, _))| {
                            known[start + i]
                                || self.standalone.contains(&new)
                                || ((i == 0 || i == len - 1)
                                    && word_without(text_window, i, &is_word))
                                || inside_a_word(
                                    text_window,
                                    &starts[span.start..=span.end],
                                    i,
                                    &is_word,
                                )
                        });
                    if rewrites_known {
                        continue;
                    }
                    let out = out.get_or_insert_with(|| chars.clone());
                    for (i, c) in fix.chars().enumerate() {
                        out[start + i] = c;
                        fixed[start + i] = true;
                    }
                }
            }
        }
        match out {
            Some(out) => out.into_iter().collect(),
            None => text.to_string(),
        }
    }

    /// Also reads `words` when they are spelt in pinyin (`gongjijin` is 公积金), though
    /// they are no corpus words and so never the repair of a typo.
    pub fn also_spell<'a>(&mut self, words: impl IntoIterator<Item = &'a str>) {
        for word in words {
            let chars: Vec<char> = word.chars().collect();
            if !(2..=MAX_WORD_CHARS).contains(&chars.len()) || !chars.iter().all(|&c| is_cjk(c)) {
                continue;
            }
            if let Some(sound) = sound(&chars) {
                self.add_spelling(&sound, word);
            }
        }
    }

    /// Notes that `word`, of toneless pinyin `sound` (`gong ji`), is spelt `gongji`.
    fn add_spelling(&mut self, sound: &str, word: &str) {
        let spelt = self.by_spelling.entry(sound.replace(' ', "")).or_default();
        if !spelt.iter().any(|w| w == word) {
            spelt.push(word.to_string());
        }
    }

    /// `text` with every Latin word that spells exactly one corpus word (or one word
    /// of [`Self::also_spell`]) in pinyin replaced by it; `None` when there is none.
    pub fn read_spellings(&self, text: &str) -> Option<String> {
        let mut out: Option<String> = None;
        let mut done = 0;
        let latin = |c: char| c.is_ascii_alphabetic();
        let mut rest = text.char_indices().peekable();
        while let Some((start, c)) = rest.next() {
            if !latin(c) {
                continue;
            }
            let mut end = start + 1;
            while let Some(&(i, c)) = rest.peek().filter(|(_, c)| latin(*c)) {
                end = i + c.len_utf8();
                rest.next();
            }
            let spelling = &text[start..end];
            if spelling.len() < MIN_SPELLING_LETTERS {
                continue;
            }
            if let Some([word]) = self.by_spelling.get(spelling).map(Vec::as_slice) {
                let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
                out.push_str(&text[done..start]);
                out.push_str(word);
                done = end;
            }
        }
        let mut out = out?;
        out.push_str(&text[done..]);
        Some(out)
    }

    /// The one corpus word `window` is a typo of, if there is exactly one. `sounds` are
    /// its characters' pinyin; `keys` the buffers the lookup keys are built in.
    fn candidate<'s>(
        &'s self,
        window: &[char],
        sounds: &[Option<&str>],
        known: &[bool],
        keys: &mut Keys<'s>,
    ) -> Option<&'s str> {
        let found = &mut keys.found;
        found.clear();
        let sound = sounds.iter().try_fold(&mut keys.sound, |s, p| {
            s.push_str((*p)?);
            s.push(' ');
            Some(s)
        });
        if let Some(words) = sound.and_then(|s| self.by_sound.get(s.as_str())) {
            found.extend(
                words
                    .iter()
                    .map(String::as_str)
                    .filter(|w| w.chars().count() == window.len()),
            );
        }
        keys.sound.clear();
        if found.is_empty() && window.len() >= MIN_SHAPE_CHARS {
            for i in (0..window.len()).filter(|&i| !known[i]) {
                let shape = &mut keys.shape;
                shape.clear();
                shape.extend(
                    window
                        .iter()
                        .enumerate()
                        .map(|(j, &c)| if j == i { '*' } else { c }),
                );
                if let Some(words) = self.by_shape.get(shape.as_str()) {
                    found.extend(words.iter().map(String::as_str));
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        match found.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }
}

/// Buffers for the keys a typo lookup builds, reused window after window.
#[derive(Default)]
struct Keys<'a> {
    sound: String,
    shape: String,
    found: Vec<&'a str>,
}

/// Whether character `i` of `window` (a slice of text; `starts`, where each of its
/// characters starts in that text, and where the next begins) belongs to a dictionary
/// word of two or more characters lying within the window (other than the whole
/// window, which is no word).
fn inside_a_word(
    window: &str,
    starts: &[usize],
    i: usize,
    is_word: &impl Fn(&str) -> bool,
) -> bool {
    let n = starts.len() - 1;
    let at = |c: usize| starts[c] - starts[0];
    (0..=i).any(|start| {
        (i + 1..=n)
            .filter(|&end| end - start >= 2 && end - start < n)
            .any(|end| is_word(&window[at(start)..at(end)]))
    })
}

/// Whether `window` without its first (`i` = 0) or last character is a dictionary word.
fn word_without(window: &str, i: usize, is_word: &impl Fn(&str) -> bool) -> bool {
    let rest = if i == 0 {
        window.char_indices().nth(1).map(|(at, _)| &window[at..])
    } else {
        window.char_indices().last().map(|(at, _)| &window[..at])
    };
    rest.is_some_and(|rest| rest.chars().count() >= 2 && is_word(rest))
}

fn sound(chars: &[char]) -> Option<String> {
    let mut s = String::new();
    for c in chars {
        let p = c.to_pinyin()?;
        s.push_str(p.plain());
        s.push(' ');
    }
    Some(s)
}

fn shape(chars: &[char], hole: usize) -> String {
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| if i == hole { '*' } else { c })
        .collect()
}
