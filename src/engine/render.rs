//! Plain-text rendering of outcomes, as the command line prints them.

use super::decide::{Decline, Hit, Outcome};
use super::matcher::Matcher;

/// The whole reply to a question, as a person reads it.
pub fn plain(matcher: &Matcher, outcome: &Outcome) -> String {
    let corpus = matcher.corpus();
    match outcome {
        Outcome::Answer(hit) => {
            let view = matcher.view(hit);
            let mut out = match view.subheading {
                Some(title) => format!("【{}】{title}\n", view.heading),
                None => format!("【{}】\n", view.heading),
            };
            if let Some(note) = view.local_note() {
                out.push_str(&format!("（{note}）\n"));
            }
            out.push_str(&format!("{}\n\n{}\n\n", view.conclusion, view.content));
            if view.section.is_some() {
                out.push_str(&format!(
                    "（以上摘自全文；全文：yibao-bot show {}）\n",
                    view.entry.id
                ));
            }
            out.push_str(&view.entry.source_line());
            out.push_str(&format!("\n\n{}", corpus.disclaimer));
            out
        }
        Outcome::Suggest(hits) => list("您是不是想问：", matcher, hits),
        Outcome::Topic { topic, entries } => list(
            &format!("关于“{}”，您可以看看：", corpus.topics[*topic].name),
            matcher,
            entries,
        ),
        Outcome::None(Decline::OutOfScope(t)) => format!(
            "{}\n{}",
            corpus.out_of_scope.topics()[*t].message,
            corpus.decline
        ),
        Outcome::None(Decline::SmallTalk(k)) => corpus.small_talk[*k].reply.clone(),
        Outcome::None(_) => corpus.decline.clone(),
    }
}

/// A heading and the hits as a numbered list.
fn list(heading: &str, matcher: &Matcher, hits: &[Hit]) -> String {
    let mut out = format!("{heading}\n");
    for (i, hit) in hits.iter().enumerate() {
        out.push_str(&format!("{}. {}\n", i + 1, title(matcher, hit)));
    }
    out.trim_end().to_string()
}

/// An entry in full, with its source and the disclaimer.
pub fn full_entry(matcher: &Matcher, entry: usize) -> String {
    let view = matcher.view(&Hit::whole(entry));
    format!(
        "【{}】\n{}\n\n{}\n\n{}\n\n{}",
        view.heading,
        view.conclusion,
        view.content,
        view.entry.source_line(),
        matcher.corpus().disclaimer
    )
}

/// The question a hit stands for: the entry's, or "section title(entry question)".
pub fn title(matcher: &Matcher, hit: &Hit) -> String {
    matcher.view(hit).title()
}
