//! Delivery that loses nothing: replies that fail for a while are delivered once they
//! can be, exactly once and in order; what is not delivered survives a restart; a
//! refusal costs only its own message; and a flooding group never holds up anyone else.

use std::time::{Duration, Instant};

use yibao_bot::RateLimits;

use super::fake_api::{Call, Fault};
use super::updates::{GROUP, group_text, private_text};
use super::{Harness, text};
use crate::common::answer_id;

/// Questions the shipped corpus answers.
pub const QUESTIONS: [&str; 4] = [
    "异地医保余额可以用吗",
    "家庭共济能绑父母吗",
    "异地医保卡余额怎么取出",
    "异地就医备案有效期多久",
];

/// The entry a delivered private answer is about (its 👍 button), if it is one.
pub fn answered_entry(call: &Call) -> Option<String> {
    let rows = call.body["reply_markup"]["inline_keyboard"].as_array()?;
    rows.iter()
        .flat_map(|r| r.as_array().into_iter().flatten())
        .filter_map(|b| b["callback_data"].as_str())
        .find_map(|d| d.strip_prefix("v:")?.strip_suffix(":+").map(str::to_string))
}

/// The answers (not notices) delivered to `chat`, in order.
pub fn answers(h: &Harness, chat: i64) -> Vec<String> {
    h.api
        .delivered_to(chat)
        .iter()
        .filter_map(answered_entry)
        .collect()
}

/// Waits until `chat` has been sent `n` answers.
pub async fn wait_for_answers(h: &Harness, chat: i64, n: usize) {
    h.api
        .wait_until(&format!("{n} answers to {chat}"), |calls| {
            let got = calls
                .iter()
                .filter(|c| c.ok && c.method == "sendmessage" && c.body["chat_id"] == chat)
                .filter_map(answered_entry)
                .count();
            (got >= n).then_some(())
        })
        .await
}

fn failed_sends(h: &Harness) -> usize {
    h.api
        .calls_of("sendmessage")
        .iter()
        .filter(|c| !c.ok)
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn replies_failing_with_a_5xx_a_reset_or_a_hang_are_delivered_once_it_works_again() {
    let mut h = Harness::start(false).await;
    let mut users = Vec::new();
    for (round, fault) in [Fault::Status(502), Fault::Reset, Fault::Hang]
        .into_iter()
        .enumerate()
    {
        let failed_before = failed_sends(&h);
        h.api.set_fault(Some("sendMessage"), Some(fault));
        let round_users: Vec<i64> = (0..3).map(|k| 100 + 10 * round as i64 + k).collect();
        for &u in &round_users {
            h.api.push(private_text(u, QUESTIONS[0]));
        }
        // Every answer has failed at least once.
        h.api
            .wait_until("a failed send per user", |calls| {
                let failed = calls
                    .iter()
                    .filter(|c| c.method == "sendmessage" && !c.ok)
                    .count();
                (failed >= failed_before + round_users.len()).then_some(())
            })
            .await;
        h.api.set_fault(Some("sendMessage"), None);
        for &u in &round_users {
            wait_for_answers(&h, u, 1).await;
        }
        users.extend(round_users);
    }
    h.api.settle("sendmessage").await;
    for u in users {
        assert_eq!(answers(&h, u).len(), 1, "user {u} is answered exactly once");
    }
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn replies_not_delivered_before_a_stop_are_sent_after_the_restart() {
    let mut h = Harness::start(false).await;
    h.api
        .set_fault(Some("sendMessage"), Some(Fault::Status(503)));
    h.api.push(private_text(201, QUESTIONS[0]));
    h.api.push(private_text(202, QUESTIONS[1]));
    h.api
        .wait_until("both answers tried", |calls| {
            let mut chats: Vec<i64> = calls
                .iter()
                .filter(|c| c.method == "sendmessage")
                .filter_map(|c| c.body["chat_id"].as_i64())
                .collect();
            chats.dedup();
            (chats.contains(&201) && chats.contains(&202)).then_some(())
        })
        .await;
    h.stop().await;
    assert!(h.api.delivered_to(201).is_empty() && h.api.delivered_to(202).is_empty());

    h.api.set_fault(Some("sendMessage"), None);
    h.restart().await;
    wait_for_answers(&h, 201, 1).await;
    wait_for_answers(&h, 202, 1).await;
    h.api.settle("sendmessage").await;
    assert_eq!(answers(&h, 201).len(), 1);
    assert_eq!(answers(&h, 202).len(), 1);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_chat_gets_its_answers_in_order_through_failures_and_429s() {
    let mut h = Harness::start(false).await;
    h.api.fail_next_with("sendMessage", Fault::Status(502));
    h.api.fail_next_with("sendMessage", Fault::Reset);
    h.api.fail_next(
        "sendMessage",
        429,
        "Too Many Requests: retry after 1",
        Some(1),
    );
    let user = 301;
    let expected: Vec<String> = QUESTIONS.iter().map(|q| answer_id(q).unwrap()).collect();
    for q in QUESTIONS {
        h.api.push(private_text(user, q));
    }
    wait_for_answers(&h, user, QUESTIONS.len()).await;
    h.api.settle("sendmessage").await;
    assert_eq!(answers(&h, user), expected);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_message_costs_only_itself() {
    let mut h = Harness::start(false).await;
    h.api.fail_next(
        "sendMessage",
        403,
        "Forbidden: bot was blocked by the user",
        None,
    );
    h.api.push(private_text(401, QUESTIONS[0]));
    h.api.wait_for("sendmessage", 1).await;
    h.api.push(private_text(402, QUESTIONS[1]));
    wait_for_answers(&h, 402, 1).await;
    // Given up, not retried; the user is served again when they come back.
    assert!(answers(&h, 401).is_empty());
    h.api.push(private_text(401, QUESTIONS[2]));
    wait_for_answers(&h, 401, 1).await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn private_answers_come_within_a_second_while_a_group_floods() {
    // Telegram's real limits: the group gets about one message a second.
    let mut h = Harness::start_with(|c| {
        c.limits = RateLimits::default();
        c.group_backlog = 3;
    })
    .await;
    for user in 0..40 {
        h.api
            .push(group_text(1000 + user, "/ask 异地医保余额可以用吗"));
    }
    let asked = Instant::now();
    h.api.push(private_text(77, QUESTIONS[1]));
    wait_for_answers(&h, 77, 1).await;
    let waited = asked.elapsed();
    assert!(
        waited < Duration::from_secs(1),
        "private answer took {waited:?}"
    );

    // The group: a few answers, and once that it is busy; not forty queued answers.
    let busy = "群里的提问太多了";
    h.api
        .wait_until("the busy notice", |calls| {
            calls
                .iter()
                .any(|c| c.ok && text(c).starts_with(busy))
                .then_some(())
        })
        .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let group = h.api.delivered_to(GROUP);
    let notices = group.iter().filter(|c| text(c).starts_with(busy)).count();
    assert_eq!(notices, 1, "told once");
    assert!(
        group.len() <= 3 + 2,
        "{} messages to the group",
        group.len()
    );
    h.stop().await;
}
