//! What private chats, groups and buttons share: where a reply goes, how an outcome
//! becomes messages, when to answer (the flood limit, a busy group), and running the
//! engine off the async threads. Replies go to the outbox: nothing here waits for
//! Telegram.

use std::sync::Arc;

use teloxide::payloads::{EditMessageReplyMarkup, EditMessageText, SendMessage};
use teloxide::prelude::*;
use teloxide::types::{
    InlineKeyboardMarkup, LinkPreviewOptions, MessageId, ParseMode, ReplyParameters, ThreadId,
};
use teloxide::utils::html::escape;
use url::Url;

use super::flood::Verdict;
use super::keyboards::{self, Action};
use super::render::MAX_MESSAGE;
use super::store::now;
use super::{App, BotError, HandlerResult, render, texts};
use crate::engine::tuning::UNPROMPTED_MIN_SCORE;
use crate::engine::{Decline, Hit, MAX_QUESTION_CHARS, Matcher, Outcome};

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

/// One HTML message to `place`.
fn message(place: Place, text: String, markup: Option<InlineKeyboardMarkup>) -> SendMessage {
    let mut m = SendMessage::new(place.chat, text);
    m.parse_mode = Some(ParseMode::Html);
    m.link_preview_options = Some(no_preview());
    m.message_thread_id = place.thread;
    m.reply_parameters = place.reply_to.map(|id| ReplyParameters {
        allow_sending_without_reply: Some(true),
        ..ReplyParameters::new(id)
    });
    m.reply_markup = markup.map(Into::into);
    m
}

/// Sends one HTML message to `place`.
pub fn send(
    app: &App,
    place: Place,
    text: impl Into<String>,
    markup: Option<InlineKeyboardMarkup>,
) {
    app.outbox
        .post(place.chat.0, &[message(place, text.into(), markup)], 0);
}

/// Sends several messages in order, not before `not_before` (unix seconds; 0: at once);
/// `markup` goes under the last, threading on the first.
pub fn send_all(
    app: &App,
    place: Place,
    messages: Vec<String>,
    markup: Option<InlineKeyboardMarkup>,
    not_before: i64,
) {
    let n = messages.len();
    let mut markup = markup;
    let calls: Vec<SendMessage> = messages
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let place = Place {
                reply_to: if i == 0 { place.reply_to } else { None },
                ..place
            };
            let last = i + 1 == n;
            message(place, text, if last { markup.take() } else { None })
        })
        .collect();
    app.outbox.post(place.chat.0, &calls, not_before);
}

/// Replaces the buttons under one of the bot's messages.
pub fn edit_markup(app: &App, msg: &Message, markup: InlineKeyboardMarkup) {
    let mut edit = EditMessageReplyMarkup::new(msg.chat.id, msg.id);
    edit.reply_markup = Some(markup);
    app.outbox.post(msg.chat.id.0, &[edit], 0);
}

/// Replaces the text and buttons of one of the bot's messages.
pub fn edit_text(app: &App, msg: &Message, text: String, markup: InlineKeyboardMarkup) {
    let mut edit = EditMessageText::new(msg.chat.id, msg.id, text);
    edit.parse_mode = Some(ParseMode::Html);
    edit.reply_markup = Some(markup);
    app.outbox.post(msg.chat.id.0, &[edit], 0);
}

/// When to answer a question `msg`'s sender typed, by the flood limit: at once (0), at
/// the end of a pause (the first question over the limit gets a notice at `here` saying
/// how long), or not at all.
pub fn when_to_answer(app: &App, msg: &Message, here: Place) -> Option<i64> {
    let user = msg.from.as_ref().map_or(0, |u| u.id.0);
    match app.flood.check(user, msg.date.timestamp()) {
        Verdict::Now => Some(0),
        Verdict::Later { until, notice } => {
            let wait = until - now();
            if wait <= 0 {
                // The pause is already over (an old backlog): answer at once.
                return Some(0);
            }
            if notice {
                send(app, here, texts::flood(wait, app.flood.max()), None);
            }
            Some(until)
        }
        Verdict::Not => None,
    }
}

/// Whether `place` can take another answer: a group with many replies still waiting
/// is told once that it is busy (when `tell`), and gets no more until they are out. (A
/// private chat only ever waits for itself: its own pace holds nobody else up.)
pub fn has_room(app: &App, place: Place, tell: bool) -> bool {
    if !place.group || app.outbox.waiting(place.chat.0) < app.group_backlog {
        return true;
    }
    if tell && app.outbox.tell_busy_once(place.chat.0) {
        send(app, place, texts::GROUP_BUSY, None);
    }
    false
}

/// Runs the engine on a blocking thread, so that a long question never stalls the bot.
pub async fn engine<T: Send + 'static>(
    app: &Arc<App>,
    work: impl FnOnce(&Matcher) -> T + Send + 'static,
) -> Result<T, BotError> {
    let app = app.clone();
    tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let done = work(&app.matcher);
        app.metrics.engine_time(started.elapsed());
        done
    })
    .await
    .map_err(|_| BotError::Engine)
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

/// Answers a question at `place`, not before `not_before`. With `only_if_sure` (group
/// auto-answer) anything but a confident answer stays silent and nothing is recorded. A
/// question longer than the engine reads says so above the reply.
pub async fn question(
    app: &Arc<App>,
    place: Place,
    text: &str,
    only_if_sure: bool,
    not_before: i64,
) -> HandlerResult {
    let asked = text.to_string();
    let outcome = engine(app, move |m| m.ask(&asked)).await?;
    app.metrics.outcome(&outcome);
    let note =
        (text.chars().count() > MAX_QUESTION_CHARS).then(|| texts::truncated(MAX_QUESTION_CHARS));
    let note = super::advisory::with_group_advisory(note, place.group, text);
    let reply = Reply {
        app,
        place,
        note,
        not_before,
    };
    if only_if_sure {
        if let Outcome::Answer(hit) = outcome
            && hit.score >= UNPROMPTED_MIN_SCORE
        {
            answer_with(app, &reply, &hit).await?;
        }
        return Ok(());
    }
    match outcome {
        Outcome::Answer(hit) => answer_with(app, &reply, &hit).await?,
        Outcome::None(Decline::NoContent | Decline::SmallTalk(_)) => {
            reply.one(texts::small_talk(&app.example), None)
        }
        Outcome::Suggest(hits) => {
            record(
                app,
                app.store
                    .record_unanswered(&without_mentions(text), "suggest"),
            );
            let items: Vec<(Action, String)> = hits.iter().map(|h| suggestion(app, h)).collect();
            reply.one(render::suggestions(), Some(keyboards::suggestions(&items)));
        }
        Outcome::Topic { topic, entries } => {
            let items: Vec<(Action, String)> = entries
                .iter()
                .take(TOPIC_CHOICES)
                .map(|h| suggestion(app, h))
                .collect();
            let name = &app.matcher.corpus().topics[topic].name;
            reply.one(
                texts::topic_choices(&escape(name)),
                Some(keyboards::suggestions(&items)),
            );
        }
        Outcome::None(decline) => {
            record(
                app,
                app.store.record_unanswered(&without_mentions(text), "none"),
            );
            let topic = match decline {
                Decline::OutOfScope(t) => Some(t),
                _ => None,
            };
            let text = render::decline(app.matcher.corpus(), topic);
            reply.one(text, Some(keyboards::browse()));
        }
    }
    Ok(())
}

/// A reply in the making: where, from when, and a note to put above it.
struct Reply<'a> {
    app: &'a App,
    place: Place,
    note: Option<String>,
    not_before: i64,
}

impl Reply<'_> {
    fn one(&self, text: String, markup: Option<InlineKeyboardMarkup>) {
        self.all(vec![text], markup);
    }

    fn all(&self, mut messages: Vec<String>, markup: Option<InlineKeyboardMarkup>) {
        if let Some(note) = &self.note {
            match messages.first_mut() {
                Some(first) if first.chars().count() + note.chars().count() < MAX_MESSAGE => {
                    *first = format!("{note}\n{first}");
                }
                _ => messages.insert(0, note.clone()),
            }
        }
        send_all(self.app, self.place, messages, markup, self.not_before);
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

/// Sends the answer `hit` at once: compact with a deep link in groups, in full with
/// related questions and 👍 / 👎 in private chats.
pub async fn answer(app: &Arc<App>, place: Place, hit: &Hit) -> HandlerResult {
    let reply = Reply {
        app,
        place,
        note: None,
        not_before: 0,
    };
    answer_with(app, &reply, hit).await
}

async fn answer_with(app: &Arc<App>, reply: &Reply<'_>, hit: &Hit) -> HandlerResult {
    let view = app.matcher.view(hit);
    record(app, app.store.record_answered(&view.entry.id));
    if reply.place.group {
        let markup = deep_link(app, &view.entry.id).map(keyboards::read_in_private);
        reply.one(render::compact(&view, app.matcher.corpus()), markup);
        return Ok(());
    }
    let entry = hit.entry;
    let related: Vec<(String, String)> = engine(app, move |m| {
        m.related(entry, 3)
            .iter()
            .map(|h| {
                let e = &m.corpus().entries[h.entry];
                (e.id.clone(), e.question.clone())
            })
            .collect()
    })
    .await?;
    let markup = keyboards::under_answer(&view.entry.id, view.section.is_some(), &related);
    reply.all(render::full(&view, app.matcher.corpus()), Some(markup));
    Ok(())
}

/// A failure to record statistics never costs the user an answer.
pub fn record<T>(app: &App, result: Result<T, super::store::StoreError>) {
    if let Err(e) = result {
        app.store.report(&e);
    }
}
