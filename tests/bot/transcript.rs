//! A short conversation, printed as a person reads it (`cargo test transcript --
//! --nocapture`); the README's transcript is copied from this run.

use super::updates::{group_message, private_text};
use super::{Harness, buttons, text};

/// Telegram's rendering of our HTML, near enough for reading: tags dropped, entities
/// decoded.
fn as_read(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_conversation_transcript() {
    let mut h = Harness::start(false).await;
    let mut n = 0;
    for question in [
        "异地医保余额可以用吗",
        "家庭共济最多绑几个人",
        "山西异地透析报销比例",
        "头疼吃什么药",
    ] {
        n += 1;
        let reply = h.expect_message(private_text(1, question), n).await;
        println!(
            "👤 {question}\n🤖 {}",
            as_read(text(&reply)).replace('\n', "\n   ")
        );
        for row in buttons(&reply) {
            println!("   [{}]", row.join("] ["));
        }
        println!();
    }
    let group = group_message(2, "/ask 异地就医备案有效期多久", Some(5), None);
    n += 1;
    let reply = h
        .expect_message(serde_json::json!({ "message": group }), n)
        .await;
    println!(
        "👥 (群) /ask 异地就医备案有效期多久\n🤖 {}",
        as_read(text(&reply)).replace('\n', "\n   ")
    );
    for row in buttons(&reply) {
        println!("   [{}]", row.join("] ["));
    }
    h.stop().await;
}
