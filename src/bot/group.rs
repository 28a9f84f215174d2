//! Groups (privacy mode on, as BotFather sets it): the bot speaks when addressed —
//! `/ask`, an @mention, a reply to one of its messages, or `/ask` sent as a reply to
//! someone's question — and, where an admin turned `/autoanswer` on, answers other
//! messages only when it is sure. Replies stay in the asker's thread and forum topic.

use std::sync::Arc;
use std::time::Instant;

use teloxide::prelude::*;
use teloxide::utils::command::BotCommands;

use super::commands::Command;
use super::flood::Verdict;
use super::reply::{self, Place};
use super::{App, HandlerResult, TgBot, private, texts};

pub async fn on_message(bot: TgBot, msg: Message, app: Arc<App>) -> HandlerResult {
    let Some(text) = msg.text() else {
        return Ok(());
    };
    if msg.from.as_ref().is_some_and(|u| u.is_bot) {
        return Ok(());
    }
    let here = Place::of(&msg, Some(msg.id));
    if text.trim_start().starts_with('/') {
        // A command for another bot, or none we know: not ours to answer.
        let Ok(command) = Command::parse(text.trim(), app.username()) else {
            return Ok(());
        };
        return command_in_group(&bot, &app, &msg, here, command).await;
    }

    let mention = format!("@{}", app.username()).to_lowercase();
    let mentioned = !app.username().is_empty() && text.to_lowercase().contains(&mention);
    let replies_to_bot = msg
        .reply_to_message()
        .and_then(|m| m.from.as_ref())
        .is_some_and(|u| u.id == app.me.user.id);
    if mentioned || replies_to_bot {
        let question = strip_mention(text, &mention);
        return addressed(&bot, &app, &msg, here, &question).await;
    }
    if app.store.autoanswer(msg.chat.id.0)? {
        return reply::question(&bot, &app, here, text, true).await;
    }
    Ok(())
}

async fn command_in_group(
    bot: &TgBot,
    app: &App,
    msg: &Message,
    here: Place,
    command: Command,
) -> HandlerResult {
    match command {
        Command::Ask(question) if !question.trim().is_empty() => {
            addressed(bot, app, msg, here, &question).await
        }
        Command::Ask(_) => match msg
            .reply_to_message()
            .and_then(|m| m.text().map(|t| (m, t)))
        {
            // `/ask` as a reply: answer the message replied to, replying to it.
            Some((original, text)) => {
                let there = Place::of(msg, Some(original.id));
                addressed(bot, app, msg, there, text).await
            }
            None => {
                reply::send(bot, here, texts::ASK_USAGE, None).await?;
                Ok(())
            }
        },
        Command::AutoAnswer(arg) => autoanswer(bot, app, msg, here, &arg).await,
        Command::Topics => private::topics(bot, app, here).await,
        Command::Help => {
            reply::send(bot, here, texts::HELP_GROUP, None).await?;
            Ok(())
        }
        Command::Start(_) | Command::About => {
            reply::send(bot, here, texts::IN_PRIVATE_PLEASE, None).await?;
            Ok(())
        }
    }
}

/// A question put to the bot, subject to the flood limit.
async fn addressed(
    bot: &TgBot,
    app: &App,
    msg: &Message,
    place: Place,
    question: &str,
) -> HandlerResult {
    let user = msg.from.as_ref().map_or(0, |u| u.id.0);
    match app.flood.check(user, Instant::now()) {
        Verdict::Allow => reply::question(bot, app, place, question, false).await,
        Verdict::Warn => {
            let here = Place::of(msg, Some(msg.id));
            reply::send(bot, here, texts::FLOOD, None).await?;
            Ok(())
        }
        Verdict::Ignore => Ok(()),
    }
}

/// `/autoanswer on|off`, for group admins only.
async fn autoanswer(
    bot: &TgBot,
    app: &App,
    msg: &Message,
    here: Place,
    arg: &str,
) -> HandlerResult {
    let on = match arg.trim().to_lowercase().as_str() {
        "on" | "开" | "开启" | "打开" => true,
        "off" | "关" | "关闭" => false,
        _ => {
            reply::send(bot, here, texts::AUTOANSWER_USAGE, None).await?;
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
        Some(user) => bot
            .get_chat_member(msg.chat.id, user.id)
            .await?
            .is_privileged(),
        None => false,
    };
    if !is_admin {
        reply::send(bot, here, texts::NOT_ADMIN, None).await?;
        return Ok(());
    }
    app.store.set_autoanswer(msg.chat.id.0, on)?;
    let text = match (on, app.me.can_read_all_group_messages) {
        (true, true) => texts::AUTOANSWER_ON,
        (true, false) => texts::AUTOANSWER_ON_BUT_PRIVACY,
        (false, _) => texts::AUTOANSWER_OFF,
    };
    reply::send(bot, here, text, None).await?;
    Ok(())
}

/// The question without the @mention of the bot.
fn strip_mention(text: &str, mention: &str) -> String {
    let lower = text.to_lowercase();
    match lower.find(mention) {
        // Lower-casing ASCII keeps byte offsets, and usernames are ASCII.
        Some(at) if text.is_char_boundary(at) && text.is_char_boundary(at + mention.len()) => {
            format!("{} {}", &text[..at], &text[at + mention.len()..])
        }
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::strip_mention;

    #[test]
    fn the_mention_is_removed_wherever_it_is() {
        assert_eq!(
            strip_mention("@Yibao_Bot 异地备案", "@yibao_bot").trim(),
            "异地备案"
        );
        assert_eq!(
            strip_mention("请问@yibao_bot异地备案", "@yibao_bot"),
            "请问 异地备案"
        );
    }
}
