//! Private chats: any text is a question; commands; non-text gets a hint.

use std::sync::Arc;

use teloxide::prelude::*;

use super::commands::Command;
use super::keyboards;
use super::reply::{self, Asked, Place};
use super::{App, HandlerResult, render, texts};

/// A text that is not a command: a question.
pub async fn on_question(msg: Message, text: String, app: Arc<App>) -> HandlerResult {
    let place = Place::of(&msg, None);
    let asked = reply::in_reply(&app, &msg).unwrap_or(Asked::Directly);
    match reply::when_to_answer(&app, &msg, place) {
        // An answer held by the flood limit comes later, among others: it quotes its
        // question.
        Some(not_before) if not_before > 0 => {
            let place = Place::of(&msg, Some(msg.id));
            reply::question(&app, place, &text, asked, not_before).await
        }
        Some(_) => reply::question(&app, place, &text, asked, 0).await,
        None => Ok(()),
    }
}

/// A photo, sticker, voice message…: ask for words.
pub async fn on_non_text(msg: Message, app: Arc<App>) -> HandlerResult {
    reply::send(
        &app,
        Place::of(&msg, None),
        texts::non_text(&app.example),
        None,
    );
    Ok(())
}

/// `/something` we do not know (or one for another bot).
pub async fn on_unknown_command(msg: Message, app: Arc<App>) -> HandlerResult {
    reply::send(&app, Place::of(&msg, None), texts::UNKNOWN_COMMAND, None);
    Ok(())
}

/// One of our commands, in a private chat.
pub async fn on_command(msg: Message, cmd: Command, app: Arc<App>) -> HandlerResult {
    let place = Place::of(&msg, None);
    match cmd {
        Command::Start(payload) => start(&app, place, payload.trim()).await?,
        Command::Help => reply::send(
            &app,
            place,
            texts::help_private(&app.example, &format!("@{}", app.username())),
            None,
        ),
        Command::Topics => topics(&app, place),
        Command::About => {
            let messages = render::about(app.matcher.corpus(), app.retention_days);
            reply::send_all(&app, place, messages, None, 0);
        }
        Command::Ask(question) if question.trim().is_empty() => {
            reply::send(&app, place, texts::ask_usage(&app.example), None)
        }
        Command::Ask(question) => {
            if let Some(not_before) = reply::when_to_answer(&app, &msg, place) {
                reply::question(&app, place, &question, Asked::Directly, not_before).await?;
            }
        }
        Command::AutoAnswer(_) => reply::send(&app, place, texts::ONLY_IN_GROUPS, None),
    }
    Ok(())
}

/// /start, or a deep link `/start faq_<id>` to one entry.
async fn start(app: &Arc<App>, place: Place, payload: &str) -> HandlerResult {
    let corpus = app.matcher.corpus();
    if payload == "topics" {
        topics(app, place);
        return Ok(());
    }
    if let Some(id) = payload.strip_prefix("faq_") {
        return match corpus.hit(id, None) {
            Some(hit) => reply::answer(app, place, &hit).await,
            None => {
                reply::send(app, place, texts::NO_SUCH_ENTRY, None);
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
        .map(|e| (e.id.clone(), e.label().to_string()))
        .collect();
    reply::send(
        app,
        place,
        render::welcome(corpus),
        Some(keyboards::examples(&examples)),
    );
    Ok(())
}

/// /topics: the categories as buttons.
fn topics(app: &App, place: Place) {
    let categories = app.matcher.corpus().categories();
    reply::send(
        app,
        place,
        texts::TOPICS_HEADER,
        Some(keyboards::categories(&categories)),
    );
}
