//! Groups: silence unless addressed, every way of addressing the bot, threading and
//! forum topics, compact answers, /autoanswer, and the flood limit.

use serde_json::json;

use super::fake_api::BOT_USERNAME;
use super::updates::{GROUP, bot_message, callback, group_message, group_text};
use super::{Harness, button_data, text};

const ALICE: i64 = 501;
const BOB: i64 = 502;

#[tokio::test(flavor = "multi_thread")]
async fn the_bot_is_silent_unless_addressed() {
    let mut h = Harness::start(true).await;
    h.api.push(group_text(ALICE, "异地医保余额可以用吗"));
    h.api.push(group_text(BOB, "大家好"));
    assert_eq!(h.api.settle("sendmessage").await.len(), 0);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ask_gets_a_compact_threaded_answer_with_a_private_deep_link() {
    let mut h = Harness::start(false).await;
    let asked = group_message(ALICE, "/ask 异地医保余额可以用吗", None, None);
    let id = asked["message_id"].clone();
    let reply = h.expect_message(json!({ "message": asked }), 1).await;
    assert_eq!(reply.body["chat_id"], GROUP);
    assert_eq!(reply.body["reply_parameters"]["message_id"], id);
    let t = text(&reply);
    // The same shape as in a private chat.
    assert!(t.starts_with("<b>异地能用医保余额吗</b>\n可以"), "{t}");
    assert!(t.contains("12393") && t.contains("来源："), "{t}");
    assert!(t.chars().count() <= 350, "{} chars", t.chars().count());
    let row = reply.body["reply_markup"]["inline_keyboard"][0].clone();
    assert_eq!(row[0]["text"], "📖 展开全文");
    assert_eq!(row[1]["text"], "💬 私聊继续问");
    assert_eq!(row[1]["url"], format!("https://t.me/{BOT_USERNAME}?start"));

    let named = h
        .expect_message(
            group_text(BOB, &format!("/ask@{BOT_USERNAME} 家庭共济能绑父母吗")),
            2,
        )
        .await;
    assert!(text(&named).contains("家庭共济"), "{}", text(&named));
    // A command for another bot is not ours.
    h.api
        .push(group_text(BOB, "/ask@other_bot 家庭共济能绑父母吗"));
    assert_eq!(h.api.settle("sendmessage").await.len(), 2);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mention_or_a_reply_to_the_bot_is_a_question() {
    let mut h = Harness::start(false).await;
    let mention = h
        .expect_message(
            group_text(ALICE, &format!("@{BOT_USERNAME} 异地备案有效期多久")),
            1,
        )
        .await;
    assert!(text(&mention).contains("6个月"), "{}", text(&mention));

    let earlier = bot_message(GROUP, 9_000, "之前的回答", None);
    let reply = h
        .expect_message(
            json!({"message": group_message(BOB, "那居民医保省外能报多少", None, Some(earlier))}),
            2,
        )
        .await;
    assert!(
        text(&reply).contains("居民医保省外报销比例"),
        "{}",
        text(&reply)
    );
    // A reply to somebody else is not addressed to the bot.
    let other = group_message(ALICE, "我也想知道", None, None);
    h.api
        .push(json!({"message": group_message(BOB, "异地医保余额可以用吗", None, Some(other))}));
    assert_eq!(h.api.settle("sendmessage").await.len(), 2);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ask_as_a_reply_answers_the_question_replied_to_in_its_forum_topic() {
    let mut h = Harness::start(false).await;
    let question = group_message(ALICE, "少儿医保怎么办异地就医备案", Some(77), None);
    let question_id = question["message_id"].clone();
    let ask = group_message(BOB, "/ask", Some(77), Some(question));
    let reply = h.expect_message(json!({ "message": ask }), 1).await;
    assert_eq!(reply.body["reply_parameters"]["message_id"], question_id);
    assert_eq!(reply.body["message_thread_id"], 77);
    assert!(
        text(&reply).contains("少儿医保异地就医备案"),
        "{}",
        text(&reply)
    );

    let bare = h.expect_message(group_text(BOB, "/ask"), 2).await;
    assert!(text(&bare).contains("/ask 后面写上问题"), "{}", text(&bare));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn only_the_asker_turns_a_suggestion_into_the_answer_in_a_group() {
    let mut h = Harness::start(false).await;
    let question = group_message(ALICE, "/ask 山西异地透析报销比例", None, None);
    let reply = h
        .expect_message(json!({ "message": question.clone() }), 1)
        .await;
    assert_eq!(text(&reply), "您是不是想问：");
    let data = button_data(&reply, "运城");
    let mut shown = bot_message(
        GROUP,
        30_000,
        "您是不是想问：",
        Some(reply.body["reply_markup"].clone()),
    );
    shown["reply_to_message"] = question;
    // Somebody else's tap: a toast, and nothing posted or edited.
    h.api.push(callback(BOB, shown.clone(), &data));
    let acks = h.api.wait_for("answercallbackquery", 1).await;
    assert!(
        acks[0].body["text"]
            .as_str()
            .unwrap_or_default()
            .contains("别人的提问"),
        "{:?}",
        acks[0].body
    );
    assert_eq!(h.api.settle("editmessagetext").await.len(), 0);
    // The asker's tap edits the suggestions into the answer, in place.
    let answer = h.expect_edit(callback(ALICE, shown, &data), 1).await;
    assert_eq!(answer.body["chat_id"], GROUP);
    assert_eq!(answer.body["message_id"], 30_000);
    assert!(text(&answer).contains("运城"), "{}", text(&answer));
    assert_eq!(h.api.settle("sendmessage").await.len(), 1);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn only_admins_turn_autoanswer_on_and_it_answers_only_when_sure() {
    let mut h = Harness::start(true).await;
    h.api.set_member(GROUP, ALICE, "creator");
    let refused = h.expect_message(group_text(BOB, "/autoanswer on"), 1).await;
    assert_eq!(text(&refused), "抱歉，只有群管理员可以开启或关闭自动回答。");
    let turned_on = h
        .expect_message(group_text(ALICE, "/autoanswer on"), 2)
        .await;
    assert!(
        text(&turned_on).starts_with("已开启自动回答"),
        "{}",
        text(&turned_on)
    );
    assert_eq!(h.api.calls_of("getchatmember").len(), 2);

    // Confident: answered without being addressed.
    let auto = h
        .expect_message(group_text(BOB, "异地医保余额可以用吗"), 3)
        .await;
    assert!(
        text(&auto).contains("异地医保余额可以使用吗?"),
        "{}",
        text(&auto)
    );
    // Not sure, or out of scope: silence (no suggestions, no declines).
    h.api.push(group_text(BOB, "山西异地透析报销比例"));
    h.api.push(group_text(BOB, "今晚吃什么"));
    h.api.push(group_text(BOB, "哈哈哈"));
    h.api.push(group_text(BOB, "好的"));
    h.api.push(group_text(BOB, "这个多少钱"));
    assert_eq!(h.api.settle("sendmessage").await.len(), 3);

    let usage = h
        .expect_message(group_text(ALICE, "/autoanswer maybe"), 4)
        .await;
    assert!(text(&usage).contains("/autoanswer on"), "{}", text(&usage));
    let off = h
        .expect_message(group_text(ALICE, "/autoanswer off"), 5)
        .await;
    assert!(text(&off).starts_with("已关闭自动回答"));
    h.api.push(group_text(BOB, "异地医保余额可以用吗"));
    assert_eq!(h.api.settle("sendmessage").await.len(), 5);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_anonymous_admin_can_turn_autoanswer_on() {
    let mut h = Harness::start(true).await;
    // Telegram sends an anonymous admin's message from GroupAnonymousBot, on behalf of the
    // group itself.
    let mut msg = group_message(ALICE, "/autoanswer on", None, None);
    msg["from"] = json!({"id": 1_087_968_824_i64, "is_bot": true, "first_name": "Group", "username": "GroupAnonymousBot"});
    msg["sender_chat"] = json!({"id": GROUP, "type": "supergroup", "title": "医保互助群"});
    let on = h.expect_message(json!({ "message": msg }), 1).await;
    assert!(text(&on).starts_with("已开启自动回答"), "{}", text(&on));
    assert_eq!(h.api.calls_of("getchatmember").len(), 0);
    // Another bot's message is still not ours to answer.
    let mut other_bot = group_message(ALICE, "异地医保余额可以用吗", None, None);
    other_bot["from"] =
        json!({"id": 42, "is_bot": true, "first_name": "Other", "username": "other_bot"});
    h.api.push(json!({ "message": other_bot }));
    assert_eq!(h.api.settle("sendmessage").await.len(), 1);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_longer_username_is_not_a_mention() {
    let mut h = Harness::start(false).await;
    h.api.push(group_text(
        ALICE,
        &format!("@{BOT_USERNAME}_fans 异地医保余额可以用吗"),
    ));
    assert_eq!(h.api.settle("sendmessage").await.len(), 0);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn autoanswer_warns_when_privacy_mode_hides_messages() {
    let mut h = Harness::start(false).await;
    h.api.set_member(GROUP, ALICE, "administrator");
    let on = h
        .expect_message(group_text(ALICE, "/autoanswer on"), 1)
        .await;
    assert!(text(&on).contains("隐私模式"), "{}", text(&on));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_flooding_user_gets_one_notice_and_others_are_unaffected() {
    let mut h = Harness::start(false).await;
    for i in 1..=5 {
        h.expect_message(group_text(ALICE, "/ask 异地医保余额可以用吗"), i)
            .await;
    }
    let notice = h
        .expect_message(group_text(ALICE, "/ask 异地医保余额可以用吗"), 6)
        .await;
    assert!(
        text(&notice).starts_with("您提问有点快，请稍等 ") && text(&notice).contains("秒"),
        "{}",
        text(&notice)
    );
    // Held for the end of the pause (a minute): nothing more for now.
    h.api.push(group_text(ALICE, "/ask 异地医保余额可以用吗"));
    assert_eq!(h.api.settle("sendmessage").await.len(), 6);
    let other = h
        .expect_message(group_text(BOB, "/ask 异地医保余额可以用吗"), 7)
        .await;
    assert!(text(&other).contains("异地医保余额"), "{}", text(&other));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_question_with_an_identifier_gets_the_advisory_and_is_stored_masked() {
    let mut h = Harness::start(false).await;
    let answered = h
        .expect_message(
            group_text(ALICE, "/ask 我手机13812345678，异地医保余额可以用吗"),
            1,
        )
        .await;
    let t = text(&answered);
    assert!(t.contains("请勿在群里发送身份证号"), "{t}");
    assert!(t.contains("异地医保余额"), "{t}");
    let declined = h
        .expect_message(
            group_text(BOB, "/ask 身份证110101199003071234明天会下雨吗"),
            2,
        )
        .await;
    assert!(
        text(&declined).contains("请勿在群里发送"),
        "{}",
        text(&declined)
    );
    let plain = h
        .expect_message(group_text(BOB, "/ask 家庭共济能绑父母吗"), 3)
        .await;
    assert!(!text(&plain).contains("请勿在群里发送"), "{}", text(&plain));
    h.stop().await;
    let store = yibao_bot::Store::open_read_only(&h.db).unwrap();
    let kept: Vec<String> = store
        .unanswered(1, 10)
        .unwrap()
        .into_iter()
        .map(|u| u.question)
        .collect();
    assert_eq!(kept, ["身份证110***********1234明天会下雨吗"]);
}
