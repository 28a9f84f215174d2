//! The flood limit goes by when questions were typed, never drops one silently, and
//! does not count button taps.

use std::time::Duration;

use serde_json::json;
use yibao_bot::FloodLimit;

use super::delivery::{QUESTIONS, answers, wait_for_answers};
use super::fake_api::Fault;
use super::updates::{bot_message, callback, now, private_message_at, private_text};
use super::{Harness, button_data, text};

const FLOOD: &str = "您提问有点快";

fn notices(h: &Harness, chat: i64) -> usize {
    h.api
        .delivered_to(chat)
        .iter()
        .filter(|c| text(c).starts_with(FLOOD))
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backlog_typed_at_a_normal_pace_is_answered_in_full_after_an_outage() {
    let mut h = Harness::start(false).await;
    let user = 501;
    // Typed 8 s apart (at most four in any 30 s) while the bot could not reach Telegram.
    h.api.set_fault(None, Some(Fault::Refuse));
    let t0 = now() - 7 * 8;
    for i in 0..7 {
        let message = private_message_at(user, QUESTIONS[i % 4], t0 + 8 * i as i64);
        h.api.push(json!({ "message": message }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    h.api.set_fault(None, None);
    wait_for_answers(&h, user, 7).await;
    h.api.settle("sendmessage").await;
    assert_eq!(answers(&h, user).len(), 7);
    assert_eq!(notices(&h, user), 0);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_question_over_the_limit_is_answered_when_the_pause_ends() {
    let mut h = Harness::start_with(|c| {
        c.flood = FloodLimit {
            max: 2,
            window: Duration::from_secs(30),
            pause: Duration::from_secs(2),
        }
    })
    .await;
    let user = 502;
    for q in &QUESTIONS[..3] {
        h.api.push(private_text(user, q));
    }
    wait_for_answers(&h, user, 2).await;
    let notice = h
        .api
        .wait_until("the flood notice", |calls| {
            calls
                .iter()
                .find(|c| c.ok && text(c).starts_with(FLOOD))
                .cloned()
        })
        .await;
    assert!(
        text(&notice).contains("请稍等 1 秒") || text(&notice).contains("请稍等 2 秒"),
        "{}",
        text(&notice)
    );
    // The third question is held, not dropped: the chat shows "typing…" meanwhile, and
    // it is answered once the pause is over.
    let typing = h.api.wait_for("sendchataction", 1).await;
    assert_eq!(typing[0].body["action"], "typing");
    assert_eq!(typing[0].body["chat_id"], user);
    wait_for_answers(&h, user, 3).await;
    assert_eq!(notices(&h, user), 1);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn button_taps_are_not_counted_as_typed_questions() {
    let mut h = Harness::start(false).await;
    let user = 503;
    let reply = h.expect_message(private_text(user, QUESTIONS[0]), 1).await;
    let data = button_data(&reply, "🔎");
    let shown = bot_message(
        user,
        10_000,
        text(&reply),
        Some(reply.body["reply_markup"].clone()),
    );
    for _ in 0..7 {
        h.api.push(callback(user, shown.clone(), &data));
    }
    wait_for_answers(&h, user, 8).await;
    h.api.settle("sendmessage").await;
    assert_eq!(notices(&h, user), 0);
    h.stop().await;
}
