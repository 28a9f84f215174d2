//! The bot's commands. Doc comments are the descriptions registered with Telegram
//! (setMyCommands) and shown in /help.

use teloxide::types::BotCommand;
use teloxide::utils::command::BotCommands;

#[derive(BotCommands, Clone, Debug, PartialEq, Eq)]
#[command(rename_rule = "lowercase")]
pub enum Command {
    /// 开始使用，看看我能回答什么
    Start(String),
    /// 使用说明
    Help,
    /// 按分类浏览全部问题
    Topics,
    /// 资料来源、免责声明与隐私说明
    About,
    /// 提问：/ask 后面写上问题
    Ask(String),
    /// 群管理员：开启或关闭自动回答（on/off）
    AutoAnswer(String),
}

/// The command menu of private chats.
pub fn private_menu() -> Vec<BotCommand> {
    menu(&["start", "help", "topics", "about"])
}

/// The command menu of groups.
pub fn group_menu() -> Vec<BotCommand> {
    menu(&["ask", "topics", "help", "autoanswer"])
}

/// The named commands as Telegram wants them: name without the slash, description.
fn menu(names: &[&str]) -> Vec<BotCommand> {
    let all = Command::bot_commands();
    names
        .iter()
        .filter_map(|n| all.iter().find(|c| c.command.trim_start_matches('/') == *n))
        .map(|c| BotCommand::new(c.command.trim_start_matches('/'), c.description.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_with_and_without_the_bot_name() {
        assert_eq!(
            Command::parse("/ask 异地备案", "yibao_bot").unwrap(),
            Command::Ask("异地备案".into())
        );
        assert_eq!(
            Command::parse("/ask@yibao_bot 异地备案", "yibao_bot").unwrap(),
            Command::Ask("异地备案".into())
        );
        assert_eq!(
            Command::parse("/ask", "yibao_bot").unwrap(),
            Command::Ask(String::new())
        );
        assert_eq!(
            Command::parse("/start faq_yidi-yue-shiyong", "yibao_bot").unwrap(),
            Command::Start("faq_yidi-yue-shiyong".into())
        );
        assert_eq!(
            Command::parse("/autoanswer on", "yibao_bot").unwrap(),
            Command::AutoAnswer("on".into())
        );
        assert!(Command::parse("/ask@other_bot 异地备案", "yibao_bot").is_err());
    }

    #[test]
    fn menus_have_chinese_descriptions() {
        let private = private_menu();
        assert_eq!(private.len(), 4);
        assert!(group_menu().iter().any(|c| c.command == "autoanswer"));
        assert!(
            private
                .iter()
                .all(|c| !c.description.is_empty() && !c.description.is_ascii())
        );
    }
}
