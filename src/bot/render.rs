//! Telegram HTML for what the engine returns: full answers (private chats), compact ones
//! (groups and inline mode), suggestions, declines, the welcome and /about. Everything
//! from the corpus is escaped; no message exceeds Telegram's 4,096 characters.

use crate::{Corpus, Entry, Hit, Matcher};
use teloxide::utils::html::escape;

use super::texts;

/// Telegram's limit on one message.
pub const MAX_MESSAGE: usize = 4096;
/// A compact answer's content is cut near this many characters.
const COMPACT_CONTENT: usize = 300;

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// "来源：《title》（file，date）", saying so when the source carries no date.
pub fn source(entry: &Entry) -> String {
    escape(&crate::render::source_line(entry))
}

/// Question, conclusion and content of a hit (a section, or the whole entry).
fn parts<'a>(matcher: &'a Matcher, hit: &Hit) -> (String, &'a str, &'a str) {
    let entry = matcher.entry(hit);
    match matcher.section(hit) {
        Some(s) => (
            format!(
                "<b>{}</b>\n<i>{}</i>",
                escape(&entry.question),
                escape(&s.title)
            ),
            s.conclusion(),
            s.content(),
        ),
        None => (
            format!("<b>{}</b>", escape(&entry.question)),
            entry.conclusion(),
            entry.content(),
        ),
    }
}

fn footer(corpus: &Corpus, entry: &Entry) -> String {
    format!(
        "<i>{}</i>\n<i>⚠️ {}</i>",
        source(entry),
        escape(&corpus.disclaimer)
    )
}

/// A full answer: heading, conclusion, content, source and disclaimer, split into as
/// many messages as needed (each within the limit; the footer on the last).
pub fn full(matcher: &Matcher, hit: &Hit) -> Vec<String> {
    let entry = matcher.entry(hit);
    let (heading, conclusion, content) = parts(matcher, hit);
    let mut body = format!("{heading}\n{}\n\n{}", escape(conclusion), escape(content));
    if hit.section.is_some() {
        body.push_str(&format!("\n\n<i>{}</i>", texts::PARTIAL_NOTE));
    }
    split(&body, &footer(matcher.corpus(), entry))
}

/// An entry in full, whatever answered.
pub fn whole_entry(matcher: &Matcher, entry_index: usize) -> Vec<String> {
    full(
        matcher,
        &Hit {
            entry: entry_index,
            section: None,
            score: 1.0,
        },
    )
}

/// A compact answer for groups and inline mode: heading, conclusion, the first key
/// points, source and disclaimer; always one message.
pub fn compact(matcher: &Matcher, hit: &Hit) -> String {
    let entry = matcher.entry(hit);
    let (heading, conclusion, content) = parts(matcher, hit);
    let mut points = String::new();
    for line in content.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if chars(&points) + chars(line) > COMPACT_CONTENT {
            points.push_str("……");
            break;
        }
        points.push_str(line);
        points.push('\n');
    }
    format!(
        "{heading}\n{}\n\n{}\n{}",
        escape(conclusion),
        escape(points.trim_end()),
        footer(matcher.corpus(), entry)
    )
}

/// "您是不是想问：" — the candidates themselves are buttons.
pub fn suggestions() -> String {
    texts::SUGGEST_HEADER.to_string()
}

/// The decline, with the out-of-scope topic's own message first when there is one.
pub fn decline(corpus: &Corpus, topic: Option<usize>) -> String {
    match topic {
        Some(t) => format!(
            "{}\n\n{}",
            escape(&corpus.out_of_scope.topics()[t].message),
            escape(&corpus.decline)
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
        .unwrap_or_else(|| "您好！我可以回答这些方面的问题。".to_string());
    format!(
        "{intro}\n\n<b>我能回答：</b>{}\n\n直接发文字提问即可，也可以点下面的例子试试：",
        escape(&corpus.categories().join("、"))
    )
}

/// /about: sources with their dates, the disclaimer, and what is stored.
pub fn about(corpus: &Corpus, retention_days: u32) -> String {
    // One line per source file: its main title and the dates of its items.
    let mut files: Vec<(&str, &str, Vec<&str>, usize)> = Vec::new();
    for e in &corpus.entries {
        let s = &e.source;
        let i = match files.iter().position(|f| f.0 == s.file) {
            Some(i) => i,
            None => {
                files.push((&s.file, &s.title, Vec::new(), 0));
                files.len() - 1
            }
        };
        files[i].3 += 1;
        match &s.date {
            Some(d) => {
                if !files[i].2.contains(&d.as_str()) {
                    files[i].2.push(d);
                }
            }
            None => files[i].1 = &s.title,
        }
    }
    files.sort_by(|a, b| a.0.cmp(b.0));
    let mut text = format!(
        "<b>资料来源</b>\n问答整理自 {} 篇公开网页，共 {} 条：\n",
        files.len(),
        corpus.entries.len()
    );
    for (file, title, dates, n) in &files {
        let dates = if dates.is_empty() {
            String::new()
        } else {
            format!("，相关条目发布于 {}", dates.join("、"))
        };
        text.push_str(&format!(
            "• 《{}》等 {} 条（{}；主文章原文未注明日期{}）\n",
            escape(title),
            n,
            escape(file),
            dates
        ));
    }
    text.push_str(&format!(
        "\n<b>免责声明</b>\n{}\n\n{}",
        escape(&corpus.disclaimer),
        texts::privacy(retention_days)
    ));
    text
}

/// Splits `body` + `footer` into messages within the limit, at line boundaries; the
/// footer goes on the last one. Tags in `body` open and close on one line (the heading),
/// so no boundary falls inside one.
pub fn split(body: &str, footer: &str) -> Vec<String> {
    let footer_len = chars(footer) + 2;
    let whole = format!("{body}\n\n{footer}");
    if chars(&whole) <= MAX_MESSAGE {
        return vec![whole];
    }
    let mut messages = Vec::new();
    let mut current = String::new();
    for line in body.split('\n') {
        // A single line longer than a message is cut (never happens with real entries).
        let line: String = if chars(line) > MAX_MESSAGE - footer_len - 10 {
            let cut: String = line
                .chars()
                .take(MAX_MESSAGE - footer_len - 10 - chars(texts::SHORTENED_NOTE))
                .collect();
            format!("{cut}{}", texts::SHORTENED_NOTE)
        } else {
            line.to_string()
        };
        if chars(&current) + chars(&line) + 1 > MAX_MESSAGE - footer_len {
            messages.push(current.trim_end().to_string());
            current = String::new();
        }
        current.push_str(&line);
        current.push('\n');
    }
    messages.push(format!("{}\n\n{footer}", current.trim_end()));
    messages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_split_within_the_limit_with_the_footer_last() {
        let body: String = (0..400)
            .map(|i| format!("第{i}行：内容内容内容内容内容\n"))
            .collect();
        let messages = split(&body, "<i>来源</i>");
        assert!(messages.len() >= 2);
        assert!(messages.iter().all(|m| m.chars().count() <= MAX_MESSAGE));
        assert!(messages.last().unwrap().ends_with("<i>来源</i>"));
        assert!(!messages[0].contains("来源"));
        let rejoined: String = messages.concat();
        assert!(rejoined.contains("第0行") && rejoined.contains("第399行"));
    }

    #[test]
    fn short_text_is_one_message() {
        assert_eq!(split("短", "尾"), vec!["短\n\n尾".to_string()]);
    }
}
