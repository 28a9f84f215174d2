//! Telegram HTML for what the engine returns: answers (one shape everywhere, brief or
//! expanded in the same message), suggestions, declines, small talk, the welcome and
//! /about. Everything from the corpus is escaped; no message exceeds Telegram's 4,096
//! characters.

use crate::engine::{AnswerView, Corpus};
use teloxide::utils::html::escape;

use super::texts;

/// Telegram's limit on one message.
pub const MAX_MESSAGE: usize = 4096;

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// How much of an answer a message shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// What fits a phone's first screen: the conclusion and at most three key points.
    Brief,
    /// The whole text (展开全文), in the same message.
    Expanded,
}

/// The short question in bold, and the places the answer holds for when the question
/// named none.
fn heading(view: &AnswerView) -> String {
    let mut heading = format!("<b>{}</b>", escape(view.short()));
    if let Some(note) = view.local_note() {
        heading.push_str(&format!("\n<i>{}</i>", escape(&note)));
    }
    heading
}

/// Two short lines: where the answer comes from, and 仅供参考 with the hotline and where
/// the full disclaimer is.
fn footer(view: &AnswerView, corpus: &Corpus) -> String {
    format!(
        "<i>{}</i>\n<i>⚠️ {}{}</i>",
        escape(&view.entry.source_line()),
        escape(&corpus.disclaimer_short),
        texts::DISCLAIMER_LINK
    )
}

/// An answer, in one message, the same in private chats, groups and inline mode:
/// heading, conclusion, then the key points (brief) or the whole text (expanded), and
/// the footer.
pub fn answer(view: &AnswerView, corpus: &Corpus, form: Form) -> String {
    let head = format!("{}\n{}", heading(view), escape(view.conclusion));
    let footer = footer(view, corpus);
    let body = match form {
        Form::Brief => view
            .points()
            .iter()
            .map(|p| format!("• {}", escape(p)))
            .collect::<Vec<_>>()
            .join("\n"),
        Form::Expanded => {
            let mut body = String::new();
            if view.section.is_some() {
                body.push_str(&format!(
                    "<i>{}</i>\n",
                    escape(&texts::part_of(&view.entry.question))
                ));
            }
            body.push_str(&escape(view.content.trim()));
            body
        }
    };
    let mut text = if body.is_empty() {
        format!("{head}\n\n{footer}")
    } else {
        format!("{head}\n\n{body}\n\n{footer}")
    };
    if chars(&text) > MAX_MESSAGE {
        // Longer than one message (the corpus warns of such answers): as much of the
        // text as fits, between lines, and the footer.
        let room = MAX_MESSAGE - chars(&footer) - chars(texts::CUT_SHORT) - 4;
        let mut kept = String::new();
        for line in format!("{head}\n\n{body}").split('\n') {
            if chars(&kept) + chars(line) + 1 > room {
                break;
            }
            kept.push_str(line);
            kept.push('\n');
        }
        text = format!("{}\n{}\n\n{footer}", kept.trim_end(), texts::CUT_SHORT);
    }
    text
}

/// A small-talk reply (thanks, who the bot is, a request for a human).
pub fn small_talk(corpus: &Corpus, kind: usize) -> String {
    escape(&corpus.small_talk[kind].reply)
}

/// "您是不是想问：" — the candidates themselves are buttons.
pub fn suggestions() -> String {
    texts::SUGGEST_HEADER.to_string()
}

/// The decline, said once: an out-of-scope topic's own message (which says why) and
/// where to ask instead, or the corpus's whole decline.
pub fn decline(corpus: &Corpus, topic: Option<usize>) -> String {
    match topic {
        Some(t) => format!(
            "{}\n{}",
            escape(&corpus.out_of_scope.topics()[t].message),
            escape(corpus.decline_pointer())
        ),
        None => escape(&corpus.decline),
    }
}

/// /start: the corpus's welcome (or a plain one) and what it covers.
pub fn welcome(corpus: &Corpus) -> String {
    let intro = corpus
        .welcome
        .as_deref()
        .map(escape)
        .unwrap_or_else(|| texts::WELCOME_FALLBACK.to_string());
    texts::welcome(&intro, &escape(&corpus.categories().join("、")))
}

/// /about: sources with their dates, the disclaimer, and what is stored.
pub fn about(corpus: &Corpus, retention_days: u32) -> Vec<String> {
    /// One source file: its main title (the undated article's, else the first entry's),
    /// how many entries it gave, whether it has undated ones, and its dates.
    struct File<'a> {
        name: &'a str,
        title: &'a str,
        entries: usize,
        undated: bool,
        dates: Vec<&'a str>,
    }
    let mut files: Vec<File> = Vec::new();
    for source in corpus.entries.iter().filter_map(|e| e.source.as_ref()) {
        let i = match files.iter().position(|f| f.name == source.file) {
            Some(i) => i,
            None => {
                files.push(File {
                    name: &source.file,
                    title: &source.title,
                    entries: 0,
                    undated: false,
                    dates: Vec::new(),
                });
                files.len() - 1
            }
        };
        let file = &mut files[i];
        file.entries += 1;
        match &source.date {
            Some(d) if !file.dates.contains(&d.as_str()) => file.dates.push(d),
            Some(_) => {}
            None if !file.undated => {
                file.undated = true;
                file.title = &source.title;
            }
            None => {}
        }
    }
    files.sort_by(|a, b| a.name.cmp(b.name));
    let mut lines = vec![
        texts::ABOUT_SOURCES.to_string(),
        texts::about_counts(files.len(), corpus.entries.len()),
    ];
    for f in &files {
        let mut when = Vec::new();
        if f.undated {
            when.push(texts::ABOUT_UNDATED.to_string());
        }
        if !f.dates.is_empty() {
            when.push(texts::about_dates(&f.dates.join("、")));
        }
        lines.push(texts::about_file(
            &escape(f.title),
            f.entries,
            &when.join("；部分"),
        ));
    }
    lines.push(String::new());
    lines.push(texts::ABOUT_DISCLAIMER.to_string());
    lines.push(escape(&corpus.disclaimer));
    lines.push(String::new());
    lines.extend(texts::privacy(retention_days).lines().map(str::to_string));
    // Every line closes its own tags, so the text splits anywhere between lines.
    messages(&lines, "", "")
}

/// Messages of HTML `head` lines (short, each closing its own tags), then plain `text`
/// (escaped here), then `footer` (on the last message): each within the limit, split
/// between lines — or inside a plain line too long for one message, but never inside an
/// HTML entity or tag.
pub fn messages(head: &[String], text: &str, footer: &str) -> Vec<String> {
    let tail = if footer.is_empty() {
        0
    } else {
        chars(footer) + 2
    };
    // A footer is a few hundred characters (the corpus checks its texts' lengths).
    let room = MAX_MESSAGE.saturating_sub(tail).max(MAX_MESSAGE / 2);
    let mut lines: Vec<String> = head.to_vec();
    if !text.is_empty() {
        lines.extend(escaped_lines(text, room));
    }
    let mut out = Vec::new();
    let mut current = String::new();
    for line in lines {
        if !current.is_empty() && chars(&current) + 1 + chars(&line) > room {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push('\n');
        }
        current.push_str(&line);
    }
    if !footer.is_empty() {
        current = format!("{}\n\n{footer}", current.trim_end());
    }
    out.push(current);
    out
}

/// Plain text escaped for HTML, one string per line; a line whose escaped form exceeds
/// `max` characters is broken into pieces (between characters, never inside `&amp;`).
fn escaped_lines(text: &str, max: usize) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.split('\n') {
        let mut piece = String::new();
        let mut len = 0;
        for ch in line.chars() {
            let entity = match ch {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => "",
            };
            let n = if entity.is_empty() { 1 } else { entity.len() };
            if len + n > max && !piece.is_empty() {
                out.push(std::mem::take(&mut piece));
                len = 0;
            }
            if entity.is_empty() {
                piece.push(ch);
            } else {
                piece.push_str(entity);
            }
            len += n;
        }
        out.push(piece);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_split_within_the_limit_with_the_footer_last() {
        let text: String = (0..400)
            .map(|i| format!("第{i}行：内容内容内容内容内容\n"))
            .collect();
        let out = messages(&["<b>标题</b>".to_string()], &text, "<i>来源</i>");
        assert!(out.len() >= 2);
        assert!(out.iter().all(|m| m.chars().count() <= MAX_MESSAGE));
        assert!(out[0].starts_with("<b>标题</b>\n第0行"));
        assert!(out.last().unwrap().ends_with("<i>来源</i>"));
        assert!(!out[0].contains("来源"));
        let rejoined: String = out.concat();
        assert!(rejoined.contains("第0行") && rejoined.contains("第399行"));
    }

    #[test]
    fn an_overlong_line_is_broken_between_entities_not_inside_them() {
        let text = "&".repeat(3000);
        let out = messages(&[], &text, "<i>尾</i>");
        assert!(out.len() >= 2);
        assert!(out.iter().all(|m| m.chars().count() <= MAX_MESSAGE));
        let body: String = out.concat().replace("<i>尾</i>", "").replace('\n', "");
        assert_eq!(body, "&amp;".repeat(3000));
    }

    #[test]
    fn short_text_is_one_message_and_text_is_escaped() {
        assert_eq!(
            messages(&[], "a<b>&c", "尾"),
            vec!["a&lt;b&gt;&amp;c\n\n尾".to_string()]
        );
        assert_eq!(
            messages(&["<b>x</b>".into()], "", ""),
            vec!["<b>x</b>".to_string()]
        );
    }
}
