//! Commands for the bot's operators (Telegram user ids given by `--admins` /
//! `YIBAO_ADMINS`), in a private chat only: `/reload` and `/review`. They are in no command menu, and
//! from anybody else they are unknown commands like any other.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::utils::command::BotCommands;
use teloxide::utils::html::escape;

use super::reload::{Live, Reloaded, describe};
use super::render::MAX_MESSAGE;
use super::reply::{self, Place};
use super::review;
use super::{App, HandlerResult};

#[derive(BotCommands, Clone, Debug, PartialEq, Eq)]
#[command(rename_rule = "lowercase")]
pub enum AdminCommand {
    /// Load the corpus folder again (refused, with its problems, if it is invalid)
    Reload,
    /// Walk the most frequent unanswered questions, deciding with buttons
    Review,
}

/// Whether the message is from one of the admins, in a private chat.
pub fn from_admin(msg: Message, app: Arc<App>) -> bool {
    msg.chat.is_private()
        && msg
            .from
            .as_ref()
            .is_some_and(|u| app.admins.contains(&u.id.0))
}

pub async fn on_command(
    msg: Message,
    cmd: AdminCommand,
    app: Arc<App>,
    live: Arc<Live>,
) -> HandlerResult {
    let place = Place::of(&msg, None);
    let who = msg.from.as_ref().map_or(0, |u| u.id.0);
    match cmd {
        AdminCommand::Reload => {
            let reloaded = live.reload(&format!("/reload from {who}")).await;
            reply::send(&app, place, reload_report(&reloaded), None);
        }
        AdminCommand::Review => review::start(&app, place).await?,
    }
    Ok(())
}

/// What the admin who asked is told: what changed, or every error (as many as fit).
fn reload_report(reloaded: &Reloaded) -> String {
    match reloaded {
        Reloaded::Swapped(change) => {
            format!("✅ 已重新加载问答库：{}", escape(&describe(change)))
        }
        Reloaded::Refused(problems) => {
            let mut text = format!(
                "⚠️ 问答库有 {} 个错误，没有重新加载，仍在使用原来的问答库：",
                problems.len()
            );
            for (shown, problem) in problems.iter().enumerate() {
                let line = format!("\n• {}", escape(problem));
                if text.chars().count() + line.chars().count() + 20 > MAX_MESSAGE {
                    text.push_str(&format!("\n…（另有 {} 个）", problems.len() - shown));
                    break;
                }
                text.push_str(&line);
            }
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::reload::Change;

    #[test]
    fn a_refused_reload_lists_its_errors_within_one_message() {
        let many: Vec<String> = (0..500)
            .map(|i| format!("faq/a.json: entry {i}: no <answer>"))
            .collect();
        let text = reload_report(&Reloaded::Refused(many));
        assert!(
            text.chars().count() <= MAX_MESSAGE,
            "{}",
            text.chars().count()
        );
        assert!(text.contains("500 个错误") && text.contains("no &lt;answer&gt;"));
        assert!(text.contains("另有"), "{text}");
        let swapped = reload_report(&Reloaded::Swapped(Change {
            entries: 71,
            added: vec!["new-one".into()],
            ..Change::default()
        }));
        assert!(swapped.contains("71 entries: 1 added (new-one), 0 removed, 0 changed"));
    }
}
