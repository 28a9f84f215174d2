//! What the bot says that does not come from the corpus, in one place.

pub const SUGGEST_HEADER: &str = "您是不是想问：";
pub const EXPAND: &str = "📖 展开全文";
pub const COLLAPSE: &str = "🔼 收起";
pub const ASK_IN_PRIVATE: &str = "💬 私聊继续问";
pub const BROWSE_IN_PRIVATE: &str = "📚 私聊浏览全部问题";
/// After the short disclaimer under every answer: where the whole one is.
pub const DISCLAIMER_LINK: &str = "详见 /about";
/// Under an expanded answer cut at Telegram's limit.
pub const CUT_SHORT: &str = "……（全文较长，以上为前半部分；完整内容见来源原文。）";
/// A tap on someone else's suggestion, in a group.
pub const NOT_YOUR_QUESTION: &str = "这是别人的提问；您可以直接 @我 提问。";
/// After 👎: what to do next.
pub const AFTER_DOWN_VOTE: &str = "抱歉没帮上忙。您可以：\n• 换个说法再问一次，把情况说具体些（比如参保地、就医地、人员类别）；\n• 看看下面的同类问题；\n• 拨打12393医保服务热线，或在国家医保服务平台APP咨询。";
pub const SAME_CATEGORY: &str = "📂 同类问题";
pub const BROWSE: &str = "📚 按分类浏览全部问题";
pub const THANKS_FOR_FEEDBACK: &str = "✅ 谢谢反馈";
pub const FEEDBACK_RECORDED: &str = "谢谢反馈！";
pub const GROUP_BUSY: &str =
    "群里的提问太多了，我先回答前面的问题，后面的暂时不回答了；请稍后再问，或私聊我。";
pub const NOT_ADMIN: &str = "抱歉，只有群管理员可以开启或关闭自动回答。";
pub const AUTOANSWER_ON: &str =
    "已开启自动回答：群里有人提问、且我有把握时，我会直接回复答案（没把握时保持安静）。";
pub const AUTOANSWER_ON_BUT_PRIVACY: &str = "已开启自动回答。不过我现在开着隐私模式，只能看到指令、@我的消息和回复我的消息；请在 @BotFather 的 Bot Settings → Group Privacy 中关闭隐私模式后，自动回答才会生效。";
pub const AUTOANSWER_OFF: &str = "已关闭自动回答：需要时请用 /ask 提问，或 @我。";
pub const AUTOANSWER_USAGE: &str = "用法：/autoanswer on 开启，/autoanswer off 关闭。";
pub const ONLY_IN_GROUPS: &str = "这个指令只在群里使用。";
pub const IN_PRIVATE_PLEASE: &str = "请私聊我查看介绍、资料来源和隐私说明。";
pub const OPEN_PRIVATE: &str = "💬 私聊我";
pub const UNKNOWN_COMMAND: &str = "没有这个指令。直接发文字提问即可，或发送 /help 查看使用说明。";
pub const INLINE_ASK_IN_PRIVATE: &str = "💬 没找到？私聊我直接提问";
pub const TOPICS_IN_PRIVATE: &str = "全部问题的分类浏览请在私聊里打开：";
pub const TOPICS_HEADER: &str = "请选择分类：";
pub const NO_SUCH_ENTRY: &str = "这个问题已不在问答库中，请直接发文字提问。";
pub const CATEGORY_PREFIX: &str = "📂 ";
pub const VOTE_UP: &str = "👍 有帮助";
pub const VOTE_DOWN: &str = "👎 没帮助";
pub const RELATED_PREFIX: &str = "🔎 ";
pub const PAGE_BACK: &str = "◀ 上一页";
pub const PAGE_NEXT: &str = "下一页 ▶";
pub const ALL_CATEGORIES: &str = "« 全部分类";
pub const WELCOME_FALLBACK: &str = "您好！我可以回答这些方面的问题。";
pub const ABOUT_SOURCES: &str = "<b>资料来源</b>";
pub const ABOUT_UNDATED: &str = "原文未注明日期";
pub const ABOUT_DISCLAIMER: &str = "<b>免责声明</b>";

// Texts with an example question take it from the corpus (see `App::example`).

/// /start: `intro` (the corpus's welcome) and `categories` (HTML-escaped).
pub fn welcome(intro: &str, categories: &str) -> String {
    format!(
        "{intro}\n\n<b>我能回答：</b>{categories}\n\n直接发文字提问即可，也可以点下面的例子试试："
    )
}

/// Above the entries of a topic the question named (`name` HTML-escaped).
pub fn topic_choices(name: &str) -> String {
    format!("关于“{name}”，您想了解哪一个？")
}

/// Above an expanded section: the entry it is part of.
pub fn part_of(question: &str) -> String {
    format!("摘自：{question}")
}

/// A category's heading when browsing it.
pub fn category(name: &str, entries: usize) -> String {
    format!("{CATEGORY_PREFIX}{name}（{entries} 条）")
}

/// /about: how many source pages and entries there are.
pub fn about_counts(files: usize, entries: usize) -> String {
    format!("问答整理自 {files} 篇公开网页，共 {entries} 条：")
}

/// /about: the dates of a source page's dated entries.
pub fn about_dates(dates: &str) -> String {
    format!("发布于 {dates}")
}

/// /about: one source page (its fields HTML-escaped).
pub fn about_file(title: &str, entries: usize, when: &str) -> String {
    format!("• 《{title}》等 {entries} 条（{when}）")
}

/// Page `page` of `pages` when browsing a category.
pub fn page_of(page: usize, pages: usize) -> String {
    format!("{page}/{pages}")
}

/// The first question over the flood limit: how long to wait, and that what comes
/// meanwhile (up to `max` questions) is answered then.
pub fn flood(wait_secs: i64, max: usize) -> String {
    format!(
        "您提问有点快，请稍等 {wait_secs} 秒。这个问题和这期间再发的问题（最多共 {max} 个），我会在那之后依次回答。"
    )
}

/// Above an answer to a question longer than the engine reads.
pub fn truncated(max_chars: usize) -> String {
    format!("（问题较长，我只读了前 {max_chars} 个字。）")
}

pub fn non_text(example: &str) -> String {
    format!("请用文字描述您的问题，例如：{example}")
}

pub fn ask_usage(example: &str) -> String {
    format!(
        "请在 /ask 后面写上问题，例如：/ask {example}\n也可以回复别人的提问并发送 /ask，我来回答那条消息。"
    )
}

pub fn small_talk(example: &str) -> String {
    format!("您好！直接发文字提问就行，例如“{example}”。发送 /help 查看使用说明。")
}

pub fn help_private(example: &str, username: &str) -> String {
    format!(
        "<b>使用说明</b>
直接发文字提问即可，比如“{example}”。口语、错别字、繁体字都没关系。

• 我有把握时直接给出答案、出处和日期；没把握时列出几个相近的问题供您选择；问答库里没有的，我会如实说明，并告诉您去哪里问。
• 答案下方可以点 👍/👎 告诉我是否有帮助。
• /topics 按分类浏览全部问题；/about 查看资料来源、免责声明和隐私说明。
• 在群里：用 /ask 问题，或 @我，或回复我的消息；回复别人的提问并发送 /ask，我会回答那条消息。
• 在任意聊天中输入 @{username} 和关键词，可以直接挑选答案发出去。"
    )
}

pub fn help_group(example: &str) -> String {
    format!(
        "<b>在群里怎么问我</b>
• /ask 问题，例如：/ask {example}
• 消息里 @我，或回复我的消息
• 回复别人的提问并发送 /ask，我会回答那条消息
• 群管理员可用 /autoanswer on|off 开关自动回答
答案下方点“展开全文”看完整内容；想细问可以私聊我。"
    )
}

/// What the bot stores, for /about. `days` is the retention of unanswered questions.
pub fn privacy(days: u32) -> String {
    format!(
        "<b>隐私说明</b>\n我不保存您的用户名、ID 和聊天记录。只保存：\n\
         • 没能回答的问题（其中的身份证号、手机号、医保卡/社保卡号、银行卡号先打码再保存；不含任何用户、群组信息），保留{days}天，用于补充问答库；\n\
         • 每条答案的 👍/👎 次数（每人每条只计一票，记录的是无法还原成您身份的编码）；\n\
         • 群里的自动回答开关，以及还没发出的回复（发出后即删除）。\n\
         请不要在群里发身份证号、手机号、医保卡号等个人信息。"
    )
}
