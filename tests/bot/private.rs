//! Private chats: answers, sections, suggestions, declines, commands and buttons.

use serde_json::json;

use super::updates::{bot_message, callback, edited, photo, private_text};
use super::{Harness, button_data, buttons, text};

const ME: i64 = 4242;

#[tokio::test(flavor = "multi_thread")]
async fn an_answer_reads_like_a_canned_answer_with_source_disclaimer_and_buttons() {
    let mut h = Harness::start(false).await;
    let reply = h
        .expect_message(private_text(ME, "在外地看病能刷医保卡里的余额吗"), 1)
        .await;
    let t = text(&reply);
    // The short question in bold, then the conclusion, which answers first.
    assert!(t.starts_with("<b>异地能用医保余额吗</b>\n可以"), "{t}");
    assert!(t.contains("\n• "), "key points: {t}");
    // A footer of two short lines: the source and its date (no file name), 仅供参考 with
    // 12393 and where the full disclaimer is.
    assert!(
        t.contains("<i>来源：《异地医保余额可以使用吗?》原文未注明日期</i>\n<i>⚠️ 仅供参考"),
        "{t}"
    );
    assert!(t.ends_with("12393。详见 /about</i>"), "{t}");
    assert!(!t.contains(".txt"), "{t}");
    assert!(t.chars().count() <= 350, "fits a phone's first screen: {t}");
    assert_eq!(button_data(&reply, "展开全文"), "x:yidi-yue-shiyong");
    assert_eq!(reply.body["parse_mode"], "HTML");
    assert_eq!(reply.body["link_preview_options"]["is_disabled"], true);
    assert_eq!(reply.body["chat_id"], ME);
    // Who the bot is was asked once, at start-up.
    assert_eq!(h.api.calls_of("getme").len(), 1);
    let rows = buttons(&reply);
    let flat: Vec<&String> = rows.iter().flatten().collect();
    assert!(
        flat.iter().any(|b| b.contains("👍")) && flat.iter().any(|b| b.contains("👎")),
        "{rows:?}"
    );
    let related = flat.iter().filter(|b| b.starts_with("🔎")).count();
    assert!((1..=3).contains(&related), "{rows:?}");
    for row in reply.body["reply_markup"]["inline_keyboard"]
        .as_array()
        .unwrap()
    {
        for b in row.as_array().unwrap() {
            assert!(b["callback_data"].as_str().unwrap().len() <= 64);
        }
    }
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn corpus_text_is_escaped_for_html() {
    let mut h = Harness::start(false).await;
    let reply = h
        .expect_message(private_text(ME, "2024年东莞社保报销政策"), 1)
        .await;
    let data = button_data(&reply, "展开全文");
    let shown = bot_message(
        ME,
        10_000,
        text(&reply),
        Some(reply.body["reply_markup"].clone()),
    );
    let full = h.expect_edit(callback(ME, shown, &data), 1).await;
    let t = text(&full);
    assert!(t.contains("&gt;10万元"), "{t}");
    assert!(
        !t.contains("(>10万元)") && !t.contains("（>10万元）"),
        "{t}"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_section_answers_a_detail_and_expands_in_place_keeping_its_buttons() {
    let mut h = Harness::start(false).await;
    let reply = h
        .expect_message(private_text(ME, "家庭共济最多绑几个人"), 1)
        .await;
    let t = text(&reply);
    assert!(t.starts_with("<b>共济最多绑几个人</b>\n5人"), "{t}");
    let data = button_data(&reply, "展开全文");
    assert_eq!(data, "x:gongji-shengnei:renshu");
    let markup = reply.body["reply_markup"].clone();
    let shown = bot_message(ME, 10_000, t, Some(markup.clone()));
    // 展开全文 edits the same message: the whole text, the same buttons but 收起.
    let full = h.expect_edit(callback(ME, shown, &data), 1).await;
    assert_eq!(full.body["message_id"], 10_000);
    let ft = text(&full);
    assert!(ft.starts_with("<b>共济最多绑几个人</b>\n5人"), "{ft}");
    assert!(ft.contains("摘自：医保个人账户省内异地家庭共济"), "{ft}");
    assert!(ft.chars().count() > t.chars().count(), "{ft}");
    let labels: Vec<String> = buttons(&full).into_iter().flatten().collect();
    let before: Vec<String> = buttons(&reply).into_iter().flatten().collect();
    assert_eq!(labels.len(), before.len(), "{labels:?}");
    assert!(labels.iter().any(|b| b.contains("收起")), "{labels:?}");
    assert!(labels.iter().any(|b| b.contains("👍")), "{labels:?}");
    // 收起 brings the brief form back, in the same message.
    let collapse = button_data(&full, "收起");
    let shown = bot_message(ME, 10_000, ft, Some(full.body["reply_markup"].clone()));
    let brief = h.expect_edit(callback(ME, shown, &collapse), 2).await;
    assert_eq!(text(&brief), t);
    assert_eq!(button_data(&brief, "展开全文"), data);
    // Nothing new was sent.
    assert_eq!(h.api.settle("sendmessage").await.len(), 1);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_suggestion_offers_the_candidates_and_a_tap_answers() {
    let mut h = Harness::start(false).await;
    let reply = h
        .expect_message(private_text(ME, "山西异地透析报销比例"), 1)
        .await;
    assert_eq!(text(&reply), "您是不是想问：");
    let labels: Vec<String> = buttons(&reply).into_iter().flatten().collect();
    assert!(
        labels.iter().any(|b| b.contains("运城")) && labels.iter().any(|b| b.contains("阳泉")),
        "{labels:?}"
    );
    let data = button_data(&reply, "阳泉");
    let shown = bot_message(
        ME,
        10_000,
        "您是不是想问：",
        Some(reply.body["reply_markup"].clone()),
    );
    // The choice turns the suggestions' own message into the answer.
    let answer = h.expect_edit(callback(ME, shown, &data), 1).await;
    assert_eq!(answer.body["message_id"], 10_000);
    assert!(
        text(&answer).starts_with("<b>阳泉异地透析报多少</b>"),
        "{}",
        text(&answer)
    );
    assert!(button_data(&answer, "展开全文").starts_with("x:"));
    let acks = h.api.wait_for("answercallbackquery", 1).await;
    assert_eq!(acks.len(), 1);
    assert_eq!(h.api.settle("sendmessage").await.len(), 1);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn questions_the_corpus_cannot_answer_get_an_honest_decline() {
    let mut h = Harness::start(false).await;
    let weather = h.expect_message(private_text(ME, "明天会下雨吗"), 1).await;
    let t = text(&weather);
    assert!(
        t.contains("回答不了") && t.contains("12393") && t.contains("国家医保服务平台"),
        "{t}"
    );
    assert!(button_data(&weather, "浏览").starts_with('c'));
    let medical = h.expect_message(private_text(ME, "头疼吃什么药"), 2).await;
    assert!(text(&medical).contains("就医"), "{}", text(&medical));
    let hospital = h
        .expect_message(private_text(ME, "金昌哪个医院看眼睛好"), 3)
        .await;
    assert!(text(&hospital).contains("医院"), "{}", text(&hospital));
    h.stop().await;
    // Only the questions are kept, for maintainers.
    let store = yibao_bot::Store::open(&h.db, 90).unwrap();
    let kept: Vec<String> = store
        .unanswered(1, 10)
        .unwrap()
        .into_iter()
        .map(|u| u.question)
        .collect();
    assert!(kept.contains(&"明天会下雨吗".to_string()), "{kept:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn thumbs_up_is_recorded_and_the_buttons_say_thanks() {
    let mut h = Harness::start(false).await;
    let reply = h
        .expect_message(private_text(ME, "异地医保卡余额怎么取出"), 1)
        .await;
    let data = button_data(&reply, "👍");
    assert_eq!(data, "v:yidi-yue-quchu:+");
    let shown = bot_message(
        ME,
        10_000,
        text(&reply),
        Some(reply.body["reply_markup"].clone()),
    );
    h.api.push(callback(ME, shown, &data));
    let edits = h.api.wait_for("editmessagereplymarkup", 1).await;
    let labels: Vec<String> = edits[0].body["reply_markup"]["inline_keyboard"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|b| b["text"].as_str().unwrap().to_string())
        })
        .collect();
    assert!(labels.iter().any(|l| l.contains("谢谢反馈")), "{labels:?}");
    assert!(!labels.iter().any(|l| l.contains("👍")), "{labels:?}");
    let acks = h.api.wait_for("answercallbackquery", 1).await;
    assert_eq!(acks[0].body["text"], "谢谢反馈！");
    // Each tap is acknowledged exactly once.
    assert_eq!(h.api.settle("answercallbackquery").await.len(), 1);
    h.stop().await;
    let store = yibao_bot::Store::open(&h.db, 90).unwrap();
    let votes = store.votes(1).unwrap();
    assert_eq!(votes[0].entry_id, "yidi-yue-quchu");
    assert_eq!((votes[0].up, votes[0].down), (1, 0));
}

#[tokio::test(flavor = "multi_thread")]
async fn start_welcomes_with_three_examples_and_a_deep_link_opens_an_entry() {
    let mut h = Harness::start(false).await;
    let welcome = h.expect_message(private_text(ME, "/start"), 1).await;
    assert!(
        text(&welcome).contains("医保小助手") && text(&welcome).contains("我能回答"),
        "{}",
        text(&welcome)
    );
    let rows = buttons(&welcome);
    assert_eq!(rows.len(), 4, "{rows:?}");
    let example = welcome.body["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        .as_str()
        .unwrap()
        .to_string();
    let shown = bot_message(
        ME,
        10_000,
        text(&welcome),
        Some(welcome.body["reply_markup"].clone()),
    );
    let answer = h.expect_message(callback(ME, shown, &example), 2).await;
    assert!(text(&answer).starts_with("<b>"), "{}", text(&answer));

    let linked = h
        .expect_message(private_text(ME, "/start faq_tieling-yingao"), 3)
        .await;
    assert!(
        text(&linked).starts_with("<b>铁岭隐睾手术能报吗</b>"),
        "{}",
        text(&linked)
    );
    let unknown = h
        .expect_message(private_text(ME, "/start faq_no-such-entry"), 4)
        .await;
    assert!(text(&unknown).contains("不在问答库"), "{}", text(&unknown));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn help_about_and_topics_with_paging() {
    let mut h = Harness::start(false).await;
    let help = h.expect_message(private_text(ME, "/help"), 1).await;
    assert!(text(&help).contains("使用说明") && text(&help).contains("/topics"));
    let about = h.expect_message(private_text(ME, "/about"), 2).await;
    let t = text(&about);
    for needle in [
        "资料来源",
        "2025-03-30",
        "原文未注明日期",
        "免责声明",
        "隐私说明",
        "90天",
    ] {
        assert!(t.contains(needle), "{needle} missing in {t}");
    }

    let topics = h.expect_message(private_text(ME, "/topics"), 3).await;
    assert_eq!(text(&topics), "请选择分类：");
    let category = button_data(&topics, "报销");
    let shown = bot_message(
        ME,
        20_000,
        "请选择分类：",
        Some(topics.body["reply_markup"].clone()),
    );
    h.api.push(callback(ME, shown, &category));
    let page1 = h.api.wait_for("editmessagetext", 1).await.remove(0);
    assert!(
        page1.body["text"].as_str().unwrap().starts_with("📂 报销"),
        "{}",
        page1.body
    );
    assert_eq!(page1.body["message_id"], 20_000);
    let next = page1.body["reply_markup"]["inline_keyboard"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap().clone())
        .find(|b| b["text"] == "下一页 ▶")
        .expect("a next page")["callback_data"]
        .as_str()
        .unwrap()
        .to_string();
    let shown = bot_message(
        ME,
        20_000,
        page1.body["text"].as_str().unwrap(),
        Some(page1.body["reply_markup"].clone()),
    );
    h.api.push(callback(ME, shown, &next));
    let page2 = h.api.wait_for("editmessagetext", 2).await.remove(1);
    let nav: Vec<String> = page2.body["reply_markup"]["inline_keyboard"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|b| b["text"].as_str().unwrap().to_string())
        })
        .collect();
    assert!(
        nav.iter().any(|b| b == "◀ 上一页") && nav.iter().any(|b| b.starts_with("2/")),
        "{nav:?}"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn non_text_gets_a_hint_and_edits_are_ignored() {
    let mut h = Harness::start(false).await;
    let hint = h.expect_message(photo(ME), 1).await;
    assert_eq!(
        text(&hint),
        "请用文字描述您的问题，例如：城镇医保可以跨市吗"
    );
    h.api.push(edited(ME, "异地医保余额可以用吗"));
    assert_eq!(h.api.settle("sendmessage").await.len(), 1);
    let greeting = h.expect_message(private_text(ME, "你好"), 2).await;
    assert!(
        text(&greeting).contains("直接发文字"),
        "{}",
        text(&greeting)
    );
    let unknown = h.expect_message(private_text(ME, "/frobnicate"), 3).await;
    assert!(text(&unknown).contains("没有这个指令"));
    let _ = json!(null);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_command_menus_are_registered_in_chinese() {
    let mut h = Harness::start(false).await;
    let menus = h.api.wait_for("setmycommands", 2).await;
    let scopes: Vec<&str> = menus
        .iter()
        .map(|c| c.body["scope"]["type"].as_str().unwrap())
        .collect();
    assert!(
        scopes.contains(&"all_private_chats") && scopes.contains(&"all_group_chats"),
        "{scopes:?}"
    );
    for menu in &menus {
        for command in menu.body["commands"].as_array().unwrap() {
            let description = command["description"].as_str().unwrap();
            assert!(!description.is_ascii(), "{description}");
        }
    }
    h.stop().await;
}
