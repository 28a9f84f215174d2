//! Button taps: a suggested or related question, the whole entry, 👍 / 👎, and browsing
//! the categories page by page. Every tap is acknowledged exactly once, first, so the
//! button stops spinning whatever the work after it does.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, ParseMode};
use teloxide::utils::html::escape;

use super::keyboards::{self, Action};
use super::reply::{self, Place, log_store};
use super::{App, BotError, HandlerResult, TgBot, render, texts};
use crate::engine::Hit;

pub async fn on_callback(bot: TgBot, q: CallbackQuery, app: Arc<App>) -> HandlerResult {
    let action = q.data.as_deref().and_then(Action::decode);
    let mut ack = bot.answer_callback_query(q.id.clone());
    if let Some(Action::Vote { .. }) = action {
        ack = ack.text(texts::FEEDBACK_RECORDED);
    }
    ack.await?;
    let Some(msg) = q.regular_message() else {
        return Ok(());
    };
    // In a group the reply is threaded to the message whose button was tapped.
    let place = Place::of(msg, (!msg.chat.is_private()).then_some(msg.id));
    let corpus = app.matcher.corpus();
    match action {
        Some(Action::Vote { entry, up }) => {
            log_store(app.store.record_vote(&entry, up));
            if let Some(markup) = msg.reply_markup() {
                bot.edit_message_reply_markup(msg.chat.id, msg.id)
                    .reply_markup(keyboards::after_vote(markup))
                    .await?;
            }
            Ok(())
        }
        Some(Action::Ask { entry, section }) => {
            let hit = corpus.hit(&entry, section.as_deref());
            match tapped(&bot, &app, &q, place, hit).await? {
                Some(hit) => reply::answer(&bot, &app, place, &hit).await,
                None => Ok(()),
            }
        }
        Some(Action::Full { entry }) => {
            let hit = corpus.hit(&entry, None);
            match tapped(&bot, &app, &q, place, hit).await? {
                Some(hit) => {
                    let view = app.matcher.view(&hit);
                    reply::send_all(&bot, place, render::full(&view, corpus), None).await
                }
                None => Ok(()),
            }
        }
        Some(Action::Categories) => {
            let names = corpus.categories();
            browse(
                &bot,
                msg,
                place,
                texts::TOPICS_HEADER.to_string(),
                keyboards::categories(&names),
            )
            .await
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
            browse(
                &bot,
                msg,
                place,
                text,
                keyboards::category_page(index, page, &entries),
            )
            .await
        }
        Some(Action::Nothing) | None => Ok(()),
    }
}

/// The entry (or section) a tap asks for, if the tap is within the flood limit and the
/// entry is still in the corpus (else the user is told so).
async fn tapped(
    bot: &TgBot,
    app: &App,
    q: &CallbackQuery,
    place: Place,
    hit: Option<Hit>,
) -> Result<Option<Hit>, BotError> {
    if !reply::within_flood_limit(bot, app, Some(&q.from), place).await? {
        return Ok(None);
    }
    if hit.is_none() {
        reply::send(bot, place, texts::NO_SUCH_ENTRY, None).await?;
    }
    Ok(hit)
}

/// Browsing edits its own message in place; from anywhere else it starts a new one.
async fn browse(
    bot: &TgBot,
    msg: &Message,
    place: Place,
    text: String,
    markup: InlineKeyboardMarkup,
) -> HandlerResult {
    let browsing = msg
        .text()
        .is_some_and(|t| t == texts::TOPICS_HEADER || t.starts_with(texts::CATEGORY_PREFIX));
    if browsing {
        bot.edit_message_text(msg.chat.id, msg.id, escape(&text))
            .parse_mode(ParseMode::Html)
            .reply_markup(markup)
            .await?;
    } else {
        reply::send(bot, place, escape(&text), Some(markup)).await?;
    }
    Ok(())
}
