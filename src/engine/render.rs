//! Plain-text rendering of outcomes, as the command line prints them.

use super::decide::{Decline, Hit, Outcome};
use super::matcher::Matcher;

/// The whole reply to a question, as a person reads it.
pub fn plain(matcher: &Matcher, outcome: &Outcome) -> String {
    let corpus = matcher.corpus();
    match outcome {
        Outcome::Answer(hit) => brief(matcher, hit),
        Outcome::Suggest(hits) => list("您是不是想问：", matcher, hits),
        Outcome::Topic { topic, entries } => list(
            &format!("关于“{}”，您可以看看：", corpus.topics[*topic].name),
            matcher,
            entries,
        ),
        Outcome::None(Decline::OutOfScope(t)) => format!(
            "{}\n{}",
            corpus.out_of_scope.topics()[*t].message,
            corpus.decline_pointer()
        ),
        Outcome::None(Decline::SmallTalk(k)) => corpus.small_talk[*k].reply.clone(),
        Outcome::None(_) => corpus.decline.clone(),
    }
}

/// An answer as the bot's first message shows it: the short question, the conclusion,
/// at most three key points, the source on one line and the short disclaimer, and where
/// the whole text is.
fn brief(matcher: &Matcher, hit: &Hit) -> String {
    let view = matcher.view(hit);
    let mut out = format!("【{}】\n", view.short());
    if let Some(note) = view.local_note() {
        out.push_str(&format!("（{note}）\n"));
    }
    out.push_str(view.conclusion);
    out.push('\n');
    let points = view.points();
    if !points.is_empty() {
        out.push('\n');
        for point in points {
            out.push_str(&format!("• {point}\n"));
        }
    }
    out.push_str(&format!(
        "\n{}\n⚠️ {}\n（全文和完整免责声明：yibao-bot show {}）",
        view.entry.source_line(),
        matcher.corpus().disclaimer_short,
        view.entry.id
    ));
    out
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
