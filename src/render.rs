//! Plain-text rendering of outcomes, as the command line prints them.

use crate::corpus::Entry;
use crate::matcher::{Decline, Hit, Matcher, Outcome};

/// "来源：《title》（file，2025-03-30）" — or says the source carries no date.
pub fn source_line(entry: &Entry) -> String {
    let s = &entry.source;
    let date = match &s.date {
        Some(d) => d.clone(),
        None => "原文未注明日期".to_string(),
    };
    format!("来源：《{}》（{}，{}）", s.title, s.file, date)
}

/// The whole reply to a question, as a person reads it.
pub fn plain(matcher: &Matcher, outcome: &Outcome) -> String {
    let corpus = matcher.corpus();
    match outcome {
        Outcome::Answer(hit) => {
            let entry = matcher.entry(hit);
            let mut out = String::new();
            let (conclusion, content) = match matcher.section(hit) {
                Some(section) => {
                    out.push_str(&format!("【{}】{}\n", entry.question, section.title));
                    (section.conclusion(), section.content())
                }
                None => {
                    out.push_str(&format!("【{}】\n", entry.question));
                    (entry.conclusion(), entry.content())
                }
            };
            out.push_str(&format!("{conclusion}\n\n{content}\n\n"));
            if hit.section.is_some() {
                out.push_str(&format!(
                    "（以上摘自全文；全文：yibao-bot show {}）\n",
                    entry.id
                ));
            }
            out.push_str(&source_line(entry));
            out.push_str(&format!("\n\n{}", corpus.disclaimer));
            out
        }
        Outcome::Suggest(hits) => {
            let mut out = String::from("您是不是想问：\n");
            for (i, hit) in hits.iter().enumerate() {
                out.push_str(&format!("{}. {}\n", i + 1, title(matcher, hit)));
            }
            out.trim_end().to_string()
        }
        Outcome::None(Decline::OutOfScope(t)) => format!(
            "{}\n{}",
            corpus.out_of_scope.topics()[*t].message,
            corpus.decline
        ),
        Outcome::None(_) => corpus.decline.clone(),
    }
}

/// An entry in full, with its source and the disclaimer.
pub fn full_entry(matcher: &Matcher, entry: &Entry) -> String {
    format!(
        "【{}】\n{}\n\n{}\n\n{}\n\n{}",
        entry.question,
        entry.conclusion(),
        entry.content(),
        source_line(entry),
        matcher.corpus().disclaimer
    )
}

/// The question a hit stands for: the entry's, or "section title(entry question)".
pub fn title(matcher: &Matcher, hit: &Hit) -> String {
    let entry = matcher.entry(hit);
    match matcher.section(hit) {
        Some(section) => format!("{}({})", section.title, entry.question),
        None => entry.question.clone(),
    }
}
