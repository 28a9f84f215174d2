//! What the bot says besides answers, and how it behaves in groups: small talk with its
//! own replies (an insult not kept), next steps after 👎, declines that say it once,
//! silence for thanks sent as a reply in a group, a reply to an answer read as a
//! follow-up, and browsing that moves to the private chat.

use serde_json::json;
use yibao_bot::Store;

use super::fake_api::BOT_USERNAME;
use super::updates::{
    GROUP, bot_message, callback, group_message, group_text, private_message, private_text,
};
use super::{Harness, button_data, buttons, text};

const ME: i64 = 4343;
const ALICE: i64 = 601;

#[tokio::test(flavor = "multi_thread")]
async fn small_talk_gets_its_own_reply_and_an_insult_is_not_kept() {
    let mut h = Harness::start(false).await;
    let cases = [
        ("谢谢", "不客气"),
        ("好的谢谢", "不客气"),
        ("转人工", "12393"),
        ("你是谁", "医保小助手"),
        ("哈哈", "随时问我"),
        ("你个傻逼机器人", "换个问法"),
    ];
    for (n, (said, reply)) in cases.iter().enumerate() {
        let got = h
            .expect_message(private_text(ME + n as i64, said), n + 1)
            .await;
        assert!(text(&got).contains(reply), "{said}: {}", text(&got));
        assert!(!text(&got).contains("回答不了"), "{said}: {}", text(&got));
    }
    h.stop().await;
    let store = Store::open_read_only(&h.db).unwrap();
    assert!(store.unanswered(1, 10).unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_decline_says_it_once_and_where_to_ask() {
    let mut h = Harness::start(false).await;
    for (n, question) in ["哪家医院看眼睛好", "明天会下雨吗"].iter().enumerate() {
        let got = h.expect_message(private_text(ME, question), n + 1).await;
        let t = text(&got);
        // Said once, in the first line (the topic's own reason, or the apology); the
        // rest says what the bot covers and where to ask.
        let cannot = |l: &str| {
            ["回答不了", "抱歉", "没有可靠的信息"]
                .iter()
                .any(|s| l.contains(s))
        };
        let lines: Vec<&str> = t.lines().collect();
        assert!(cannot(lines[0]), "{t}");
        assert!(!lines[1..].iter().any(|l| cannot(l)), "{t}");
        assert!(t.contains("12393"), "{t}");
    }
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn thumbs_down_offers_next_steps() {
    let mut h = Harness::start(false).await;
    let answer = h
        .expect_message(private_text(ME, "异地医保卡余额怎么取出"), 1)
        .await;
    let shown = bot_message(
        ME,
        10_000,
        text(&answer),
        Some(answer.body["reply_markup"].clone()),
    );
    let next = h
        .expect_message(callback(ME, shown, &button_data(&answer, "👎")), 2)
        .await;
    let t = text(&next);
    assert!(t.contains("换个说法") && t.contains("12393"), "{t}");
    // The same category's questions, one tap away.
    let category = button_data(&next, "同类问题");
    assert!(category.starts_with("c:"), "{category}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn in_a_group_thanks_sent_as_a_reply_to_the_bot_get_no_message() {
    let mut h = Harness::start(false).await;
    let answer = h
        .expect_message(group_text(ALICE, "/ask 家庭共济能绑父母吗"), 1)
        .await;
    let shown = bot_message(
        GROUP,
        40_000,
        text(&answer),
        Some(answer.body["reply_markup"].clone()),
    );
    // (Members of the group, each within the flood limit.)
    for (n, said) in ["谢谢", "好的", "👍", "收到，谢谢啦", "哈哈"]
        .iter()
        .enumerate()
    {
        let member = ALICE + 1 + n as i64;
        h.api
            .push(json!({"message": group_message(member, said, None, Some(shown.clone()))}));
    }
    assert_eq!(h.api.settle("sendmessage").await.len(), 1);
    // A request for a human is still answered.
    let human = h
        .expect_message(
            json!({"message": group_message(ALICE, "转人工", None, Some(shown))}),
            2,
        )
        .await;
    assert!(text(&human).contains("12393"), "{}", text(&human));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reply_to_an_answer_is_read_as_a_follow_up_of_its_question() {
    let mut h = Harness::start(false).await;
    let answer = h
        .expect_message(group_text(ALICE, "/ask 家庭共济能绑父母吗"), 1)
        .await;
    assert!(text(&answer).contains("共济"), "{}", text(&answer));
    let shown = bot_message(
        GROUP,
        41_000,
        text(&answer),
        Some(answer.body["reply_markup"].clone()),
    );
    let follow_up = h
        .expect_message(
            json!({"message": group_message(ALICE, "那公婆可以绑吗", None, Some(shown))}),
            2,
        )
        .await;
    // Read after the earlier question, it is offered as choices (the earlier words
    // carry that reading): the 家庭共济 answers, not a decline and not an outright yes.
    assert_eq!(text(&follow_up), "您是不是想问：");
    let labels: Vec<String> = buttons(&follow_up).into_iter().flatten().collect();
    assert!(labels.iter().any(|l| l.contains("共济")), "{labels:?}");
    // The same words, not a reply: nothing to go on, so not an answer.
    let alone = h
        .expect_message(
            group_text(ALICE, &format!("@{BOT_USERNAME} 那公婆可以绑吗")),
            3,
        )
        .await;
    assert!(!text(&alone).starts_with("<b>"), "{}", text(&alone));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn browsing_in_a_group_is_a_link_to_the_private_chat() {
    let mut h = Harness::start(false).await;
    let topics = h.expect_message(group_text(ALICE, "/topics"), 1).await;
    let rows = buttons(&topics);
    assert_eq!(rows.len(), 1, "one button, not the browser: {rows:?}");
    assert_eq!(
        topics.body["reply_markup"]["inline_keyboard"][0][0]["url"],
        format!("https://t.me/{BOT_USERNAME}?start=topics")
    );
    let decline = h
        .expect_message(group_text(ALICE, "/ask 明天会下雨吗"), 2)
        .await;
    assert_eq!(
        decline.body["reply_markup"]["inline_keyboard"][0][0]["url"],
        format!("https://t.me/{BOT_USERNAME}?start=topics")
    );
    // The link opens the categories in the private chat.
    let opened = h
        .expect_message(private_text(ALICE, "/start topics"), 3)
        .await;
    assert_eq!(text(&opened), "请选择分类：");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edited_question_edits_its_answer_instead_of_sending_another() {
    let mut h = Harness::start(false).await;
    let asked = private_message(ME, "异地医保余额可以用吗");
    let first = h
        .expect_message(json!({ "message": asked.clone() }), 1)
        .await;
    assert!(text(&first).contains("余额"), "{}", text(&first));
    // Telegram has answered the sendMessage (the sender remembers the message id).
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let mut changed = asked;
    changed["text"] = json!("家庭共济能绑父母吗");
    changed["edit_date"] = json!(changed["date"].as_i64().unwrap() + 5);
    let edit = h.expect_edit(json!({ "edited_message": changed }), 1).await;
    assert!(edit.body["message_id"].as_i64().is_some(), "{}", edit.body);
    assert!(text(&edit).contains("共济"), "{}", text(&edit));
    assert!(button_data(&edit, "展开全文").starts_with("x:gongji"));
    assert_eq!(h.api.settle("sendmessage").await.len(), 1);
    // In a group, an edited /ask edits its answer too.
    let ask = group_message(ALICE, "/ask 异地医保余额可以用吗", None, None);
    h.expect_message(json!({ "message": ask.clone() }), 2).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let mut changed = ask;
    changed["text"] = json!("/ask 异地备案有效期多久");
    let edit = h.expect_edit(json!({ "edited_message": changed }), 2).await;
    assert!(text(&edit).contains("6个月"), "{}", text(&edit));
    h.stop().await;
}
