//! A question edited after the bot answered it (a typo fixed, a detail added): the
//! bot's answer is edited to match, in private chats and groups alike. In a group only
//! questions put to the bot were answered, so only they can be edited.

use std::sync::Arc;

use teloxide::prelude::*;

use super::reply::{self, Asked, Place};
use super::{App, HandlerResult};

pub async fn on_edited_text(msg: Message, text: String, app: Arc<App>) -> HandlerResult {
    if super::group::from_another_bot(&msg) {
        return Ok(());
    }
    let place = Place::of(&msg, (!msg.chat.is_private()).then_some(msg.id));
    let asked = reply::in_reply(&app, &msg).unwrap_or(Asked::Directly);
    reply::edited_question(&app, place, question_of(&text), asked).await
}

/// The question in an edited message: after `/ask` (or `/ask@bot`) when it is one; the
/// engine drops @mentions itself.
fn question_of(text: &str) -> &str {
    let trimmed = text.trim_start();
    match trimmed.strip_prefix("/ask") {
        Some(rest) if rest.is_empty() || rest.starts_with([' ', '@', '\n']) => {
            let rest = rest.trim_start();
            match rest.strip_prefix('@') {
                Some(named) => named.split_once(char::is_whitespace).map_or("", |(_, q)| q),
                None => rest,
            }
        }
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::question_of;

    #[test]
    fn the_question_of_an_edited_ask_command() {
        assert_eq!(question_of("/ask 异地备案"), "异地备案");
        assert_eq!(question_of("/ask@yibao_bot 异地备案"), "异地备案");
        assert_eq!(question_of("异地备案"), "异地备案");
        assert_eq!(question_of("/asking"), "/asking");
    }
}
