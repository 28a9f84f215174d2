//! The inverted index the matcher scores against: every question, alternate and section
//! title of the corpus as a weighted bag of words and character bigrams, grouped into
//! targets (an entry, or one of its sections).

use rustc_hash::FxHashMap;
use std::ops::Range;

use super::places::Place;
use super::segment::{Analysis, NEGATED};
use super::tuning::SUBJECT_MAX_ENTRIES;

/// Words or character bigrams: the two kinds of term the index keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    Word,
    Bigram,
}

/// A term the corpus knows, as the scorer walks it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Term {
    pub kind: TermKind,
    pub id: u32,
    pub weight: f32,
}

/// Ids, weights and posting lists for one kind of term (words, or bigrams).
#[derive(Debug, Default)]
pub struct Vocab {
    ids: FxHashMap<String, u32>,
    /// The term of each id.
    terms: Vec<String>,
    /// Inverse document frequency over entries: rare words say more.
    idf: Vec<f32>,
    /// Utterances containing each term.
    postings: Vec<Vec<u32>>,
    /// Targets containing each term (some phrasing of theirs uses it), in index order:
    /// how much of a question a target's vocabulary explains is summed term by term
    /// over these when that reads less than searching every target's terms.
    targets: Vec<Vec<u32>>,
    max_idf: f32,
}

impl Vocab {
    fn intern(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = self.ids.len() as u32;
        self.ids.insert(term.to_string(), id);
        self.terms.push(term.to_string());
        self.postings.push(Vec::new());
        id
    }

    pub fn id(&self, term: &str) -> Option<u32> {
        self.ids.get(term).copied()
    }

    pub fn idf(&self, id: u32) -> f32 {
        self.idf[id as usize]
    }

    pub fn postings(&self, id: u32) -> &[u32] {
        &self.postings[id as usize]
    }

    /// The targets whose phrasings use term `id`, in index order.
    pub fn targets(&self, id: u32) -> &[u32] {
        &self.targets[id as usize]
    }

    /// The weight of a term no entry uses: that of a term used by one entry.
    pub fn unknown_idf(&self) -> f32 {
        self.max_idf
    }

    pub fn terms(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().map(String::as_str)
    }

    /// The term of `id`.
    pub fn term(&self, id: u32) -> &str {
        &self.terms[id as usize]
    }

    /// For each id, whether its term is a negated word.
    fn negated(&self) -> Vec<bool> {
        self.terms.iter().map(|t| t.starts_with(NEGATED)).collect()
    }
}

/// One question, alternate or section title.
#[derive(Debug)]
pub struct Utterance {
    pub target: u32,
    /// Sorted ids of its words and of the parts of its compounds.
    pub words: Vec<u32>,
    pub bigrams: Vec<u32>,
    /// Ids of its words as segmented.
    whole_words: Vec<u32>,
}

/// Something that can answer: an entry as a whole, or one of its sections.
#[derive(Debug)]
pub struct Target {
    pub entry: u32,
    pub section: Option<u32>,
    /// Places and years named by the target's canonical question or title (and, for a
    /// section, by its entry's question too).
    pub places: Vec<Place>,
    /// It speaks of "elsewhere" (异地): the role its places do not take is open.
    pub open: bool,
    pub years: Vec<u16>,
    /// Every term any of its phrasings uses, sorted.
    pub words: Vec<u32>,
    pub bigrams: Vec<u32>,
    /// The words of its canonical question or title, sorted.
    pub title: Vec<u32>,
    /// Its phrasings: the utterances from `phrasings.start` to `phrasings.end`.
    pub phrasings: Range<u32>,
    /// The words of its title that name a subject (see [`Index::subjects`]), each with
    /// its last character.
    pub subjects: Vec<(u32, char)>,
    /// What its title asks for (bits of [`Lexicon::asks`](super::lexicon::Lexicon::asks)),
    /// set by [`Index::mark_asks`].
    pub asks: u8,
}

#[derive(Debug, Default)]
pub struct Index {
    pub words: Vocab,
    pub bigrams: Vocab,
    pub utterances: Vec<Utterance>,
    /// For each utterance: the summed idf of its words as segmented (not the parts), and
    /// of its bigrams, for precision; kept apart so that scoring reads them densely.
    pub word_masses: Vec<f32>,
    pub bigram_masses: Vec<f32>,
    pub targets: Vec<Target>,
    /// For each word: whether it names a subject that tells entries apart — it stands in
    /// the canonical questions (or section titles) of a few entries only, so an entry
    /// whose phrasings never use it is about something else (职工医保 vs 居民医保).
    pub subjects: Vec<bool>,
    /// For each word: whether it is a negated one (`¬备案`).
    pub negated: Vec<bool>,
}

/// What the index is built from: per entry, its own phrasings and each section's. The
/// first phrasing is the canonical question (or section title): the places and years it
/// names are what the target is about.
pub struct EntryText {
    pub phrasings: Vec<Analysis>,
    pub sections: Vec<Vec<Analysis>>,
}

impl Vocab {
    fn finish(&mut self, df: &[u32], n_entries: usize) {
        let n = n_entries as f32;
        self.idf = df
            .iter()
            .map(|&d| {
                let d = d as f32;
                (1.0 + (n - d + 0.5) / (d + 0.5)).ln()
            })
            .collect();
        self.max_idf = (1.0 + (n - 0.5) / 1.5).ln();
    }
}

impl Utterance {
    /// Its sorted term ids of one kind.
    pub fn terms(&self, kind: TermKind) -> &[u32] {
        match kind {
            TermKind::Word => &self.words,
            TermKind::Bigram => &self.bigrams,
        }
    }
}

impl Target {
    /// Every term of one kind that any of its phrasings uses, sorted.
    pub fn terms(&self, kind: TermKind) -> &[u32] {
        match kind {
            TermKind::Word => &self.words,
            TermKind::Bigram => &self.bigrams,
        }
    }
}

impl Index {
    /// The utterances containing `term`.
    pub fn postings(&self, term: &Term) -> &[u32] {
        self.vocab(term.kind).postings(term.id)
    }

    /// The vocabulary of one kind of term.
    pub fn vocab(&self, kind: TermKind) -> &Vocab {
        match kind {
            TermKind::Word => &self.words,
            TermKind::Bigram => &self.bigrams,
        }
    }

    pub fn build(entries: &[EntryText]) -> Index {
        let mut index = Index::default();
        let mut word_df: Vec<u32> = Vec::new();
        let mut bigram_df: Vec<u32> = Vec::new();
        for (e, entry) in entries.iter().enumerate() {
            let mut targets = Vec::new();
            let entry_names = Names::of(&entry.phrasings);
            targets.push(index.add_target(e, None, &entry.phrasings, entry_names.clone()));
            for (s, section) in entry.sections.iter().enumerate() {
                let mut own = Names::of(section);
                own.add(&entry_names);
                targets.push(index.add_target(e, Some(s as u32), section, own));
            }
            // Document frequency counts entries, not phrasings.
            for (kind, df) in [
                (TermKind::Word, &mut word_df),
                (TermKind::Bigram, &mut bigram_df),
            ] {
                let mut ids: Vec<u32> = targets
                    .iter()
                    .flat_map(|&t| index.targets[t as usize].terms(kind).iter().copied())
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                bump(df, &ids);
            }
        }
        for (kind, vocab) in [
            (TermKind::Word, &mut index.words),
            (TermKind::Bigram, &mut index.bigrams),
        ] {
            vocab.targets = vec![Vec::new(); vocab.terms.len()];
            for (t, target) in index.targets.iter().enumerate() {
                for &id in target.terms(kind) {
                    vocab.targets[id as usize].push(t as u32);
                }
            }
        }
        index.subjects = subjects(&index);
        for target in &mut index.targets {
            target.subjects = target
                .title
                .iter()
                .filter(|&&id| index.subjects[id as usize])
                .filter_map(|&id| Some((id, index.words.term(id).chars().next_back()?)))
                .collect();
        }
        index.negated = index.words.negated();
        index.words.finish(&word_df, entries.len());
        index.bigrams.finish(&bigram_df, entries.len());
        let mass = |ids: &[u32], vocab: &Vocab| ids.iter().map(|&id| vocab.idf[id as usize]).sum();
        index.word_masses = index
            .utterances
            .iter()
            .map(|u| mass(&u.whole_words, &index.words))
            .collect();
        index.bigram_masses = index
            .utterances
            .iter()
            .map(|u| mass(&u.bigrams, &index.bigrams))
            .collect();
        index
    }

    /// Notes what each target's title asks for, by `asks` of each of its words.
    pub fn mark_asks(&mut self, asks: impl Fn(&str) -> u8) {
        for target in &mut self.targets {
            target.asks = target
                .title
                .iter()
                .fold(0, |bits, &id| bits | asks(self.words.term(id)));
        }
    }

    fn add_target(
        &mut self,
        entry: usize,
        section: Option<u32>,
        phrasings: &[Analysis],
        names: Names,
    ) -> u32 {
        let t = self.targets.len() as u32;
        let mut target = Target {
            entry: entry as u32,
            section,
            places: names.places,
            open: names.open,
            years: names.years,
            words: Vec::new(),
            bigrams: Vec::new(),
            title: Vec::new(),
            phrasings: 0..0,
            subjects: Vec::new(),
            asks: 0,
        };
        let first = self.utterances.len();
        for a in phrasings {
            let u = self.utterances.len() as u32;
            let whole_words: Vec<u32> = a.words.iter().map(|w| self.words.intern(w)).collect();
            let all: Vec<String> = a
                .words
                .iter()
                .chain(a.parts.iter().flatten())
                .cloned()
                .collect();
            let words = ids(&mut self.words, &all, u);
            let bigrams = ids(&mut self.bigrams, &a.bigrams, u);
            target.words.extend(&words);
            target.bigrams.extend(&bigrams);
            self.utterances.push(Utterance {
                target: t,
                words,
                bigrams,
                whole_words,
            });
        }
        target.phrasings = first as u32..self.utterances.len() as u32;
        if let Some(first) = self.utterances.get(first) {
            target.title = first.whole_words.clone();
        }
        for v in [&mut target.words, &mut target.bigrams, &mut target.title] {
            v.sort_unstable();
            v.dedup();
        }
        self.targets.push(target);
        t
    }
}

/// Which words name subjects: those in the titles of at least one and at most
/// [`SUBJECT_MAX_ENTRIES`] entries.
fn subjects(index: &Index) -> Vec<bool> {
    let mut entries_of: Vec<Vec<u32>> = vec![Vec::new(); index.words.ids.len()];
    for t in &index.targets {
        for &w in &t.title {
            let of = &mut entries_of[w as usize];
            if of.last() != Some(&t.entry) {
                of.push(t.entry);
            }
        }
    }
    entries_of
        .iter()
        .map(|of| (1..=SUBJECT_MAX_ENTRIES).contains(&of.len()))
        .collect()
}

/// Interns terms, records the utterance in their postings, returns sorted ids.
fn ids(vocab: &mut Vocab, terms: &[String], utterance: u32) -> Vec<u32> {
    let mut ids: Vec<u32> = terms.iter().map(|t| vocab.intern(t)).collect();
    ids.sort_unstable();
    ids.dedup();
    for &id in &ids {
        vocab.postings[id as usize].push(utterance);
    }
    ids
}

fn bump(df: &mut Vec<u32>, ids: &[u32]) {
    for &id in ids {
        let i = id as usize;
        if df.len() <= i {
            df.resize(i + 1, 0);
        }
        df[i] += 1;
    }
}

/// Places and years named by the first phrasing (the canonical question or title):
/// alternates say the same in other words, often naming a city of the same province.
#[derive(Debug, Clone, Default)]
struct Names {
    places: Vec<Place>,
    years: Vec<u16>,
    open: bool,
}

impl Names {
    fn of(phrasings: &[Analysis]) -> Names {
        phrasings
            .first()
            .map(|a| Names {
                places: a.places.clone(),
                years: a.years.clone(),
                open: a.elsewhere,
            })
            .unwrap_or_default()
    }

    /// A section is about its entry's places and years too.
    fn add(&mut self, entry: &Names) {
        for p in &entry.places {
            if !self.places.iter().any(|o| o.name == p.name) {
                self.places.push(p.clone());
            }
        }
        for y in &entry.years {
            if !self.years.contains(y) {
                self.years.push(*y);
            }
        }
        self.open |= entry.open;
    }
}
