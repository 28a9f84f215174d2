//! Inline mode: matching entries for a query, popular ones for an empty query.

use super::Harness;
use super::updates::inline_query;

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

    h.api.push(inline_query(77, "哪家医院看眼睛好"));
    let none = h.api.wait_for("answerinlinequery", 3).await.remove(2);
    assert_eq!(none.body["results"].as_array().unwrap().len(), 0);
    h.stop().await;
}
