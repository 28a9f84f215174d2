//! No single update can stop the bot or be asked for again and again: the bot asks only
//! for what it handles, reads every update on its own, and moves past what it cannot
//! read; a pasted essay costs no more than a question and says it was read in part.

use std::time::{Duration, Instant};

use super::delivery::{QUESTIONS, answers, wait_for_answers};
use super::fake_api::Fault;
use super::updates::private_text;
use super::{Harness, text};

/// Updates teloxide cannot read — or would panic on — each with its own id.
fn poison(id: i64) -> Vec<String> {
    let nested = (0..300).fold(String::from("\"x\""), |inner, i| {
        format!(r#"{{"message_id":{i},"date":1,"chat":{{"id":5,"type":"private"}},"text":"x","reply_to_message":{inner}}}"#)
    });
    vec![
        // teloxide-core panics on this one (no user, no actor_chat).
        format!(
            r#"{{"update_id":{id},"message_reaction":{{"chat":{{"id":1,"type":"private"}},"message_id":1,"date":1,"old_reaction":[],"new_reaction":[{{"type":"emoji","emoji":"👍"}}]}}}}"#
        ),
        format!(
            r#"{{"update_id":{id},"message":{{"message_id":1,"date":1,"chat":{{"id":5,"type":"private","first_name":"A"}},"from":{{"id":5,"is_bot":false,"first_name":"A"}},"text":"ok\ud800 异地"}}}}"#
        ),
        format!(r#"{{"update_id":{id},"message":{nested}}}"#),
        format!(r#"{{"update_id":{id},"message":"hello"}}"#),
        format!(r#"{{"update_id":{id},"brand_new_kind":{{"id":1}}}}"#),
        r#"{"update_id":"abc","message":1}"#.to_string(),
        "42".to_string(),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn no_update_can_stop_the_bot_or_be_asked_for_again() {
    let mut h = Harness::start(false).await;
    let kinds = poison(0).len();
    for k in 0..kinds {
        h.api.push_raw(|id| poison(id).swap_remove(k));
    }
    let last = h.api.push(private_text(601, QUESTIONS[0]));
    wait_for_answers(&h, 601, 1).await;
    // And the next question too: polling went on past all of it.
    let after = h.api.push(private_text(601, QUESTIONS[1]));
    wait_for_answers(&h, 601, 2).await;
    let polls = h.api.settle("getupdates").await;
    let offset = polls.last().unwrap().body["offset"].as_i64().unwrap();
    assert!(offset > after && after > last, "offset {offset}");
    // It asked only for what it handles, and never asked for the same updates in a loop.
    let allowed = &polls.last().unwrap().body["allowed_updates"];
    assert_eq!(
        allowed,
        &serde_json::json!([
            "message",
            "edited_message",
            "callback_query",
            "inline_query"
        ])
    );
    assert!(polls.len() < 15, "{} getUpdates calls", polls.len());
    assert_eq!(answers(&h, 601).len(), 2);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_get_updates_answer_cut_short_is_asked_for_again() {
    let mut h = Harness::start(false).await;
    h.api.fail_next_with("getUpdates", Fault::Malformed);
    h.api.fail_next_with("getUpdates", Fault::Status(502));
    h.api
        .wait_until("two failed polls", |calls| {
            let failed = calls
                .iter()
                .filter(|c| c.method == "getupdates" && !c.ok)
                .count();
            (failed >= 2).then_some(())
        })
        .await;
    let reply = h.expect_message(private_text(602, QUESTIONS[0]), 1).await;
    assert!(text(&reply).contains("异地医保余额"), "{}", text(&reply));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_very_long_question_says_it_was_read_in_part_and_holds_nobody_up() {
    let mut h = Harness::start(false).await;
    // Telegram's longest messages, from four users at once.
    let essay: String = "我想问一下异地就医备案以后报销比例是多少，"
        .repeat(200)
        .chars()
        .take(4096)
        .collect();
    for user in 0..4 {
        h.api.push(private_text(610 + user, &essay));
    }
    let asked = Instant::now();
    h.api.push(private_text(620, QUESTIONS[0]));
    wait_for_answers(&h, 620, 1).await;
    assert!(
        asked.elapsed() < Duration::from_secs(1),
        "{:?}",
        asked.elapsed()
    );
    for user in 0..4 {
        let first = h
            .api
            .wait_until("a reply to the essay", |calls| {
                calls
                    .iter()
                    .find(|c| c.ok && c.body["chat_id"] == 610 + user)
                    .cloned()
            })
            .await;
        assert!(
            text(&first).starts_with("（问题较长，我只读了前 500 个字。）\n"),
            "{}",
            text(&first)
        );
        assert!(text(&first).chars().count() <= 4096);
    }
    h.stop().await;
}
