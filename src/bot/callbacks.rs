//! Button taps: a suggested question (the suggestions' message becomes the answer), a
//! related one, 展开全文 / 收起 (the same message, edited), 👍 / 👎 (one vote per person
//! and entry; 👎 offers next steps), and browsing the categories page by page.

use std::sync::Arc;

use teloxide::payloads::AnswerCallbackQuery;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButtonKind, InlineKeyboardMarkup};
use teloxide::utils::html::escape;
use tracing::debug;

use super::keyboards::{self, Action};
use super::render::Form;
use super::reply::{self, Place, record};
use super::{App, HandlerResult, render, texts};
use crate::engine::Hit;

pub async fn on_callback(q: CallbackQuery, app: Arc<App>) -> HandlerResult {
    let corpus = app.matcher.corpus();
    // Button data comes from the client: only what names a real entry is acted on.
    let action = q
        .data
        .as_deref()
        .and_then(Action::decode)
        .filter(|a| match a {
            Action::Vote { entry, .. } => corpus.index_of(entry).is_some(),
            _ => true,
        });
    let Some(msg) = q.regular_message() else {
        acknowledge(&app, &q, None);
        return Ok(());
    };
    // In a group the reply is threaded to the message whose button was tapped.
    let place = Place::of(msg, (!msg.chat.is_private()).then_some(msg.id));
    let toast = match &action {
        Some(Action::Vote { .. }) => Some(texts::FEEDBACK_RECORDED),
        Some(Action::Ask { .. }) if is_choice(msg) && !asked_by(msg, &q) => {
            Some(texts::NOT_YOUR_QUESTION)
        }
        _ => None,
    };
    acknowledge(&app, &q, toast);
    match action {
        Some(Action::Vote { entry, up }) => {
            let voter = voter(&app, q.from.id.0, &entry);
            record(&app, app.store.record_vote(&entry, &voter, up));
            if let Some(markup) = msg.reply_markup() {
                reply::edit_markup(&app, msg, keyboards::after_vote(markup));
            }
            if !up {
                next_steps(&app, msg, &entry);
            }
        }
        Some(Action::Ask { entry, section }) if is_choice(msg) => {
            // A suggestion chosen: the question's own message becomes its answer. In a
            // group only the asker chooses (the others were told so).
            if !asked_by(msg, &q) {
                return Ok(());
            }
            match corpus.hit(&entry, section.as_deref()) {
                Some(hit) => {
                    let (text, markup) =
                        reply::answer_message(&app, &hit, place.group, Form::Brief);
                    record(&app, app.store.record_answered(&entry));
                    reply::edit_text(&app, msg, text, markup);
                }
                None => reply::send(&app, place, texts::NO_SUCH_ENTRY, None),
            }
        }
        Some(Action::Ask { entry, section }) => {
            if let Some(hit) = tapped(&app, place, corpus.hit(&entry, section.as_deref())) {
                reply::answer(&app, place, &hit).await?;
            }
        }
        Some(Action::Toggle {
            entry,
            section,
            open,
        }) => match corpus.hit(&entry, section.as_deref()) {
            Some(hit) => {
                let form = if open { Form::Expanded } else { Form::Brief };
                let view = app.matcher.view(&hit);
                let text = render::answer(&view, corpus, form);
                let markup = match msg.reply_markup() {
                    Some(m) => keyboards::toggled(m, &entry, section.as_deref(), form),
                    None => reply::answer_message(&app, &hit, place.group, form).1,
                };
                reply::edit_text(&app, msg, text, markup);
            }
            None => reply::send(&app, place, texts::NO_SUCH_ENTRY, None),
        },
        Some(Action::Categories) => {
            let names = corpus.categories();
            let text = texts::TOPICS_HEADER.to_string();
            browse(&app, msg, place, text, keyboards::categories(&names));
        }
        Some(Action::Category { index, page }) => {
            let Some(name) = corpus.categories().get(index).map(|n| n.to_string()) else {
                return Ok(());
            };
            let entries: Vec<(String, String)> = corpus
                .entries
                .iter()
                .filter(|e| e.category == name)
                .map(|e| (e.id.clone(), e.label().to_string()))
                .collect();
            let text = texts::category(&name, entries.len());
            let markup = keyboards::category_page(index, page, &entries);
            browse(&app, msg, place, text, markup);
        }
        Some(Action::Nothing) | None => {}
    }
    Ok(())
}

/// Whether `msg` offers choices for a question (您是不是想问, a topic's entries): every
/// button asks for an entry. Such a message becomes the answer chosen.
fn is_choice(msg: &Message) -> bool {
    msg.reply_markup().is_some_and(|m| {
        m.inline_keyboard.iter().flatten().all(|b| match &b.kind {
            InlineKeyboardButtonKind::CallbackData(d) => {
                matches!(Action::decode(d), Some(Action::Ask { .. }))
            }
            _ => false,
        })
    })
}

/// Whether whoever tapped asked the question `msg` answers (in a private chat, always;
/// in a group, the sender of the message it replies to, when the bot can tell).
fn asked_by(msg: &Message, q: &CallbackQuery) -> bool {
    if msg.chat.is_private() {
        return true;
    }
    match msg.reply_to_message().and_then(|m| m.from.as_ref()) {
        Some(asker) => asker.id == q.from.id,
        None => true,
    }
}

/// After 👎: what to do next — ask again in other words, the same category, 12393.
fn next_steps(app: &App, msg: &Message, entry: &str) {
    let corpus = app.matcher.corpus();
    let category = corpus
        .index_of(entry)
        .map(|e| corpus.entries[e].category.as_str())
        .and_then(|c| corpus.categories().iter().position(|n| *n == c));
    let place = Place::of(msg, None);
    reply::send(
        app,
        place,
        texts::AFTER_DOWN_VOTE,
        category.map(keyboards::same_category),
    );
}

/// Every tap is acknowledged exactly once, at once and without waiting for the answer,
/// so that the button stops spinning whatever the work after it does; `toast` is shown
/// briefly.
fn acknowledge(app: &App, q: &CallbackQuery, toast: Option<&str>) {
    let mut ack = AnswerCallbackQuery::new(q.id.clone());
    ack.text = toast.map(str::to_string);
    let api = app.api.clone();
    let timeout = app.request_timeout;
    tokio::spawn(async move {
        if let Err(e) = api.call(&ack, timeout).await {
            debug!("could not acknowledge a button tap: {e}");
        }
    });
}

/// Who voted, as the store keeps it: a keyed hash of the user and the entry, so that
/// one person gets one vote per entry while the store holds no user id, and votes on
/// different entries cannot be linked to one person.
fn voter(app: &App, user: u64, entry: &str) -> [u8; 16] {
    let mut message = user.to_le_bytes().to_vec();
    message.extend_from_slice(entry.as_bytes());
    let tag = ring::hmac::sign(&app.voters, &message);
    let mut key = [0u8; 16];
    key.copy_from_slice(&tag.as_ref()[..16]);
    key
}

/// The entry (or section) a tap asks for, when it is still in the corpus (else the
/// user is told so) and the chat is not too busy for another answer. Taps are not typed
/// questions: the flood limit does not count them.
fn tapped(app: &App, place: Place, hit: Option<Hit>) -> Option<Hit> {
    if !reply::has_room(app, place, true) {
        return None;
    }
    if hit.is_none() {
        reply::send(app, place, texts::NO_SUCH_ENTRY, None);
    }
    hit
}

/// Browsing edits its own message in place; from anywhere else it starts a new one.
fn browse(app: &App, msg: &Message, place: Place, text: String, markup: InlineKeyboardMarkup) {
    let browsing = msg
        .text()
        .is_some_and(|t| t == texts::TOPICS_HEADER || t.starts_with(texts::CATEGORY_PREFIX));
    if browsing {
        reply::edit_text(app, msg, escape(&text), markup);
    } else {
        reply::send(app, place, escape(&text), Some(markup));
    }
}
