//! Word segmentation (jieba with the corpus's user dictionary) and the terms the matcher
//! compares: words, character bigrams, and the names that must agree — places and years.

use std::collections::{HashMap, HashSet};

use jieba_rs::Jieba;

use super::userdict::UserWord;

/// Filler that says nothing about what is asked: greetings, thanks, particles, pronouns,
/// and the acknowledgements and chit-chat of a chat (好的, 不是, 什么意思…).
#[rustfmt::skip]
const STOPWORDS: &[&str] = &[
    "的", "了", "吗", "呢", "啊", "吧", "呀", "哦", "嘛", "么", "哈", "嗯", "哟", "啦", "喔",
    "噢", "诶", "欸", "哎", "唉", "滴", "请问", "请", "你好", "您好", "谢谢", "谢了", "多谢",
    "感谢", "麻烦", "麻烦你", "问一下", "问下", "请教", "一下", "想问", "想知道", "问问",
    "打扰", "打扰一下", "大家好", "各位", "我", "我的", "我们", "你", "您", "你们", "他",
    "她", "它", "他们", "她们", "咱", "俺", "这个", "那个", "这", "那", "就", "都", "也",
    "还", "又", "和", "与", "及", "是", "在", "个", "帮", "帮忙", "帮我", "一个", "有人",
    "谁", "知道", "急", "在线等", "求助", "求", "help", "hi", "hello",
    // Acknowledgements and chit-chat: never a question by themselves.
    "好", "好的", "好吧", "好滴", "好嘞", "嗯嗯", "行", "行吧", "知道了", "明白", "明白了",
    "收到", "懂了", "了解", "了解了", "对", "对的", "是的", "不是", "没有", "没", "为什么",
    "为啥", "什么", "啥", "意思", "一样", "真的", "哈哈", "哈哈哈", "呵呵", "ok", "okay",
    "哦哦", "辛苦", "辛苦了", "再见", "拜拜", "晚安", "早上好", "晚上好", "中午好",
    "下午好", "在吗", "在不在", "有人吗", "机器人",
];

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
    /// Words as segmented, each once.
    pub words: Vec<String>,
    /// For each word, the dictionary words inside it (`异地就医备案` → `异地`, `就医`,
    /// `备案`), so that a compound and its parts can still meet.
    pub parts: Vec<Vec<String>>,
    pub bigrams: Vec<String>,
    pub places: Vec<String>,
    pub years: Vec<u16>,
}

impl Analysis {
    /// Too little to go on: no word at all, or a single character (满, 报).
    pub fn is_thin(&self) -> bool {
        match self.words.as_slice() {
            [] => true,
            [only] => only.chars().count() < 2,
            _ => false,
        }
    }
}

/// jieba plus the corpus's user dictionary and the stopword list.
pub struct Segmenter {
    jieba: Jieba,
    /// Part-of-speech tags from the user dictionary; they override jieba's own, which
    /// cannot be changed for words jieba already knows.
    user_tags: HashMap<String, String>,
    stopwords: HashSet<&'static str>,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segmenter")
            .field("user_tags", &self.user_tags.len())
            .finish()
    }
}

impl Segmenter {
    /// jieba's dictionary plus `user_words`, `places` (tagged as places) and
    /// `extra_words` (e.g. synonym words).
    pub fn new<'a>(
        user_words: &[UserWord],
        places: impl Iterator<Item = &'a str>,
        extra_words: impl Iterator<Item = &'a str>,
    ) -> Segmenter {
        let mut jieba = Jieba::new();
        let mut user_tags = HashMap::new();
        for place in places {
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
        Segmenter {
            jieba,
            user_tags,
            stopwords: STOPWORDS.iter().copied().collect(),
        }
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
        let mut a = Analysis::default();
        // Bigrams run across word boundaries but not across dropped filler or spaces.
        let mut run: Vec<char> = Vec::new();
        let flush = |run: &mut Vec<char>, a: &mut Analysis| {
            for pair in run.windows(2) {
                push_unique(&mut a.bigrams, pair.iter().collect());
            }
            run.clear();
        };
        for tag in self.jieba.tag(text, false) {
            let word = tag.word;
            // Filler, and bare one- or two-digit numbers (a "1" says nothing).
            let short_number = word.len() <= 2 && word.bytes().all(|b| b.is_ascii_digit());
            if word.trim().is_empty() || self.stopwords.contains(word) || short_number {
                flush(&mut run, &mut a);
                continue;
            }
            if word.chars().all(is_cjk) {
                run.extend(word.chars());
            } else {
                flush(&mut run, &mut a);
            }
            let kind = self.kind(word, tag.tag);
            let key = match kind {
                TermKind::Place => {
                    push_unique(&mut a.places, place_key(word).to_string());
                    place_key(word)
                }
                TermKind::Year => {
                    if let Some(y) = year(word).filter(|y| !a.years.contains(y)) {
                        a.years.push(y);
                    }
                    word
                }
                TermKind::Word => word,
            };
            if !a.words.iter().any(|w| w == key) {
                a.words.push(key.to_string());
                a.parts.push(match kind {
                    TermKind::Word => self.sub_words(key),
                    _ => Vec::new(),
                });
            }
        }
        flush(&mut run, &mut a);
        a
    }

    /// The dictionary words inside a compound (two and three characters), as jieba's
    /// search mode finds them, so `异地就医备案` also matches `备案`.
    fn sub_words(&self, word: &str) -> Vec<String> {
        let chars: Vec<char> = word.chars().collect();
        let mut subs = Vec::new();
        if chars.len() < 3 {
            return subs;
        }
        for len in [2, 3] {
            if len >= chars.len() {
                break;
            }
            for start in 0..=chars.len() - len {
                let sub: String = chars[start..start + len].iter().collect();
                if self.jieba.has_word(&sub) && !self.stopwords.contains(sub.as_str()) {
                    subs.push(sub);
                }
            }
        }
        subs
    }
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
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

pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}
