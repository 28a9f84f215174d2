//! What private chats, groups and buttons share: where a reply goes, how an outcome
//! becomes messages, when to answer (the flood limit, a busy group), and running the
//! engine off the async threads. Replies go to the outbox: nothing here waits for
//! Telegram.

use std::sync::Arc;

use teloxide::payloads::{EditMessageReplyMarkup, EditMessageText, SendChatAction, SendMessage};
use teloxide::prelude::*;
use teloxide::types::{
    ChatAction, InlineKeyboardMarkup, LinkPreviewOptions, MessageId, ParseMode, ReplyParameters,
    ThreadId,
};
use teloxide::utils::html::escape;
use tracing::debug;
use url::Url;

use super::flood::Verdict;
use super::keyboards::{self, Action};
use super::render::{Form, MAX_MESSAGE};
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
    /// The message being answered (a question) or whose button was tapped.
    pub message: Option<MessageId>,
}

impl Place {
    /// A reply in `msg`'s chat and forum topic; threaded to `reply_to` when given.
    pub fn of(msg: &Message, reply_to: Option<MessageId>) -> Place {
        Place {
            chat: msg.chat.id,
            thread: msg.is_topic_message.then_some(msg.thread_id).flatten(),
            reply_to,
            group: !msg.chat.is_private(),
            message: Some(msg.id),
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
    app.outbox
        .post(place.chat.0, &in_order(place, messages, markup), not_before);
}

/// Messages to `place` in order: threaded on the first, `markup` under the last.
fn in_order(
    place: Place,
    messages: Vec<String>,
    mut markup: Option<InlineKeyboardMarkup>,
) -> Vec<SendMessage> {
    let n = messages.len();
    messages
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let place = Place {
                reply_to: if i == 0 { place.reply_to } else { None },
                ..place
            };
            message(place, text, if i + 1 == n { markup.take() } else { None })
        })
        .collect()
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

/// How a question came to the bot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// Put to the bot: a private message, `/ask`, an @mention.
    Directly,
    /// A reply to one of the bot's messages: a follow-up of the answer to `after` (an
    /// entry) when it was one. In a group, thanks and emoji sent this way get no
    /// message.
    InReply { after: Option<usize> },
    /// Seen in a group with auto-answer on: answered only when the engine is sure, and
    /// otherwise nothing is said or recorded.
    Unprompted,
}

/// How `msg` was asked when it replies to one of the bot's own messages: as a follow-up
/// of the answer that message shows (its entry, read back from its buttons).
pub fn in_reply(app: &App, msg: &Message) -> Option<Asked> {
    let replied = msg.reply_to_message()?;
    if replied.from.as_ref().is_none_or(|u| u.id != app.me.user.id) {
        return None;
    }
    let after = replied
        .reply_markup()
        .and_then(keyboards::answered_entry)
        .and_then(|(entry, _)| app.matcher.corpus().index_of(&entry));
    Some(Asked::InReply { after })
}

/// Small talk that a group hears as a reply to the bot without the bot saying more:
/// everything but a question about the bot and a request for a human.
const SAID_TO_EVERYONE: &[&str] = &["who", "human"];

/// Answers a question at `place`, not before `not_before`. A question longer than the
/// engine reads says so above the reply.
pub async fn question(
    app: &Arc<App>,
    place: Place,
    text: &str,
    asked: Asked,
    not_before: i64,
) -> HandlerResult {
    let outcome = read(app, text, asked).await?;
    let Some((message, markup)) = reply_to(app, place, text, asked, outcome) else {
        return Ok(());
    };
    let note =
        (text.chars().count() > MAX_QUESTION_CHARS).then(|| texts::truncated(MAX_QUESTION_CHARS));
    let note = super::advisory::with_group_advisory(note, place.group, text);
    let reply = Reply {
        app,
        place,
        note,
        not_before,
    };
    reply.one(message, markup);
    Ok(())
}

/// A question edited after the bot answered it: the answer is edited to what the bot
/// says to the question now. (An answer not yet delivered, or sent before a restart, is
/// left as it is.)
pub async fn edited_question(
    app: &Arc<App>,
    place: Place,
    text: &str,
    asked: Asked,
) -> HandlerResult {
    let Some(question) = place.message else {
        return Ok(());
    };
    let Some(answer) = app.answered.answer_to(place.chat.0, question.0) else {
        return Ok(());
    };
    let outcome = read(app, text, asked).await?;
    if let Some((message, markup)) = reply_to(app, place, text, asked, outcome) {
        let mut edit = EditMessageText::new(place.chat, MessageId(answer), message);
        edit.parse_mode = Some(ParseMode::Html);
        edit.link_preview_options = Some(no_preview());
        edit.reply_markup = Some(markup.unwrap_or_default());
        app.outbox.post(place.chat.0, &[edit], 0);
    }
    Ok(())
}

/// The engine's outcome for `text`, read as it was asked.
async fn read(app: &Arc<App>, text: &str, asked: Asked) -> Result<Outcome, BotError> {
    let question = text.to_string();
    let outcome = engine(app, move |m| match asked {
        Asked::InReply { after: Some(entry) } => m.ask_after(&question, entry),
        _ => m.ask(&question),
    })
    .await?;
    app.metrics.outcome(&outcome);
    Ok(outcome)
}

/// What the bot says to a question with `outcome` at `place`: a message and its
/// buttons, or nothing (an unprompted question the engine is not sure of, thanks sent
/// as a reply in a group). Records what maintainers see: answers given, questions not
/// answered (never small talk).
fn reply_to(
    app: &App,
    place: Place,
    text: &str,
    asked: Asked,
    outcome: Outcome,
) -> Option<(String, Option<InlineKeyboardMarkup>)> {
    if asked == Asked::Unprompted {
        return match outcome {
            Outcome::Answer(hit) if hit.score >= UNPROMPTED_MIN_SCORE => {
                Some(answered(app, &hit, place.group))
            }
            _ => None,
        };
    }
    let in_group_reply = place.group && matches!(asked, Asked::InReply { .. });
    let corpus = app.matcher.corpus();
    match outcome {
        Outcome::Answer(hit) => Some(answered(app, &hit, place.group)),
        Outcome::None(Decline::NoContent) if in_group_reply => None,
        // In a group, a bare @mention or /ask: how to ask here.
        Outcome::None(Decline::NoContent) if place.group => {
            Some((texts::ask_usage(&app.example), None))
        }
        Outcome::None(Decline::NoContent) => Some((texts::small_talk(&app.example), None)),
        Outcome::None(Decline::SmallTalk(kind)) => {
            let talk = &corpus.small_talk[kind];
            if in_group_reply && !SAID_TO_EVERYONE.contains(&talk.name.as_str()) {
                return None;
            }
            Some((render::small_talk(corpus, kind), None))
        }
        Outcome::Suggest(hits) => {
            record(
                app,
                app.store
                    .record_unanswered(&without_mentions(text), "suggest"),
            );
            let items: Vec<(Action, String)> = hits.iter().map(|h| suggestion(app, h)).collect();
            Some((render::suggestions(), Some(keyboards::suggestions(&items))))
        }
        Outcome::Topic { topic, entries } => {
            let items: Vec<(Action, String)> = entries
                .iter()
                .take(TOPIC_CHOICES)
                .map(|h| suggestion(app, h))
                .collect();
            let name = &corpus.topics[topic].name;
            Some((
                texts::topic_choices(&escape(name)),
                Some(keyboards::suggestions(&items)),
            ))
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
            let markup = keyboards::browse(place.group.then(|| topics_link(app)).flatten());
            Some((render::decline(corpus, topic), Some(markup)))
        }
    }
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
        // An answer that waits (a pause after a flood of questions, a busy group) is
        // announced: the chat shows "typing…" meanwhile.
        if self.not_before > now() || self.app.outbox.waiting(self.place.chat.0) > 0 {
            typing(self.app, self.place);
        }
        let calls = in_order(self.place, messages, markup);
        let answers = self.place.message.map(|m| m.0);
        self.app
            .outbox
            .post_answer(self.place.chat.0, &calls, self.not_before, answers);
    }
}

/// "typing…" in `place` for a few seconds (best effort: not worth a retry).
fn typing(app: &App, place: Place) {
    let mut action = SendChatAction::new(place.chat, ChatAction::Typing);
    action.message_thread_id = place.thread;
    let api = app.api.clone();
    let timeout = app.request_timeout;
    tokio::spawn(async move {
        if let Err(e) = api.call(&action, timeout).await {
            debug!("could not show typing: {e}");
        }
    });
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
        view.short().to_string(),
    )
}

/// Sends the answer `hit` at once.
pub async fn answer(app: &Arc<App>, place: Place, hit: &Hit) -> HandlerResult {
    let reply = Reply {
        app,
        place,
        note: None,
        not_before: 0,
    };
    let (text, markup) = answered(app, hit, place.group);
    reply.one(text, markup);
    Ok(())
}

/// The answer `hit`, brief, with its buttons; counted as answered.
fn answered(app: &App, hit: &Hit, group: bool) -> (String, Option<InlineKeyboardMarkup>) {
    let entry = &app.matcher.corpus().entries[hit.entry];
    record(app, app.store.record_answered(&entry.id));
    let (text, markup) = answer_message(app, hit, group, Form::Brief);
    (text, Some(markup))
}

/// An answer and its buttons, in `form`: in a private chat related questions and
/// 👍 / 👎 under it, in a group a link to the private chat.
pub fn answer_message(
    app: &App,
    hit: &Hit,
    group: bool,
    form: Form,
) -> (String, InlineKeyboardMarkup) {
    let corpus = app.matcher.corpus();
    let view = app.matcher.view(hit);
    let related: Vec<(String, String)> = if group {
        Vec::new()
    } else {
        app.matcher
            .related(hit.entry, MAX_RELATED_BUTTONS)
            .iter()
            .map(|h| {
                let v = app.matcher.view(h);
                (v.entry.id.clone(), v.short().to_string())
            })
            .collect()
    };
    let link = if group { private_chat_link(app) } else { None };
    let markup = keyboards::under_answer(
        &view.entry.id,
        view.section.map(|s| s.id.as_str()),
        form,
        &related,
        link,
    );
    (render::answer(&view, corpus, form), markup)
}

/// Related questions under a private answer: three fit a phone screen with the rest.
const MAX_RELATED_BUTTONS: usize = 3;

/// `https://t.me/<bot>?start=topics`: the categories, in the private chat.
pub fn topics_link(app: &App) -> Option<Url> {
    Url::parse(&format!("https://t.me/{}?start=topics", app.username())).ok()
}

/// A failure to record statistics never costs the user an answer.
pub fn record<T>(app: &App, result: Result<T, super::store::StoreError>) {
    if let Err(e) = result {
        app.store.report(&e);
    }
}
