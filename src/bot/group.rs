//! Groups (privacy mode on, as BotFather sets it): the bot speaks when addressed —
//! `/ask`, an @mention, a reply to one of its messages, or `/ask` sent as a reply to
//! someone's question — and, where an admin turned `/autoanswer` on, answers other
//! messages only when it is sure. Replies stay in the asker's thread and forum topic.

use std::sync::Arc;

use teloxide::payloads::GetChatMember;
use teloxide::prelude::*;

use super::commands::Command;
use super::reply::{self, Asked, Place};
use super::{App, HandlerResult, keyboards, texts};

/// Other bots are not ours to answer — but an anonymous admin posts through
/// GroupAnonymousBot, on behalf of the group (`sender_chat`).
pub fn from_another_bot(msg: &Message) -> bool {
    msg.from.as_ref().is_some_and(|u| u.is_bot) && msg.sender_chat.is_none()
}

/// A text that is no command: answered when it is addressed to the bot, or unprompted
/// where auto-answer is on (and the group is not busy).
pub async fn on_text(msg: Message, text: String, app: Arc<App>) -> HandlerResult {
    let here = Place::of(&msg, Some(msg.id));
    // The engine drops @mentions itself.
    if mentions(&text, app.username()) {
        return addressed(&app, &msg, here, &text, Asked::Directly).await;
    }
    if let Some(asked) = reply::in_reply(&app, &msg) {
        return addressed(&app, &msg, here, &text, asked).await;
    }
    if app.store.autoanswer(msg.chat.id.0)? && reply::has_room(&app, here, false) {
        return reply::question(&app, here, &text, Asked::Unprompted, 0).await;
    }
    Ok(())
}

/// One of our commands, in a group.
pub async fn on_command(msg: Message, cmd: Command, app: Arc<App>) -> HandlerResult {
    let here = Place::of(&msg, Some(msg.id));
    match cmd {
        Command::Ask(question) if !question.trim().is_empty() => {
            addressed(&app, &msg, here, &question, Asked::Directly).await?
        }
        Command::Ask(_) => match msg
            .reply_to_message()
            .and_then(|m| m.text().map(|t| (m, t)))
        {
            // `/ask` as a reply: answer the message replied to, replying to it.
            Some((original, text)) => {
                let there = Place::of(&msg, Some(original.id));
                addressed(&app, &msg, there, text, Asked::Directly).await?
            }
            None => reply::send(&app, here, texts::ask_usage(&app.example), None),
        },
        Command::AutoAnswer(arg) => autoanswer(&app, &msg, here, &arg).await?,
        Command::Topics => {
            let markup = keyboards::browse(reply::topics_link(&app));
            reply::send(&app, here, texts::TOPICS_IN_PRIVATE, Some(markup));
        }
        Command::Help => reply::send(&app, here, texts::help_group(&app.example), None),
        Command::Start(_) | Command::About => {
            let markup = reply::private_chat_link(&app).map(keyboards::open_private);
            reply::send(&app, here, texts::IN_PRIVATE_PLEASE, markup);
        }
    }
    Ok(())
}

/// A question put to the bot: answered unless the group is busy, and when the flood
/// limit allows.
async fn addressed(
    app: &Arc<App>,
    msg: &Message,
    place: Place,
    question: &str,
    asked: Asked,
) -> HandlerResult {
    let here = Place::of(msg, Some(msg.id));
    if !reply::has_room(app, here, true) {
        return Ok(());
    }
    match reply::when_to_answer(app, msg, here) {
        Some(not_before) => reply::question(app, place, question, asked, not_before).await,
        None => Ok(()),
    }
}

/// `/autoanswer on|off`, for group admins only.
async fn autoanswer(app: &App, msg: &Message, here: Place, arg: &str) -> HandlerResult {
    let on = match arg.trim().to_lowercase().as_str() {
        "on" | "开" | "开启" | "打开" => true,
        "off" | "关" | "关闭" => false,
        _ => {
            reply::send(app, here, texts::AUTOANSWER_USAGE, None);
            return Ok(());
        }
    };
    // An anonymous admin posts as the group itself.
    let anonymous_admin = msg
        .sender_chat
        .as_ref()
        .is_some_and(|c| c.id == msg.chat.id);
    let is_admin = match &msg.from {
        _ if anonymous_admin => true,
        Some(user) => app
            .api
            .call(
                &GetChatMember::new(msg.chat.id, user.id),
                app.request_timeout,
            )
            .await?
            .is_privileged(),
        None => false,
    };
    if !is_admin {
        reply::send(app, here, texts::NOT_ADMIN, None);
        return Ok(());
    }
    app.store.set_autoanswer(msg.chat.id.0, on)?;
    let text = match (on, app.me.can_read_all_group_messages) {
        (true, true) => texts::AUTOANSWER_ON,
        (true, false) => texts::AUTOANSWER_ON_BUT_PRIVACY,
        (false, _) => texts::AUTOANSWER_OFF,
    };
    reply::send(app, here, text, None);
    Ok(())
}

/// Whether `text` mentions `@username` (exactly: not `@username_fans`).
fn mentions(text: &str, username: &str) -> bool {
    if username.is_empty() {
        return false;
    }
    let bytes = text.as_bytes();
    text.match_indices(['@', '＠']).any(|(at, sign)| {
        let start = at + sign.len();
        let end = start + username.len();
        end <= bytes.len()
            && bytes[start..end].eq_ignore_ascii_case(username.as_bytes())
            && bytes
                .get(end)
                .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
    })
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn a_mention_is_the_exact_username_in_any_case() {
        assert!(mentions("@Yibao_Bot 异地备案", "yibao_bot"));
        assert!(mentions("请问@yibao_bot异地备案", "yibao_bot"));
        assert!(mentions("问 ＠yibao_bot", "yibao_bot"));
        assert!(!mentions("@yibao_bot_fans 异地备案", "yibao_bot"));
        assert!(!mentions("yibao_bot 异地备案", "yibao_bot"));
        assert!(!mentions("@yibao", "yibao_bot"));
        assert!(!mentions("İ@yibao_bo", "yibao_bot"));
    }
}
