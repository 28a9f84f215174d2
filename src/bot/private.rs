//! Private chats: any text is a question; commands; non-text gets a hint.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::utils::command::BotCommands;

use super::commands::Command;
use super::keyboards;
use super::reply::{self, Place};
use super::{App, HandlerResult, TgBot, render, texts};
use crate::Hit;

pub async fn on_message(bot: TgBot, msg: Message, app: Arc<App>) -> HandlerResult {
    let place = Place::of(&msg, None);
    let Some(text) = msg.text() else {
        reply::send(&bot, place, texts::non_text(&app.example), None).await?;
        return Ok(());
    };
    if text.trim_start().starts_with('/') {
        return command(&bot, &app, &msg, place, text).await;
    }
    if reply::within_flood_limit(&bot, &app, msg.from.as_ref(), place).await? {
        reply::question(&bot, &app, place, text, false).await?;
    }
    Ok(())
}

async fn command(bot: &TgBot, app: &App, msg: &Message, place: Place, text: &str) -> HandlerResult {
    let Ok(command) = Command::parse(text.trim(), app.username()) else {
        reply::send(bot, place, texts::UNKNOWN_COMMAND, None).await?;
        return Ok(());
    };
    match command {
        Command::Start(payload) => start(bot, app, place, payload.trim()).await,
        Command::Help => {
            reply::send(bot, place, texts::help_private(&app.example), None).await?;
            Ok(())
        }
        Command::Topics => topics(bot, app, place).await,
        Command::About => {
            let messages = render::about(app.matcher.corpus(), app.retention_days);
            reply::send_all(bot, place, messages, None).await
        }
        Command::Ask(question) if question.trim().is_empty() => {
            reply::send(bot, place, texts::ask_usage(&app.example), None).await?;
            Ok(())
        }
        Command::Ask(question) => {
            if reply::within_flood_limit(bot, app, msg.from.as_ref(), place).await? {
                reply::question(bot, app, place, &question, false).await?;
            }
            Ok(())
        }
        Command::AutoAnswer(_) => {
            reply::send(bot, place, texts::ONLY_IN_GROUPS, None).await?;
            Ok(())
        }
    }
}

/// /start, or a deep link `/start faq_<id>` to one entry.
async fn start(bot: &TgBot, app: &App, place: Place, payload: &str) -> HandlerResult {
    if let Some(id) = payload.strip_prefix("faq_") {
        let corpus = app.matcher.corpus();
        return match corpus.index_of(id) {
            Some(entry) => reply::answer(bot, app, place, &Hit::whole(entry)).await,
            None => {
                reply::send(bot, place, texts::NO_SUCH_ENTRY, None).await?;
                Ok(())
            }
        };
    }
    let corpus = app.matcher.corpus();
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
