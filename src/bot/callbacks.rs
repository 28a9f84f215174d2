//! Button taps: a suggested or related question, the whole entry, 👍 / 👎, and browsing
//! the categories page by page.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::ParseMode;

use super::keyboards::{self, Action};
use super::reply::{self, Place, log_store};
use super::{App, HandlerResult, TgBot, render, texts};
use crate::Hit;

pub async fn on_callback(bot: TgBot, q: CallbackQuery, app: Arc<App>) -> HandlerResult {
    let action = q.data.as_deref().and_then(Action::decode);
    let Some(msg) = q.regular_message() else {
        bot.answer_callback_query(q.id.clone()).await?;
        return Ok(());
    };
    // In a group the reply is threaded to the message whose button was tapped.
    let place = Place::of(msg, (!msg.chat.is_private()).then_some(msg.id));
    match action {
        Some(Action::Vote { entry, up }) => {
            log_store(app.store.record_vote(&entry, up));
            bot.answer_callback_query(q.id.clone())
                .text(texts::FEEDBACK_RECORDED)
                .await?;
            if let Some(markup) = msg.reply_markup() {
                bot.edit_message_reply_markup(msg.chat.id, msg.id)
                    .reply_markup(keyboards::after_vote(markup))
                    .await?;
            }
            Ok(())
        }
        Some(Action::Ask { entry, section }) => {
            bot.answer_callback_query(q.id.clone()).await?;
            if !reply::within_flood_limit(&bot, &app, Some(&q.from), place).await? {
                return Ok(());
            }
            match hit(&app, &entry, section.as_deref()) {
                Some(hit) => reply::answer(&bot, &app, place, &hit).await,
                None => {
                    reply::send(&bot, place, texts::NO_SUCH_ENTRY, None).await?;
                    Ok(())
                }
            }
        }
        Some(Action::Full { entry }) => {
            bot.answer_callback_query(q.id.clone()).await?;
            if !reply::within_flood_limit(&bot, &app, Some(&q.from), place).await? {
                return Ok(());
            }
            match app.matcher.corpus().index_of(&entry) {
                Some(index) => {
                    reply::send_all(&bot, place, render::whole_entry(&app.matcher, index), None)
                        .await
                }
                None => {
                    reply::send(&bot, place, texts::NO_SUCH_ENTRY, None).await?;
                    Ok(())
                }
            }
        }
        Some(Action::Categories) => {
            bot.answer_callback_query(q.id.clone()).await?;
            let names = app.matcher.corpus().categories();
            show(
                &bot,
                msg,
                place,
                texts::TOPICS_HEADER.to_string(),
                keyboards::categories(&names),
            )
            .await
        }
        Some(Action::Category { index, page }) => {
            bot.answer_callback_query(q.id.clone()).await?;
            let corpus = app.matcher.corpus();
            let Some(name) = corpus.categories().get(index).map(|n| n.to_string()) else {
                return Ok(());
            };
            let entries: Vec<(String, String)> = corpus
                .entries
                .iter()
                .filter(|e| e.category == name)
                .map(|e| (e.id.clone(), e.question.clone()))
                .collect();
            let text = format!("{}{}（{} 条）", texts::CATEGORY_PREFIX, name, entries.len());
            show(
                &bot,
                msg,
                place,
                text,
                keyboards::category_page(index, page, &entries),
            )
            .await
        }
        Some(Action::Nothing) | None => {
            bot.answer_callback_query(q.id.clone()).await?;
            Ok(())
        }
    }
}

/// Browsing edits its own message in place; from anywhere else it starts a new one.
async fn show(
    bot: &TgBot,
    msg: &Message,
    place: Place,
    text: String,
    markup: teloxide::types::InlineKeyboardMarkup,
) -> HandlerResult {
    let browsing = msg
        .text()
        .is_some_and(|t| t == texts::TOPICS_HEADER || t.starts_with(texts::CATEGORY_PREFIX));
    if browsing {
        bot.edit_message_text(msg.chat.id, msg.id, teloxide::utils::html::escape(&text))
            .parse_mode(ParseMode::Html)
            .reply_markup(markup)
            .await?;
    } else {
        reply::send(
            bot,
            place,
            teloxide::utils::html::escape(&text),
            Some(markup),
        )
        .await?;
    }
    Ok(())
}

fn hit(app: &App, entry: &str, section: Option<&str>) -> Option<Hit> {
    let corpus = app.matcher.corpus();
    let index = corpus.index_of(entry)?;
    let section = match section {
        Some(id) => Some(
            corpus.entries[index]
                .sections
                .iter()
                .position(|s| s.id == id)?,
        ),
        None => None,
    };
    Some(Hit {
        section,
        ..Hit::whole(index)
    })
}
