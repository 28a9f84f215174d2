//! Inline keyboards and the button data they carry. Button data is at most 64 bytes:
//! ids are at most 32 characters and section ids 16, so every action fits.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardButtonKind, InlineKeyboardMarkup};
use url::Url;

use super::render::Form;
use super::texts;

/// What a button does when tapped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Answer an entry, or one of its sections.
    Ask {
        entry: String,
        section: Option<String>,
    },
    /// Show an answer (an entry, or one of its sections) expanded to its whole text
    /// (`open`), or brief again, in the same message.
    Toggle {
        entry: String,
        section: Option<String>,
        open: bool,
    },
    /// 👍 or 👎 on an entry.
    Vote { entry: String, up: bool },
    /// The list of categories.
    Categories,
    /// One page of a category's questions.
    Category { index: usize, page: usize },
    /// A button that only acknowledges (谢谢反馈).
    Nothing,
}

impl Action {
    pub fn encode(&self) -> String {
        let data = match self {
            Action::Ask {
                entry,
                section: None,
            } => format!("q:{entry}"),
            Action::Ask {
                entry,
                section: Some(s),
            } => format!("s:{entry}:{s}"),
            Action::Toggle {
                entry,
                section,
                open,
            } => {
                let kind = if *open { 'x' } else { 'b' };
                match section {
                    Some(s) => format!("{kind}:{entry}:{s}"),
                    None => format!("{kind}:{entry}"),
                }
            }
            Action::Vote { entry, up } => format!("v:{entry}:{}", if *up { '+' } else { '-' }),
            Action::Categories => "c".to_string(),
            Action::Category { index, page } => format!("c:{index}:{page}"),
            Action::Nothing => "n".to_string(),
        };
        debug_assert!(data.len() <= 64, "{data}");
        data
    }

    pub fn decode(data: &str) -> Option<Action> {
        let mut parts = data.split(':');
        let kind = parts.next()?;
        let rest: Vec<&str> = parts.collect();
        let action = match (kind, rest.as_slice()) {
            ("q", [entry]) => Action::Ask {
                entry: entry.to_string(),
                section: None,
            },
            ("s", [entry, s]) => Action::Ask {
                entry: entry.to_string(),
                section: Some(s.to_string()),
            },
            // "f:" is what 查看全文 buttons of earlier versions carry.
            ("x" | "f", [entry]) => Action::Toggle {
                entry: entry.to_string(),
                section: None,
                open: true,
            },
            ("x" | "b", [entry, s]) => Action::Toggle {
                entry: entry.to_string(),
                section: Some(s.to_string()),
                open: kind == "x",
            },
            ("b", [entry]) => Action::Toggle {
                entry: entry.to_string(),
                section: None,
                open: false,
            },
            ("v", [entry, "+"]) => Action::Vote {
                entry: entry.to_string(),
                up: true,
            },
            ("v", [entry, "-"]) => Action::Vote {
                entry: entry.to_string(),
                up: false,
            },
            ("c", []) => Action::Categories,
            ("c", [index, page]) => Action::Category {
                index: index.parse().ok()?,
                page: page.parse().ok()?,
            },
            ("n", []) => Action::Nothing,
            _ => return None,
        };
        Some(action)
    }

    pub fn button(&self, text: impl Into<String>) -> InlineKeyboardButton {
        InlineKeyboardButton::callback(text, self.encode())
    }
}

/// A button that answers entry `id`, labelled with `label`.
fn ask_button(id: &str, label: impl Into<String>) -> InlineKeyboardButton {
    Action::Ask {
        entry: id.to_string(),
        section: None,
    }
    .button(label)
}

/// The entry (and section) an answer's buttons name, read back from them: what a reply
/// to one of the bot's answers follows up on.
pub fn answered_entry(markup: &InlineKeyboardMarkup) -> Option<(String, Option<String>)> {
    markup.inline_keyboard.iter().flatten().find_map(|b| {
        let InlineKeyboardButtonKind::CallbackData(data) = &b.kind else {
            return None;
        };
        match Action::decode(data)? {
            Action::Toggle { entry, section, .. } => Some((entry, section)),
            _ => None,
        }
    })
}

/// The 展开全文 / 收起 button of an answer shown in `form`.
fn toggle(entry: &str, section: Option<&str>, form: Form) -> InlineKeyboardButton {
    let open = form == Form::Brief;
    Action::Toggle {
        entry: entry.to_string(),
        section: section.map(str::to_string),
        open,
    }
    .button(if open { texts::EXPAND } else { texts::COLLAPSE })
}

/// Buttons under an answer: 展开全文 (or 收起); in a private chat related questions and
/// 👍 / 👎, in a group a link to ask on in the private chat.
pub fn under_answer(
    entry: &str,
    section: Option<&str>,
    form: Form,
    related: &[(String, String)],
    private_chat: Option<Url>,
) -> InlineKeyboardMarkup {
    let mut first = vec![toggle(entry, section, form)];
    if let Some(link) = private_chat {
        first.push(InlineKeyboardButton::url(texts::ASK_IN_PRIVATE, link));
        return InlineKeyboardMarkup::new(vec![first]);
    }
    let mut rows = vec![first];
    for (id, label) in related {
        rows.push(vec![ask_button(
            id,
            format!("{}{label}", texts::RELATED_PREFIX),
        )]);
    }
    rows.push(vote_row(entry));
    InlineKeyboardMarkup::new(rows)
}

/// The same buttons with 展开全文 and 收起 swapped for an answer now shown in `form`.
pub fn toggled(
    markup: &InlineKeyboardMarkup,
    entry: &str,
    section: Option<&str>,
    form: Form,
) -> InlineKeyboardMarkup {
    let rows = markup
        .inline_keyboard
        .iter()
        .map(|row| {
            row.iter()
                .map(|b| match &b.kind {
                    InlineKeyboardButtonKind::CallbackData(d)
                        if matches!(Action::decode(d), Some(Action::Toggle { .. })) =>
                    {
                        toggle(entry, section, form)
                    }
                    _ => b.clone(),
                })
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>();
    InlineKeyboardMarkup::new(rows)
}

/// Under the next steps after 👎: the other questions of the answer's category.
pub fn same_category(index: usize) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![
        Action::Category { index, page: 0 }.button(texts::SAME_CATEGORY),
    ]])
}

fn vote_row(entry: &str) -> Vec<InlineKeyboardButton> {
    vec![
        Action::Vote {
            entry: entry.to_string(),
            up: true,
        }
        .button(texts::VOTE_UP),
        Action::Vote {
            entry: entry.to_string(),
            up: false,
        }
        .button(texts::VOTE_DOWN),
    ]
}

/// The same keyboard with the 👍 / 👎 row replaced by a thank-you.
pub fn after_vote(markup: &InlineKeyboardMarkup) -> InlineKeyboardMarkup {
    let rows = markup
        .inline_keyboard
        .iter()
        .map(|row| {
            let is_vote_row = row.iter().any(|b| match &b.kind {
                InlineKeyboardButtonKind::CallbackData(d) => d.starts_with("v:"),
                _ => false,
            });
            if is_vote_row {
                vec![Action::Nothing.button(texts::THANKS_FOR_FEEDBACK)]
            } else {
                row.clone()
            }
        })
        .collect::<Vec<_>>();
    InlineKeyboardMarkup::new(rows)
}

/// One button that opens the private chat with the bot.
pub fn open_private(link: Url) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![InlineKeyboardButton::url(
        texts::OPEN_PRIVATE,
        link,
    )]])
}

/// Under an answer sent from inline mode: the whole answer in the private chat.
pub fn read_in_private(deep_link: Url) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![InlineKeyboardButton::url(
        texts::EXPAND,
        deep_link,
    )]])
}

/// One button per suggested question.
pub fn suggestions(items: &[(Action, String)]) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(
        items
            .iter()
            .map(|(action, title)| vec![action.button(title.clone())])
            .collect::<Vec<_>>(),
    )
}

/// Under a decline and /topics: browse what the bot does cover — here (a private
/// chat), or through a link to the private chat (`in_private`, from a group: a
/// nine-button browser is not for everyone's screen).
pub fn browse(in_private: Option<Url>) -> InlineKeyboardMarkup {
    let button = match in_private {
        Some(link) => InlineKeyboardButton::url(texts::BROWSE_IN_PRIVATE, link),
        None => Action::Categories.button(texts::BROWSE),
    };
    InlineKeyboardMarkup::new(vec![vec![button]])
}

/// The categories, two to a row.
pub fn categories(names: &[&str]) -> InlineKeyboardMarkup {
    let buttons: Vec<InlineKeyboardButton> = names
        .iter()
        .enumerate()
        .map(|(index, name)| Action::Category { index, page: 0 }.button(name.to_string()))
        .collect();
    InlineKeyboardMarkup::new(buttons.chunks(2).map(|c| c.to_vec()).collect::<Vec<_>>())
}

/// Questions per page when browsing a category.
pub const PAGE_SIZE: usize = 6;

/// One page of a category: its questions, then ◀ / ▶ and back to the categories.
pub fn category_page(
    index: usize,
    page: usize,
    entries: &[(String, String)],
) -> InlineKeyboardMarkup {
    let pages = entries.len().div_ceil(PAGE_SIZE).max(1);
    let page = page.min(pages - 1);
    let mut rows: Vec<Vec<InlineKeyboardButton>> = entries
        .iter()
        .skip(page * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|(id, question)| vec![ask_button(id, question)])
        .collect();
    let mut nav = Vec::new();
    if page > 0 {
        nav.push(
            Action::Category {
                index,
                page: page - 1,
            }
            .button(texts::PAGE_BACK),
        );
    }
    if pages > 1 {
        nav.push(Action::Nothing.button(texts::page_of(page + 1, pages)));
    }
    if page + 1 < pages {
        nav.push(
            Action::Category {
                index,
                page: page + 1,
            }
            .button(texts::PAGE_NEXT),
        );
    }
    if !nav.is_empty() {
        rows.push(nav);
    }
    rows.push(vec![Action::Categories.button(texts::ALL_CATEGORIES)]);
    InlineKeyboardMarkup::new(rows)
}

/// Example questions under the welcome message.
pub fn examples(items: &[(String, String)]) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(
        items
            .iter()
            .map(|(id, question)| vec![ask_button(id, question)])
            .chain(std::iter::once(vec![
                Action::Categories.button(texts::BROWSE),
            ]))
            .collect::<Vec<_>>(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_round_trip_and_fit_in_64_bytes() {
        let long_id = "a".repeat(32);
        for action in [
            Action::Ask {
                entry: long_id.clone(),
                section: None,
            },
            Action::Ask {
                entry: long_id.clone(),
                section: Some("b".repeat(16)),
            },
            Action::Toggle {
                entry: long_id.clone(),
                section: Some("b".repeat(16)),
                open: true,
            },
            Action::Toggle {
                entry: long_id.clone(),
                section: Some("b".repeat(16)),
                open: false,
            },
            Action::Toggle {
                entry: long_id.clone(),
                section: None,
                open: false,
            },
            Action::Vote {
                entry: long_id.clone(),
                up: true,
            },
            Action::Vote {
                entry: long_id.clone(),
                up: false,
            },
            Action::Categories,
            Action::Category { index: 8, page: 12 },
            Action::Nothing,
        ] {
            let data = action.encode();
            assert!(data.len() <= 64, "{data}");
            assert_eq!(Action::decode(&data), Some(action));
        }
        assert_eq!(Action::decode("z:1"), None);
        assert_eq!(
            Action::decode("f:old"),
            Some(Action::Toggle {
                entry: "old".into(),
                section: None,
                open: true
            })
        );
        assert_eq!(Action::decode("c:a:0"), None);
    }

    #[test]
    fn category_pages_have_navigation() {
        let entries: Vec<(String, String)> = (0..14)
            .map(|i| (format!("e{i}"), format!("问题{i}")))
            .collect();
        let first = category_page(0, 0, &entries);
        assert_eq!(first.inline_keyboard.len(), PAGE_SIZE + 2);
        let last = category_page(0, 2, &entries);
        assert_eq!(last.inline_keyboard.len(), 2 + 2);
        assert_eq!(last.inline_keyboard[2][0].text, texts::PAGE_BACK);
    }
}
