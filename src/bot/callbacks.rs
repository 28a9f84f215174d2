//! Button taps: a suggested or related question, the whole entry, 👍 / 👎 (one vote per
//! person and entry), and browsing the categories page by page.

use std::sync::Arc;

use teloxide::payloads::AnswerCallbackQuery;
use teloxide::prelude::*;
use teloxide::types::InlineKeyboardMarkup;
use teloxide::utils::html::escape;
use tracing::debug;

use super::keyboards::{self, Action};
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
    acknowledge(&app, &q, matches!(action, Some(Action::Vote { .. })));
    let Some(msg) = q.regular_message() else {
        return Ok(());
    };
    // In a group the reply is threaded to the message whose button was tapped.
    let place = Place::of(msg, (!msg.chat.is_private()).then_some(msg.id));
    match action {
        Some(Action::Vote { entry, up }) => {
            let voter = voter(&app, q.from.id.0, &entry);
            record(&app, app.store.record_vote(&entry, &voter, up));
            if let Some(markup) = msg.reply_markup() {
                reply::edit_markup(&app, msg, keyboards::after_vote(markup));
            }
        }
        Some(Action::Ask { entry, section }) => {
            if let Some(hit) = tapped(&app, place, corpus.hit(&entry, section.as_deref())) {
                reply::answer(&app, place, &hit).await?;
            }
        }
        Some(Action::Full { entry }) => {
            if let Some(hit) = tapped(&app, place, corpus.hit(&entry, None)) {
                let view = app.matcher.view(&hit);
                reply::send_all(&app, place, render::full(&view, corpus), None, 0);
            }
        }
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
                .map(|e| (e.id.clone(), e.question.clone()))
                .collect();
            let text = texts::category(&name, entries.len());
            let markup = keyboards::category_page(index, page, &entries);
            browse(&app, msg, place, text, markup);
        }
        Some(Action::Nothing) | None => {}
    }
    Ok(())
}

/// Every tap is acknowledged exactly once, at once and without waiting for the answer,
/// so that the button stops spinning whatever the work after it does.
fn acknowledge(app: &App, q: &CallbackQuery, vote: bool) {
    let mut ack = AnswerCallbackQuery::new(q.id.clone());
    if vote {
        ack.text = Some(texts::FEEDBACK_RECORDED.to_string());
    }
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
