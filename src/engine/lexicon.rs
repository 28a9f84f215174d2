//! Kinds of word the engine treats specially (`words.txt`): filler that says nothing
//! about what is asked, negations that turn a procedure around (没备案 is not 备案), the
//! procedures they turn, the light words a negation reaches past, the words that mark the
//! part of a long
//! message that asks, the particles that end a sentence in a run-on message, those that
//! split a separable word (住了院 is 住院), and what a question asks for (多少, 何时, 哪里).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::datafile::{LineError, content_lines};
use super::normalize::fold;

/// The word classes of a corpus. Words are stored as the matcher sees them: folded and
/// rewritten with the corpus's synonyms (see [`Lexicon::canonicalize`]).
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    filler: HashSet<String>,
    negation: HashSet<String>,
    light: HashSet<String>,
    procedure: HashSet<String>,
    question: HashSet<String>,
    sentence_end: HashSet<String>,
    infix: HashSet<String>,
    /// What a word asks for: an amount ([`ASKS_AMOUNT`]), a time, a place, as bits.
    asks: HashMap<String, u8>,
}

/// What a question asks for, as bits of [`Lexicon::asks`]: how much (多少), when (何时),
/// where (哪里).
pub const ASKS_AMOUNT: u8 = 1;
pub const ASKS_WHEN: u8 = 2;
pub const ASKS_WHERE: u8 = 4;

/// The kinds a line of `words.txt` may name.
const KINDS: &[&str] = &[
    "filler",
    "negation",
    "light",
    "procedure",
    "question",
    "break",
    "infix",
    "asks amount",
    "asks when",
    "asks where",
];

impl Lexicon {
    /// Parses `kind: word word …` lines; a kind may take several lines.
    pub fn parse(text: &str) -> Result<Lexicon, Vec<LineError>> {
        let mut lexicon = Lexicon::default();
        let mut errors = Vec::new();
        for (n, line) in content_lines(text) {
            let Some((kind, words)) = line.split_once([':', '\u{FF1A}']) else {
                errors.push(LineError::new(
                    n,
                    format!("unknown syntax \"{line}\": expected `kind: word word …`"),
                ));
                continue;
            };
            let set = match kind.trim() {
                "filler" => &mut lexicon.filler,
                "negation" => &mut lexicon.negation,
                "light" => &mut lexicon.light,
                "procedure" => &mut lexicon.procedure,
                "question" => &mut lexicon.question,
                "break" => &mut lexicon.sentence_end,
                "infix" => &mut lexicon.infix,
                kind @ ("asks amount" | "asks when" | "asks where") => {
                    let bit = match kind {
                        "asks amount" => ASKS_AMOUNT,
                        "asks when" => ASKS_WHEN,
                        _ => ASKS_WHERE,
                    };
                    for word in words.split_whitespace().map(fold).filter(|w| !w.is_empty()) {
                        *lexicon.asks.entry(word).or_default() |= bit;
                    }
                    continue;
                }
                other => {
                    errors.push(LineError::new(
                        n,
                        format!(
                            "unknown kind \"{other}\"; the kinds are {}",
                            KINDS.join(", ")
                        ),
                    ));
                    continue;
                }
            };
            set.extend(words.split_whitespace().map(fold).filter(|w| !w.is_empty()));
        }
        if errors.is_empty() {
            Ok(lexicon)
        } else {
            Err(errors)
        }
    }

    /// The same word classes with every word rewritten by `canonical` (the corpus's
    /// synonyms), so they match what the segmenter sees.
    pub fn canonicalize(&self, canonical: impl Fn(&str) -> String) -> Lexicon {
        let map = |set: &HashSet<String>| -> HashSet<String> {
            set.iter().flat_map(|w| [w.clone(), canonical(w)]).collect()
        };
        Lexicon {
            filler: map(&self.filler),
            negation: map(&self.negation),
            light: map(&self.light),
            procedure: map(&self.procedure),
            question: map(&self.question),
            sentence_end: map(&self.sentence_end),
            infix: map(&self.infix),
            asks: self
                .asks
                .iter()
                .flat_map(|(w, &bits)| [(w.clone(), bits), (canonical(w), bits)])
                .collect(),
        }
    }

    pub fn filler_words(&self) -> impl Iterator<Item = &str> {
        self.filler.iter().map(String::as_str)
    }

    pub fn negation_words(&self) -> impl Iterator<Item = &str> {
        self.negation.iter().map(String::as_str)
    }

    pub fn light_words(&self) -> impl Iterator<Item = &str> {
        self.light.iter().map(String::as_str)
    }

    /// The particles that may split a separable word: 了 in 住了院.
    pub fn infix_words(&self) -> impl Iterator<Item = &str> {
        self.infix.iter().map(String::as_str)
    }

    /// What `word` asks for (bits: [`ASKS_AMOUNT`], [`ASKS_WHEN`], [`ASKS_WHERE`]); 0 for
    /// a word that asks for none of them.
    pub fn asks(&self, word: &str) -> u8 {
        self.asks.get(word).copied().unwrap_or(0)
    }

    pub fn is_filler(&self, word: &str) -> bool {
        self.filler.contains(word)
    }

    pub fn is_negation(&self, word: &str) -> bool {
        self.negation.contains(word)
    }

    pub fn is_light(&self, word: &str) -> bool {
        self.light.contains(word)
    }

    pub fn is_procedure(&self, word: &str) -> bool {
        self.procedure.contains(word)
    }

    pub fn is_question(&self, word: &str) -> bool {
        self.question.contains(word)
    }

    pub fn ends_sentence(&self, word: &str) -> bool {
        self.sentence_end.contains(word)
    }

    /// Words that carry no subject of their own: a question made only of these (and
    /// filler) has nothing to go on.
    pub fn is_function_word(&self, word: &str) -> bool {
        self.question.contains(word) || self.negation.contains(word) || self.light.contains(word)
    }

    /// Every word of every class (for the segmenter's dictionary).
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.filler
            .iter()
            .chain(&self.negation)
            .chain(&self.light)
            .chain(&self.procedure)
            .chain(&self.question)
            .chain(&self.sentence_end)
            .chain(&self.infix)
            .map(String::as_str)
            .chain(self.asks.keys().map(String::as_str))
    }
}
