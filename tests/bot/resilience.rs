//! What must not break the bot: Telegram's 429s, failing requests, restarts.

use std::process::Command;

use super::updates::{GROUP, bot_message, callback, group_text, private_text};
use super::{Harness, button_data, text};

#[tokio::test(flavor = "multi_thread")]
async fn a_429_on_send_message_is_retried_after_the_wait() {
    let mut h = Harness::start(false).await;
    h.api.fail_next(
        "sendMessage",
        429,
        "Too Many Requests: retry after 1",
        Some(1),
    );
    h.api.push(private_text(9, "异地医保余额可以用吗"));
    let calls = h.api.wait_for("sendmessage", 2).await;
    assert_eq!(calls.len(), 2, "one refused, one retried");
    assert_eq!(calls[0].body["text"], calls[1].body["text"]);
    assert!(text(&calls[1]).contains("异地医保余额可以使用吗?"));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejected_reply_is_logged_and_the_bot_carries_on() {
    let mut h = Harness::start(false).await;
    h.api
        .fail_next("sendMessage", 400, "Bad Request: chat not found", None);
    h.api.push(private_text(9, "异地医保余额可以用吗"));
    h.api.wait_for("sendmessage", 1).await;
    let next = h
        .expect_message(private_text(10, "家庭共济能绑父母吗"), 2)
        .await;
    assert!(text(&next).contains("家庭共济"), "{}", text(&next));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_restart_keeps_group_settings_and_feedback() {
    let mut h = Harness::start(true).await;
    h.api.set_member(GROUP, 1, "creator");
    h.expect_message(group_text(1, "/autoanswer on"), 1).await;
    let answer = h
        .expect_message(private_text(2, "异地医保卡余额怎么取出"), 2)
        .await;
    let shown = bot_message(
        2,
        10_000,
        text(&answer),
        Some(answer.body["reply_markup"].clone()),
    );
    // 👎: the buttons say thanks, and a message offers next steps.
    let next = h
        .expect_message(callback(2, shown, &button_data(&answer, "👎")), 3)
        .await;
    assert!(text(&next).contains("换个说法"), "{}", text(&next));
    h.api.wait_for("editmessagereplymarkup", 1).await;

    h.restart().await;
    let auto = h
        .expect_message(group_text(3, "异地医保余额可以用吗"), 4)
        .await;
    assert!(
        text(&auto).contains("异地医保余额可以使用吗?"),
        "{}",
        text(&auto)
    );
    h.stop().await;

    let out = Command::new(env!("CARGO_BIN_EXE_yibao-bot"))
        .args(["stats", "--db"])
        .arg(&h.db)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("👍   0  👎   1  yidi-yue-quchu"),
        "{stdout}"
    );
}
