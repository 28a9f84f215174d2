//! Reloading the corpus while the bot runs: `/reload` from an admin swaps in a valid
//! folder (a new entry answers at once), refuses an invalid one (its problems go to the
//! admin, the old corpus keeps answering), and is an unknown command from anyone else.

use std::path::Path;

use super::updates::private_text;
use super::{Harness, text};
use crate::common::faq_dir;

const ADMIN: i64 = 900;
const SOMEONE: i64 = 901;

pub const NEW_ENTRY: &str = r#"[{
  "id": "dianzi-pingzheng-jihuo",
  "question": "医保电子凭证怎么激活？",
  "alternates": ["医保电子凭证如何激活", "怎么激活医保码", "医保码在哪里激活"],
  "category": "医保卡",
  "answer": "在国家医保服务平台APP或微信、支付宝里搜索“医保电子凭证”，按提示实名认证后即可激活。\n\n激活后看病购药时出示医保码即可结算。",
  "source": { "file": "test.txt", "title": "医保电子凭证", "date": "2025-06-01" }
}]"#;

/// A copy of the shipped corpus to change.
pub fn copy_of_faq(to: &Path) {
    for file in std::fs::read_dir(faq_dir()).unwrap() {
        let file = file.unwrap().path();
        if file.is_file() {
            std::fs::copy(&file, to.join(file.file_name().unwrap())).unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn reload_swaps_in_a_valid_corpus_and_refuses_an_invalid_one() {
    let faq = tempfile::tempdir().unwrap();
    copy_of_faq(faq.path());
    let folder = faq.path().to_path_buf();
    let mut h = Harness::start_with(move |c| {
        c.faq = Some(folder);
        c.admins = vec![ADMIN as u64];
    })
    .await;
    let question = "医保电子凭证怎么激活";
    let before = h.expect_message(private_text(SOMEONE, question), 1).await;
    assert!(
        !text(&before).contains("实名认证后即可激活"),
        "{}",
        text(&before)
    );

    // A new entry, then /reload from the admin: what changed, and the entry answers.
    std::fs::write(faq.path().join("zz-new.json"), NEW_ENTRY).unwrap();
    let reloaded = h.expect_message(private_text(ADMIN, "/reload"), 2).await;
    let t = text(&reloaded);
    assert!(t.contains("已重新加载问答库"), "{t}");
    assert!(
        t.contains("71 entries: 1 added (dianzi-pingzheng-jihuo), 0 removed, 0 changed"),
        "{t}"
    );
    let after = h.expect_message(private_text(SOMEONE, question), 3).await;
    assert!(
        text(&after).contains("实名认证后即可激活"),
        "{}",
        text(&after)
    );

    // An invalid folder: refused, its problem told to the admin, the old corpus answers.
    std::fs::write(faq.path().join("zz-broken.json"), "[{\"id\": ").unwrap();
    let refused = h.expect_message(private_text(ADMIN, "/reload"), 4).await;
    let t = text(&refused);
    assert!(t.contains("没有重新加载，仍在使用原来的问答库"), "{t}");
    assert!(
        t.contains("zz-broken.json") && t.contains("malformed JSON"),
        "{t}"
    );
    let still = h.expect_message(private_text(SOMEONE, question), 5).await;
    assert!(
        text(&still).contains("实名认证后即可激活"),
        "{}",
        text(&still)
    );

    // From anyone else, /reload is just an unknown command.
    std::fs::remove_file(faq.path().join("zz-broken.json")).unwrap();
    std::fs::remove_file(faq.path().join("zz-new.json")).unwrap();
    let unknown = h.expect_message(private_text(SOMEONE, "/reload"), 6).await;
    assert!(
        text(&unknown).contains("没有这个指令"),
        "{}",
        text(&unknown)
    );
    let kept = h.expect_message(private_text(SOMEONE, question), 7).await;
    assert!(
        text(&kept).contains("实名认证后即可激活"),
        "{}",
        text(&kept)
    );
    h.stop().await;
}
