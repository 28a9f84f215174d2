//! What private chats, groups and buttons share: where a reply goes, and how an outcome
//! becomes messages.

use teloxide::prelude::*;
use teloxide::types::{
    InlineKeyboardMarkup, LinkPreviewOptions, MessageId, ParseMode, ReplyParameters, ThreadId,
};
use teloxide::utils::html::escape;
use tracing::warn;
use url::Url;

use super::flood::Verdict;
use super::keyboards::{self, Action};
use super::{App, BotError, HandlerResult, TgBot, render, texts};
use crate::engine::tuning::UNPROMPTED_MIN_SCORE;
use crate::engine::{Decline, Hit, Outcome};

/// Where a reply goes: the chat, the forum topic, the message it answers, and whether it
/// is a group (compact answers) or a private chat (full ones).
#[derive(Debug, Clone, Copy)]
pub struct Place {
    pub chat: ChatId,
    pub thread: Option<ThreadId>,
    pub reply_to: Option<MessageId>,
    pub group: bool,
}

impl Place {
    /// A reply in `msg`'s chat and forum topic; threaded to `reply_to` when given.
    pub fn of(msg: &Message, reply_to: Option<MessageId>) -> Place {
        Place {
            chat: msg.chat.id,
            thread: msg.is_topic_message.then_some(msg.thread_id).flatten(),
            reply_to,
            group: !msg.chat.is_private(),
        }
    }
}

/// Answers never carry a link preview.
pub fn no_preview() -> LinkPreviewOptions {
    LinkPreviewOptions {
        is_disabled: true,
        url: None,
        prefer_small_media: false,
        prefer_large_media: false,
        show_above_text: false,
    }
}

/// Sends one HTML message to `place`.
pub async fn send(
    bot: &TgBot,
    place: Place,
    text: impl Into<String>,
    markup: Option<InlineKeyboardMarkup>,
) -> Result<Message, BotError> {
    let mut request = bot
        .send_message(place.chat, text.into())
        .parse_mode(ParseMode::Html)
        .link_preview_options(no_preview());
    if let Some(thread) = place.thread {
        request = request.message_thread_id(thread);
    }
    if let Some(id) = place.reply_to {
        request = request.reply_parameters(ReplyParameters {
            allow_sending_without_reply: Some(true),
            ..ReplyParameters::new(id)
        });
    }
    if let Some(markup) = markup {
        request = request.reply_markup(markup);
    }
    Ok(request.await?)
}

/// Sends several messages in order; `markup` goes under the last, threading on the first.
pub async fn send_all(
    bot: &TgBot,
    place: Place,
    messages: Vec<String>,
    markup: Option<InlineKeyboardMarkup>,
) -> HandlerResult {
    let n = messages.len();
    let mut place = place;
    let mut markup = markup;
    for (i, text) in messages.into_iter().enumerate() {
        let last = i + 1 == n;
        send(bot, place, text, if last { markup.take() } else { None }).await?;
        place.reply_to = None;
    }
    Ok(())
}

/// Counts a question (or a tap that asks one) from `user` against the flood limit; the
/// first one over it gets a notice at `place`. Whether to answer.
pub async fn within_flood_limit(
    bot: &TgBot,
    app: &App,
    user: Option<&teloxide::types::User>,
    place: Place,
) -> Result<bool, BotError> {
    let id = user.map_or(0, |u| u.id.0);
    match app.flood.check(id, std::time::Instant::now()) {
        Verdict::Allow => Ok(true),
        Verdict::Warn => {
            send(bot, place, texts::FLOOD, None).await?;
            Ok(false)
        }
        Verdict::Ignore => Ok(false),
    }
}

/// `https://t.me/<bot>?start=faq_<id>`: the entry in full, in a private chat.
pub fn deep_link(app: &App, entry_id: &str) -> Option<Url> {
    Url::parse(&format!(
        "https://t.me/{}?start=faq_{entry_id}",
        app.username()
    ))
    .ok()
}

/// `https://t.me/<bot>?start`: the private chat with the bot.
pub fn private_chat_link(app: &App) -> Option<Url> {
    Url::parse(&format!("https://t.me/{}?start", app.username())).ok()
}

/// Answers a question at `place`. With `only_if_sure` (group auto-answer) anything but a
/// confident answer stays silent and nothing is recorded.
pub async fn question(
    bot: &TgBot,
    app: &App,
    place: Place,
    text: &str,
    only_if_sure: bool,
) -> HandlerResult {
    let outcome = app.matcher.ask(text);
    if only_if_sure {
        return match outcome {
            Outcome::Answer(hit) if hit.score >= UNPROMPTED_MIN_SCORE => {
                answer(bot, app, place, &hit).await
            }
            _ => Ok(()),
        };
    }
    match outcome {
        Outcome::Answer(hit) => answer(bot, app, place, &hit).await,
        Outcome::None(Decline::NoContent) => {
            send(bot, place, texts::small_talk(&app.example), None).await?;
            Ok(())
        }
        Outcome::Suggest(hits) => {
            log_store(
                app.store
                    .record_unanswered(&without_mentions(text), "suggest"),
            );
            let items: Vec<(Action, String)> = hits.iter().map(|h| suggestion(app, h)).collect();
            send(
                bot,
                place,
                render::suggestions(),
                Some(keyboards::suggestions(&items)),
            )
            .await?;
            Ok(())
        }
        Outcome::Topic { topic, entries } => {
            let items: Vec<(Action, String)> = entries
                .iter()
                .take(TOPIC_CHOICES)
                .map(|h| suggestion(app, h))
                .collect();
            let name = &app.matcher.corpus().topics[topic].name;
            send(
                bot,
                place,
                texts::topic_choices(&escape(name)),
                Some(keyboards::suggestions(&items)),
            )
            .await?;
            Ok(())
        }
        Outcome::None(decline) => {
            log_store(app.store.record_unanswered(&without_mentions(text), "none"));
            let topic = match decline {
                Decline::OutOfScope(t) => Some(t),
                _ => None,
            };
            let text = render::decline(app.matcher.corpus(), topic);
            send(bot, place, text, Some(keyboards::browse())).await?;
            Ok(())
        }
    }
}

/// Entries offered for a topic: six buttons still fit a phone screen.
const TOPIC_CHOICES: usize = 6;

/// A question as it is kept for maintainers: without anybody's @username.
fn without_mentions(text: &str) -> String {
    crate::engine::normalize::strip_mentions(text)
        .trim()
        .to_string()
}

fn suggestion(app: &App, hit: &Hit) -> (Action, String) {
    let view = app.matcher.view(hit);
    (
        Action::Ask {
            entry: view.entry.id.clone(),
            section: view.section.map(|s| s.id.clone()),
        },
        view.label().to_string(),
    )
}

/// Sends the answer `hit`: compact with a deep link in groups, in full with related
/// questions and 👍 / 👎 in private chats.
pub async fn answer(bot: &TgBot, app: &App, place: Place, hit: &Hit) -> HandlerResult {
    let view = app.matcher.view(hit);
    log_store(app.store.record_answered(&view.entry.id));
    if place.group {
        let markup = deep_link(app, &view.entry.id).map(keyboards::read_in_private);
        send(
            bot,
            place,
            render::compact(&view, app.matcher.corpus()),
            markup,
        )
        .await?;
        return Ok(());
    }
    let related: Vec<(String, String)> = app
        .matcher
        .related(hit.entry, 3)
        .iter()
        .map(|h| {
            let e = &app.matcher.corpus().entries[h.entry];
            (e.id.clone(), e.question.clone())
        })
        .collect();
    let markup = keyboards::under_answer(&view.entry.id, view.section.is_some(), &related);
    send_all(
        bot,
        place,
        render::full(&view, app.matcher.corpus()),
        Some(markup),
    )
    .await
}

/// A failure to record statistics never costs the user an answer.
pub fn log_store<T>(result: Result<T, super::store::StoreError>) {
    if let Err(e) = result {
        warn!("could not record to the database: {e}");
    }
}
