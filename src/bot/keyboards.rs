//! Inline keyboards and the button data they carry. Button data is at most 64 bytes:
//! ids are at most 32 characters and section ids 16, so every action fits.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use url::Url;

use super::texts;

/// What a button does when tapped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Answer an entry, or one of its sections.
    Ask {
        entry: String,
        section: Option<String>,
    },
    /// Show an entry in full.
    Full { entry: String },
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
            Action::Full { entry } => format!("f:{entry}"),
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
            ("f", [entry]) => Action::Full {
                entry: entry.to_string(),
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

/// Buttons under a private answer: the whole entry (when a section answered), related
/// questions, and 👍 / 👎.
pub fn under_answer(
    entry: &str,
    section_answered: bool,
    related: &[(String, String)],
) -> InlineKeyboardMarkup {
    let mut rows = Vec::new();
    if section_answered {
        rows.push(vec![
            Action::Full {
                entry: entry.to_string(),
            }
            .button(texts::VIEW_FULL),
        ]);
    }
    for (id, question) in related {
        rows.push(vec![ask_button(
            id,
            format!("{}{question}", texts::RELATED_PREFIX),
        )]);
    }
    rows.push(vote_row(entry));
    InlineKeyboardMarkup::new(rows)
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
                teloxide::types::InlineKeyboardButtonKind::CallbackData(d) => d.starts_with("v:"),
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

/// Under a compact (group) answer: read the whole answer in a private chat.
pub fn read_in_private(deep_link: Url) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![InlineKeyboardButton::url(
        texts::READ_IN_PRIVATE,
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

/// Under a decline: browse what the bot does cover.
pub fn browse() -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![Action::Categories.button(texts::BROWSE)]])
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
            Action::Full {
                entry: long_id.clone(),
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
        assert_eq!(Action::decode("x:1"), None);
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
