//! A short conversation, printed as a person reads it (`cargo test transcript --
//! --nocapture`); the README's transcript is copied from this run.

use super::updates::{GROUP, bot_message, callback, group_message, private_text};
use super::{Harness, as_read, button_data, buttons, text};

fn show(who: &str, said: &str, call: &super::fake_api::Call) {
    println!(
        "{who} {said}\n🤖 {}",
        as_read(text(call)).replace('\n', "\n   ")
    );
    for row in buttons(call) {
        println!("   [{}]", row.join("] ["));
    }
    println!();
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
        "谢谢",
    ] {
        n += 1;
        let reply = h.expect_message(private_text(1, question), n).await;
        show("👤", question, &reply);
        if n == 2 {
            // 展开全文: the same message, edited.
            let data = button_data(&reply, "展开全文");
            let shown = bot_message(
                1,
                500,
                text(&reply),
                Some(reply.body["reply_markup"].clone()),
            );
            let full = h.expect_edit(callback(1, shown, &data), 1).await;
            show("👆", "[📖 展开全文] (the same message, edited)", &full);
        }
    }
    let group = group_message(2, "/ask 家庭共济能绑父母吗", Some(5), None);
    n += 1;
    let reply = h
        .expect_message(serde_json::json!({ "message": group }), n)
        .await;
    show("👥 (群)", "/ask 家庭共济能绑父母吗", &reply);
    let answer = bot_message(
        GROUP,
        600,
        text(&reply),
        Some(reply.body["reply_markup"].clone()),
    );
    let follow_up = group_message(3, "那公婆可以绑吗", Some(5), Some(answer.clone()));
    n += 1;
    let reply = h
        .expect_message(serde_json::json!({ "message": follow_up }), n)
        .await;
    show("👥 (群, replying to the answer)", "那公婆可以绑吗", &reply);
    h.api
        .push(serde_json::json!({ "message": group_message(4, "谢谢", Some(5), Some(answer)) }));
    assert_eq!(h.api.settle("sendmessage").await.len(), n);
    println!("👥 (群, replying to the answer) 谢谢\n🤖 (nothing: thanks need no reply in a group)");
    h.stop().await;
}
