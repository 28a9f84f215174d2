//! Word segmentation (jieba with the corpus's user dictionary) and the terms the matcher
//! compares: words, character bigrams, and the names that must agree — places and years.

use rustc_hash::FxHashMap as HashMap;

use jieba_rs::Jieba;

use super::lexicon::Lexicon;
use super::places::{Apart, Place, Places};
use super::roles::{Role, Roles};
use super::tuning::LONG_MESSAGE_WORDS;
use super::userdict::UserWord;

/// What kind of name a word is, for the agreement rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum TermKind {
    Word,
    /// A place name (`ns`): a question about one place never gets another's answer.
    Place,
    /// A year such as 2024: a question about one year never gets another year's answer.
    Year,
}

/// What the matcher compares: words, character bigrams, and the places and years named.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysis {
    /// Words as segmented, each once; a negated word (没备案) also as `¬备案`.
    pub words: Vec<String>,
    /// For each word, the dictionary words inside it (`异地就医备案` → `异地`, `就医`,
    /// `备案`), so that a compound and its parts can still meet.
    pub parts: Vec<Vec<String>>,
    pub bigrams: Vec<String>,
    pub places: Vec<Place>,
    /// The text speaks of "elsewhere" (异地, 省外…): a role left open to any place.
    pub elsewhere: bool,
    /// How far apart the places it names lie, if they do.
    pub apart: Option<Apart>,
    pub years: Vec<u16>,
    /// For each word and bigram, the sentences it stands in.
    word_sentences: Vec<Vec<usize>>,
    bigram_sentences: Vec<Vec<usize>>,
    /// The sentences that ask, in a long message that asks in several or beside context.
    questions: Vec<usize>,
    /// Places named in different roles, whose role the words do not settle.
    unsettled: Vec<String>,
}

/// Marks a negated word: `¬备案` for 没备案 (no typed text can hold the sign).
pub const NEGATED: char = '¬';

/// How many words (light ones aside) a negation looks ahead for its procedure.
const NEGATION_REACH: usize = 2;

impl Analysis {
    /// Too little to go on: no word at all, a single character (满, 报), or only words
    /// that ask without saying about what (怎么办, 为什么, 没有).
    pub fn is_thin(&self, lexicon: &Lexicon) -> bool {
        match self.words.as_slice() {
            [] => true,
            [only] if only.chars().count() < 2 => true,
            words => words.iter().all(|w| lexicon.is_function_word(w)),
        }
    }

    /// The words that were negated, without the sign.
    pub fn negated(&self) -> impl Iterator<Item = &str> {
        self.words.iter().filter_map(|w| w.strip_prefix(NEGATED))
    }

    fn push_word(&mut self, word: &str, parts: Vec<String>, sentence: usize) {
        match self.words.iter().position(|w| w == word) {
            Some(i) => self.word_sentences[i].push(sentence),
            None => {
                self.words.push(word.to_string());
                self.parts.push(parts);
                self.word_sentences.push(vec![sentence]);
            }
        }
    }

    /// Each sentence of a long message that asks, as a question of its own: its words
    /// and bigrams, with the places, years and negations of the whole message. Empty for
    /// a message read whole.
    pub fn questions(&self) -> Vec<Analysis> {
        self.questions
            .iter()
            .map(|&s| {
                let mut q = Analysis {
                    places: self.places.clone(),
                    elsewhere: self.elsewhere,
                    apart: self.apart,
                    years: self.years.clone(),
                    ..Analysis::default()
                };
                for (i, word) in self.words.iter().enumerate() {
                    let global = word.starts_with(NEGATED)
                        || self.places.iter().any(|p| p.name == *word)
                        || year(word).is_some();
                    // Words and bigrams are unique here already.
                    if global || self.word_sentences[i].contains(&s) {
                        q.words.push(word.clone());
                        q.parts.push(self.parts[i].clone());
                        q.word_sentences.push(vec![0]);
                    }
                }
                for (i, bigram) in self.bigrams.iter().enumerate() {
                    if self.bigram_sentences[i].contains(&s) {
                        q.bigrams.push(bigram.clone());
                        q.bigram_sentences.push(vec![0]);
                    }
                }
                q
            })
            .collect()
    }

    fn push_place(&mut self, name: &str, role: Option<Role>) {
        match self.places.iter_mut().find(|p| p.name == name) {
            // Named again: a mention without a role keeps the role another gave (九江医保去
            // 上海住院 九江要办什么); two roles leave it unsettled for good.
            Some(place) => {
                let Some(role) = role else { return };
                if self.unsettled.iter().any(|n| n == name) {
                    return;
                }
                match place.role {
                    None => place.role = Some(role),
                    Some(known) if known != role => {
                        place.role = None;
                        self.unsettled.push(name.to_string());
                    }
                    Some(_) => {}
                }
            }
            None => self.places.push(Place {
                name: name.to_string(),
                role,
            }),
        }
    }
}

/// jieba plus the corpus's user dictionary, word classes and role patterns.
pub struct Segmenter {
    jieba: Jieba,
    /// Part-of-speech tags from the user dictionary; they override jieba's own, which
    /// cannot be changed for words jieba already knows.
    user_tags: HashMap<String, String>,
    lexicon: Lexicon,
    roles: Roles,
    places: Places,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segmenter")
            .field("user_tags", &self.user_tags.len())
            .finish()
    }
}

impl Segmenter {
    /// jieba's general dictionary (`jieba`, as `Jieba::new` builds it) plus `user_words`,
    /// `places` (tagged as places) and `extra_words` (e.g. synonym words); `lexicon` and
    /// `roles` as the matcher sees them (rewritten with the synonyms).
    pub fn new<'a>(
        mut jieba: Jieba,
        user_words: &[UserWord],
        places: &Places,
        extra_words: impl Iterator<Item = &'a str>,
        lexicon: Lexicon,
        roles: Roles,
    ) -> Segmenter {
        let mut user_tags = HashMap::default();
        for place in places.names() {
            jieba.add_word(place, None, Some("ns"));
            user_tags.insert(place.to_string(), "ns".to_string());
        }
        for w in user_words {
            jieba.add_word(&w.word, w.freq, w.tag.as_deref());
            if let Some(tag) = &w.tag {
                user_tags.insert(w.word.clone(), tag.clone());
            }
        }
        for w in extra_words {
            if !jieba.has_word(w) && w.chars().count() >= 2 {
                jieba.add_word(w, None, None);
            }
        }
        for w in lexicon.words().chain(roles.elsewhere_words()) {
            if !jieba.has_word(w) && w.chars().count() >= 2 {
                jieba.add_word(w, None, None);
            }
        }
        Segmenter {
            jieba,
            user_tags,
            lexicon,
            roles,
            places: places.clone(),
        }
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// How common `word` is in general Chinese (jieba's dictionary frequency; 1 for a
    /// word it does not know). Tells an everyday word (必须) from a subject (公积金).
    pub fn general_frequency(&self, word: &str) -> usize {
        if self.jieba.has_word(word) {
            self.jieba.suggest_freq(word)
        } else {
            1
        }
    }

    /// Whether jieba (or the user dictionary) knows `word`.
    pub fn is_word(&self, word: &str) -> bool {
        self.jieba.has_word(word)
    }

    /// What kind of name `word` (with jieba's `tag`) is.
    fn kind(&self, word: &str, tag: &str) -> TermKind {
        let tag = self.user_tags.get(word).map_or(tag, String::as_str);
        // `铁岭市` is a place when `铁岭` is, whatever jieba says.
        let stem_is_place = self
            .user_tags
            .get(place_key(word))
            .is_some_and(|t| t == "ns");
        if tag == "ns" || stem_is_place {
            TermKind::Place
        } else if year(word).is_some() {
            TermKind::Year
        } else {
            TermKind::Word
        }
    }

    /// Everything the matcher needs to know about normalised `text`.
    pub fn analyze(&self, text: &str) -> Analysis {
        let tokens = self.tokens(text);
        let mut a = Analysis::default();
        // Bigrams run across word boundaries but not across dropped filler or spaces.
        let mut run: Vec<char> = Vec::new();
        let mut run_clause = 0;
        // Where each bigram is in `a.bigrams`: a long message has hundreds.
        let mut bigram_at: HashMap<[char; 2], usize> = HashMap::default();
        let mut flush = |run: &mut Vec<char>, clause: usize, a: &mut Analysis| {
            for pair in run.windows(2) {
                let pair = [pair[0], pair[1]];
                match bigram_at.get(&pair) {
                    Some(&i) => a.bigram_sentences[i].push(clause),
                    None => {
                        bigram_at.insert(pair, a.bigrams.len());
                        a.bigrams.push(pair.iter().collect());
                        a.bigram_sentences.push(vec![clause]);
                    }
                }
            }
            run.clear();
        };
        // A negation reaches past light words and filler, and a word or two besides, to
        // the procedure it negates (没及时去办跨省备案): this many words more.
        let mut negating: Option<usize> = None;
        let mut previous = "";
        for (i, t) in tokens.iter().enumerate() {
            // `24年` is 2024.
            let short_year = short_year(t.word, tokens.get(i + 1).map(|n| n.word));
            let word = short_year.as_deref().unwrap_or(t.word);
            if t.clause != run_clause {
                flush(&mut run, run_clause, &mut a);
                run_clause = t.clause;
            }
            if word.trim().is_empty() {
                flush(&mut run, run_clause, &mut a);
                negating = None;
                continue;
            }
            // Not a negation: the 不能 of 能不能, the 没有 of 有没有.
            let tail = &word[word.chars().next().map_or(0, char::len_utf8)..];
            let question_form = !tail.is_empty() && tail == previous;
            previous = t.word;
            if self.lexicon.is_negation(word) && !question_form {
                negating = Some(NEGATION_REACH);
                run.extend(word.chars().filter(|&c| is_cjk(c)));
                continue;
            }
            // Filler, and bare one- or two-digit numbers (a "1" says nothing).
            let short_number = word.len() <= 2 && word.bytes().all(|b| b.is_ascii_digit());
            if self.lexicon.is_filler(word) || short_number {
                flush(&mut run, run_clause, &mut a);
                continue;
            }
            if word.chars().all(is_cjk) {
                run.extend(word.chars());
            } else {
                flush(&mut run, run_clause, &mut a);
            }
            let kind = self.kind(word, t.tag);
            let key = match kind {
                TermKind::Place => {
                    let key = place_key(word);
                    let role = self
                        .roles
                        .role(&text[..t.start], &text[t.start + word.len()..]);
                    a.push_place(key, role);
                    key
                }
                TermKind::Year => {
                    if let Some(y) = year(word).filter(|y| !a.years.contains(y)) {
                        a.years.push(y);
                    }
                    word
                }
                TermKind::Word => {
                    if self.roles.is_elsewhere(word) {
                        a.elsewhere = true;
                    }
                    word
                }
            };
            let parts = match kind {
                TermKind::Word => self.sub_words(key),
                _ => Vec::new(),
            };
            a.push_word(key, parts, t.clause);
            if let Some(reach) = negating {
                if self.lexicon.is_procedure(key) {
                    a.push_word(&format!("{NEGATED}{key}"), Vec::new(), t.clause);
                    negating = None;
                } else if !self.lexicon.is_light(word) {
                    negating = reach.checked_sub(1).filter(|&r| r > 0);
                }
            }
        }
        flush(&mut run, run_clause, &mut a);
        a.questions = self.questions(&tokens);
        self.imply(&mut a);
        a
    }

    /// Notes how far apart the places named lie, and adds what that implies (河南医保去
    /// 上海: 省外; 九江医保去南昌: 跨市) when the text does not say it, as a word of every
    /// sentence, as places are.
    fn imply(&self, a: &mut Analysis) {
        a.apart = self.places.apart(a.places.iter().map(|p| p.name.as_str()));
        let Some(apart) = a.apart else {
            return;
        };
        for word in self.roles.implied(apart) {
            if a.words.contains(word) {
                continue;
            }
            a.push_word(word, self.sub_words(word), 0);
            if let Some(sentences) = a.word_sentences.last_mut() {
                sentences.extend(a.questions.iter().copied());
            }
        }
    }

    /// `text` as jieba cuts it, each piece with where it starts and which sentence it
    /// belongs to: a new one after a space (punctuation became spaces) or a particle that
    /// ends a sentence.
    fn tokens<'t>(&'t self, text: &'t str) -> Vec<Token<'t>> {
        let mut tokens = Vec::new();
        let (mut start, mut clause) = (0, 0);
        let mut ended = false;
        for tag in self.jieba.tag(text, false) {
            if ended {
                clause += 1;
            }
            ended = tag.word.trim().is_empty() || self.lexicon.ends_sentence(tag.word);
            // A word that starts with a place and ends with a word (云南旅游, 四川人)
            // names the place: 云南 + 旅游.
            let (word, rest) = match self.place_prefix(tag.word, tag.tag) {
                Some(len) => tag.word.split_at(len),
                None => (tag.word, ""),
            };
            tokens.push(Token {
                word,
                tag: if rest.is_empty() { tag.tag } else { "ns" },
                start,
                clause,
            });
            if !rest.is_empty() {
                tokens.push(Token {
                    word: rest,
                    tag: tag.tag,
                    start: start + word.len(),
                    clause,
                });
            }
            start += tag.word.len();
        }
        tokens
    }

    /// The length in bytes of the place `word` starts with, when it is no place itself, no
    /// idiom or organisation, and the rest of it is a word of its own (云南旅游: 云南;
    /// 四川人: 四川), the longest such.
    fn place_prefix(&self, word: &str, tag: &str) -> Option<usize> {
        // Idioms (i) and set phrases (l) are no places (长治久安), and an organisation
        // (nt) is not where it is named after (中山大学, 朝阳医院).
        let set_phrase = tag.starts_with('i') || tag.starts_with('l') || tag == "nt";
        if word.chars().count() < 3 || set_phrase || self.kind(word, tag) == TermKind::Place {
            return None;
        }
        let ends = word.char_indices().skip(2).map(|(i, _)| i);
        ends.filter(|&i| {
            let (place, rest) = word.split_at(i);
            self.places.province_of(place).is_some() && self.jieba.has_word(rest)
        })
        .last()
    }

    /// The sentences of a long message that ask, when it asks in more than one or says
    /// more besides (`我爸是黑龙江的退休职工 今年冬天来北京住 他的医保卡能直接用吗`): each
    /// is also read as a question of its own. None for a message read whole.
    fn questions(&self, tokens: &[Token]) -> Vec<usize> {
        let clauses = tokens.last().map_or(0, |t| t.clause + 1);
        let mut asks = vec![false; clauses];
        let mut words = vec![0; clauses];
        for t in tokens {
            if self.lexicon.is_question(t.word) {
                asks[t.clause] = true;
            }
            if !t.word.trim().is_empty() && !self.lexicon.is_filler(t.word) {
                words[t.clause] += 1;
            }
        }
        let total: usize = words.iter().sum();
        let questions: Vec<usize> = (0..clauses).filter(|&c| asks[c] && words[c] > 0).collect();
        let asking: usize = questions.iter().map(|&c| words[c]).sum();
        let split =
            total >= LONG_MESSAGE_WORDS && asking >= 2 && (questions.len() > 1 || asking < total);
        if split { questions } else { Vec::new() }
    }

    /// The dictionary words inside a compound (two and three characters), as jieba's
    /// search mode finds them, so `异地就医备案` also matches `备案`.
    fn sub_words(&self, word: &str) -> Vec<String> {
        let mut subs = Vec::new();
        // Where each character starts, and where the last ends.
        let starts: Vec<usize> = word
            .char_indices()
            .map(|(i, _)| i)
            .chain([word.len()])
            .collect();
        let chars = starts.len() - 1;
        if chars < 3 {
            return subs;
        }
        for len in [2, 3] {
            if len >= chars {
                break;
            }
            for start in 0..=chars - len {
                let sub = &word[starts[start]..starts[start + len]];
                if self.jieba.has_word(sub) && !self.lexicon.is_filler(sub) {
                    subs.push(sub.to_string());
                }
            }
        }
        subs
    }
}

/// A piece of text as jieba cut it.
struct Token<'t> {
    word: &'t str,
    tag: &'t str,
    /// Byte offset in the text.
    start: usize,
    /// Which sentence of the text it belongs to.
    clause: usize,
}

/// `24` before `年` or `年度`, as people write years: `2024`.
fn short_year(word: &str, next: Option<&str>) -> Option<String> {
    let is_two_digits = word.len() == 2 && word.bytes().all(|b| b.is_ascii_digit());
    if !is_two_digits || !next.is_some_and(|n| n.starts_with('年')) {
        return None;
    }
    let n: u16 = word.parse().ok()?;
    Some(format!("{}", if n >= 90 { 1900 + n } else { 2000 + n }))
}

/// `2025` or `2025年` as a year between 1990 and 2099.
fn year(word: &str) -> Option<u16> {
    let digits = word.strip_suffix('年').unwrap_or(word);
    if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let y: u16 = digits.parse().ok()?;
        (1990..=2099).contains(&y).then_some(y)
    } else {
        None
    }
}

/// `黑龙江省` and `黑龙江`, `深圳市` and `深圳` name the same place.
pub fn place_key(place: &str) -> &str {
    if place.chars().count() >= 3 {
        for suffix in ['省', '市'] {
            if let Some(stem) = place.strip_suffix(suffix) {
                return stem;
            }
        }
    }
    place
}

/// The character `word` is made of, when it is one character long (和, 了).
pub fn single_char(word: &str) -> Option<char> {
    let mut chars = word.chars();
    chars.next().filter(|_| chars.next().is_none())
}

pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}
