//! Inline mode: matching entries for a query, popular ones for an empty query.

use serde_json::json;

use super::Harness;
use super::fake_api::{BOT_ID, BOT_USERNAME};
use super::updates::{inline_query, private_message};

#[tokio::test(flavor = "multi_thread")]
async fn an_inline_query_lists_matching_entries_with_compact_answers() {
    let mut h = Harness::start(false).await;
    h.api.push(inline_query(77, "家庭共济"));
    let answers = h.api.wait_for("answerinlinequery", 1).await;
    let results = answers[0].body["results"]
        .as_array()
        .expect("results")
        .clone();
    assert!(
        !results.is_empty() && results.len() <= 10,
        "{}",
        results.len()
    );
    let first = &results[0];
    assert_eq!(first["type"], "article");
    assert!(first["title"].as_str().unwrap().contains("共济"), "{first}");
    assert!(!first["description"].as_str().unwrap().is_empty());
    let content = &first["input_message_content"];
    assert_eq!(content["parse_mode"], "HTML");
    let message = content["message_text"].as_str().unwrap();
    assert!(
        message.contains("12393") && message.contains("来源："),
        "{message}"
    );
    let ids: Vec<&str> = results.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(ids.len(), unique.len());

    h.api.push(inline_query(77, ""));
    let popular = h.api.wait_for("answerinlinequery", 2).await.remove(1);
    assert_eq!(popular.body["results"].as_array().unwrap().len(), 10);

    // Nothing found: no results, and a way on to the private chat.
    h.api.push(inline_query(77, "哪家医院看眼睛好"));
    let none = h.api.wait_for("answerinlinequery", 3).await.remove(2);
    assert_eq!(none.body["results"].as_array().unwrap().len(), 0);
    assert_eq!(none.body["button"]["start_parameter"], "inline");
    assert!(
        none.body["button"]["text"]
            .as_str()
            .unwrap()
            .contains("私聊"),
        "{}",
        none.body
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn inline_queries_are_read_as_the_chat_reads_them() {
    let mut h = Harness::start(false).await;
    // Traditional characters, a keyword on its own.
    for (n, query) in ["醫保異地備案", "家庭共濟", "备案"].iter().enumerate() {
        h.api.push(inline_query(77, query));
        let answer = h.api.wait_for("answerinlinequery", n + 1).await.remove(n);
        let results = answer.body["results"].as_array().unwrap();
        assert!(results.len() >= 3, "{query}: {}", answer.body);
        // Enough found: no button above them.
        assert!(
            answer.body.get("button").is_none(),
            "{query}: {}",
            answer.body
        );
    }
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_answer_sent_through_the_bots_inline_mode_is_not_a_question() {
    let mut h = Harness::start(false).await;
    let mut sent = private_message(78, "<b>异地能用医保余额吗</b> 可以……");
    sent["via_bot"] =
        json!({"id": BOT_ID, "is_bot": true, "first_name": "医保小助手", "username": BOT_USERNAME});
    h.api.push(json!({ "message": sent }));
    assert_eq!(h.api.settle("sendmessage").await.len(), 0);
    h.stop().await;
}
