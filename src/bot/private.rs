//! Private chats: any text is a question; commands; non-text gets a hint.

use std::sync::Arc;

use teloxide::prelude::*;

use super::commands::Command;
use super::keyboards;
use super::reply::{self, Place};
use super::{App, HandlerResult, TgBot, render, texts};

/// A text that is not a command: a question.
pub async fn on_question(bot: TgBot, msg: Message, text: String, app: Arc<App>) -> HandlerResult {
    let place = Place::of(&msg, None);
    if reply::within_flood_limit(&bot, &app, msg.from.as_ref(), place).await? {
        reply::question(&bot, &app, place, &text, false).await?;
    }
    Ok(())
}

/// A photo, sticker, voice message…: ask for words.
pub async fn on_non_text(bot: TgBot, msg: Message, app: Arc<App>) -> HandlerResult {
    reply::send(
        &bot,
        Place::of(&msg, None),
        texts::non_text(&app.example),
        None,
    )
    .await?;
    Ok(())
}

/// `/something` we do not know (or one for another bot).
pub async fn on_unknown_command(bot: TgBot, msg: Message) -> HandlerResult {
    reply::send(&bot, Place::of(&msg, None), texts::UNKNOWN_COMMAND, None).await?;
    Ok(())
}

/// One of our commands, in a private chat.
pub async fn on_command(bot: TgBot, msg: Message, cmd: Command, app: Arc<App>) -> HandlerResult {
    let place = Place::of(&msg, None);
    match cmd {
        Command::Start(payload) => start(&bot, &app, place, payload.trim()).await,
        Command::Help => {
            reply::send(&bot, place, texts::help_private(&app.example), None).await?;
            Ok(())
        }
        Command::Topics => topics(&bot, &app, place).await,
        Command::About => {
            let messages = render::about(app.matcher.corpus(), app.retention_days);
            reply::send_all(&bot, place, messages, None).await
        }
        Command::Ask(question) if question.trim().is_empty() => {
            reply::send(&bot, place, texts::ask_usage(&app.example), None).await?;
            Ok(())
        }
        Command::Ask(question) => {
            if reply::within_flood_limit(&bot, &app, msg.from.as_ref(), place).await? {
                reply::question(&bot, &app, place, &question, false).await?;
            }
            Ok(())
        }
        Command::AutoAnswer(_) => {
            reply::send(&bot, place, texts::ONLY_IN_GROUPS, None).await?;
            Ok(())
        }
    }
}

/// /start, or a deep link `/start faq_<id>` to one entry.
async fn start(bot: &TgBot, app: &App, place: Place, payload: &str) -> HandlerResult {
    let corpus = app.matcher.corpus();
    if let Some(id) = payload.strip_prefix("faq_") {
        return match corpus.hit(id, None) {
            Some(hit) => reply::answer(bot, app, place, &hit).await,
            None => {
                reply::send(bot, place, texts::NO_SUCH_ENTRY, None).await?;
                Ok(())
            }
        };
    }
    // One example from each of the first three categories.
    let examples: Vec<(String, String)> = corpus
        .categories()
        .iter()
        .take(3)
        .filter_map(|c| corpus.entries.iter().find(|e| &e.category == c))
        .map(|e| (e.id.clone(), e.question.clone()))
        .collect();
    reply::send(
        bot,
        place,
        render::welcome(corpus),
        Some(keyboards::examples(&examples)),
    )
    .await?;
    Ok(())
}

/// /topics: the categories as buttons.
pub async fn topics(bot: &TgBot, app: &App, place: Place) -> HandlerResult {
    let categories = app.matcher.corpus().categories();
    reply::send(
        bot,
        place,
        texts::TOPICS_HEADER,
        Some(keyboards::categories(&categories)),
    )
    .await?;
    Ok(())
}
