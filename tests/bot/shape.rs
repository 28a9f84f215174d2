//! Every entry and section as the bot first shows it: one message that fits a phone's
//! first screen, headed by a short label, a conclusion not restated below it, a footer
//! of two short lines; buttons with labels a narrow phone shows whole.

use super::updates::{bot_message, callback, private_text};
use super::{Harness, as_read, buttons, text};
use crate::common::matcher;

/// What a phone shows before scrolling, about; the bound for every first message.
const FIRST_SCREEN: usize = 350;
const MAX_FIRST_MESSAGE: usize = 600;
/// A button label a narrow phone shows whole (plus its emoji prefix).
const MAX_LABEL: usize = 14 + 2;
/// Source line and short disclaimer, with their tags.
const MAX_FOOTER: usize = 110;

#[tokio::test(flavor = "multi_thread")]
async fn every_entry_and_section_fits_a_phone_screen() {
    let mut h = Harness::start(false).await;
    let corpus = matcher().corpus();
    let mut n = 0;
    let mut over_first_screen = Vec::new();
    for entry in &corpus.entries {
        let mut asks = vec![(format!("q:{}", entry.id), None)];
        for section in &entry.sections {
            asks.push((format!("s:{}:{}", entry.id, section.id), Some(section)));
        }
        for (data, section) in asks {
            n += 1;
            let user = 9_000 + n as i64;
            let update = if section.is_none() {
                private_text(user, &format!("/start faq_{}", entry.id))
            } else {
                // A tap on a button that names the section (a related question).
                callback(user, bot_message(user, 1, "x", None), &data)
            };
            let reply = h.expect_message(update, n).await;
            let t = text(&reply);
            let what = format!("{data}: {t}");
            let chars = as_read(t).chars().count();
            assert!(chars <= MAX_FIRST_MESSAGE, "{chars} chars, {what}");
            if chars > FIRST_SCREEN {
                over_first_screen.push(data.clone());
            }
            // Headed by the short label, then the conclusion.
            let short = match section {
                Some(s) => s.short.as_deref().unwrap_or(&s.title),
                None => entry.short.as_deref().unwrap_or(&entry.question),
            };
            let answer = section.map_or(&entry.answer, |s| &s.answer);
            let conclusion = answer.lines().next().unwrap().trim();
            let lines: Vec<String> = as_read(t).lines().map(str::to_string).collect();
            assert_eq!(lines[0], short, "{what}");
            let at = lines.iter().position(|l| l == conclusion).expect(&what);
            // No line below restates the conclusion.
            let restated = lines[at + 1..]
                .iter()
                .map(|l| l.trim_start_matches("• "))
                .any(|l| l.len() >= 6 && (conclusion.contains(l) || l.contains(conclusion)));
            assert!(!restated, "{what}");
            // The footer: two short lines, the source without a file name.
            let footer_at = t.rfind("<i>来源：").expect(&what);
            let footer = &t[footer_at..];
            assert!(footer.chars().count() <= MAX_FOOTER, "{what}");
            assert_eq!(footer.lines().count(), 2, "{what}");
            assert!(!footer.contains(".txt"), "{what}");
            // Buttons: 展开全文 first; labels short enough for a narrow phone.
            let rows = buttons(&reply);
            assert_eq!(rows[0][0], "📖 展开全文", "{what}");
            for label in rows.iter().flatten() {
                assert!(label.chars().count() <= MAX_LABEL, "{label}: {what}");
                assert!(!label.contains('?'), "{label}: {what}");
            }
        }
    }
    // The goal: the answer on the first screen. Quoted, not hidden.
    assert!(
        over_first_screen.is_empty(),
        "over {FIRST_SCREEN} characters: {over_first_screen:?}"
    );
    h.stop().await;
}
