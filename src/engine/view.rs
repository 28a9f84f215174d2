//! What is shown for a hit, resolved once: the entry, the section that answered (if
//! one did), and the heading, conclusion and content to show. Every renderer — the
//! command line, Telegram messages, inline results, buttons — reads this.

use super::corpus::{Corpus, Entry, MAX_POINT_CHARS, MAX_POINTS, Section, split_answer};
use super::decide::Hit;

/// A content line shorter than this is a heading ("一、备案要求"), not a point.
const MIN_DERIVED_POINT_CHARS: usize = 8;

/// `text` cut to `max` characters, with "…" when cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// A hit as a person sees it.
#[derive(Debug, Clone)]
pub struct AnswerView<'a> {
    pub entry: &'a Entry,
    /// The section that answered; `None` when the whole entry did.
    pub section: Option<&'a Section>,
    /// The entry's canonical question: what every answer is headed with.
    pub heading: &'a str,
    /// The section's title, under the heading, when a section answered.
    pub subheading: Option<&'a str>,
    /// The one-line conclusion.
    pub conclusion: &'a str,
    /// Everything after the conclusion.
    pub content: &'a str,
    /// Conclusion and content as written in the corpus.
    pub answer: &'a str,
    /// The places the answer holds for, when the question named none ("山西运城").
    pub local_to: Option<String>,
}

impl<'a> AnswerView<'a> {
    /// What a button or a search result calls it: the section's title, or the entry's
    /// question.
    pub fn label(&self) -> &'a str {
        self.subheading.unwrap_or(self.heading)
    }

    /// Said under the heading when the answer holds for places the question did not name.
    pub fn local_note(&self) -> Option<String> {
        let places = self.local_to.as_ref()?;
        Some(format!("以下是{places}的规定，其他地区以当地规定为准。"))
    }

    /// The short question a button, a search result and an answer's heading show: the
    /// section's or entry's `short` label (≤ 14 characters), else its full question.
    pub fn short(&self) -> &'a str {
        match self.section {
            Some(s) => s.short.as_deref().unwrap_or(&s.title),
            None => self.entry.label(),
        }
    }

    /// At most three key points: the corpus's own, else the first lines of the content
    /// (list markers dropped), each cut to a line a phone shows whole.
    pub fn points(&self) -> Vec<String> {
        let written = match self.section {
            Some(s) => &s.points,
            None => &self.entry.points,
        };
        if !written.is_empty() {
            return written.iter().take(MAX_POINTS).cloned().collect();
        }
        self.content
            .lines()
            .map(|l| l.trim().trim_start_matches(['•', '·', '-', '*']).trim())
            .filter(|l| l.chars().count() >= MIN_DERIVED_POINT_CHARS)
            .take(MAX_POINTS)
            .map(|l| cut(l, MAX_POINT_CHARS))
            .collect()
    }

    /// Unambiguous in a list of candidates: "section title(entry question)".
    pub fn title(&self) -> String {
        match self.subheading {
            Some(title) => format!("{title}({})", self.heading),
            None => self.heading.to_string(),
        }
    }
}

impl Corpus {
    /// The view of `hit`. Hits come from this corpus, so their indices are valid.
    pub fn view(&self, hit: &Hit) -> AnswerView<'_> {
        let entry = &self.entries[hit.entry];
        let section = hit.section.map(|s| &entry.sections[s]);
        let answer = section.map_or(entry.answer.as_str(), |s| s.answer.as_str());
        let (conclusion, content) = split_answer(answer);
        AnswerView {
            entry,
            section,
            heading: &entry.question,
            subheading: section.map(|s| s.title.as_str()),
            conclusion,
            content,
            answer,
            local_to: None,
        }
    }

    /// The hit a button or a link names by ids: an entry, or one of its sections.
    pub fn hit(&self, entry_id: &str, section_id: Option<&str>) -> Option<Hit> {
        let entry = self.index_of(entry_id)?;
        let section = match section_id {
            Some(id) => Some(
                self.entries[entry]
                    .sections
                    .iter()
                    .position(|s| s.id == id)?,
            ),
            None => None,
        };
        Some(Hit {
            section,
            ..Hit::whole(entry)
        })
    }
}

/// A source title longer than this is cut in an answer's footer (in full in /about).
const MAX_SOURCE_TITLE_CHARS: usize = 24;

impl Entry {
    /// What a button calls the whole entry: its `short` label, else its question.
    pub fn label(&self) -> &str {
        self.short.as_deref().unwrap_or(&self.question)
    }

    /// Where the answer comes from, as every renderer shows it, on one line:
    /// "来源：《title》2024-05-01", saying so when the source carries no date. (The
    /// source's file name means nothing to a reader; /about lists the files.)
    pub fn source_line(&self) -> String {
        let Some(s) = &self.source else {
            return "来源：未注明".to_string();
        };
        let date = s.date.as_deref().unwrap_or("原文未注明日期");
        format!("来源：《{}》{date}", cut(&s.title, MAX_SOURCE_TITLE_CHARS))
    }
}
