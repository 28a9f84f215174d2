//! The review loop end to end: unanswered questions (masked) reviewed on the command line
//! and with `/review` in Telegram; a phrasing learnt there answers the next time, also
//! after a restart, and `review --export` lists the decisions for faq/.

use std::path::Path;
use std::process::{Command, Stdio};

use super::updates::{bot_message, callback, private_text};
use super::{Harness, button_data, buttons, text};

const ADMIN: i64 = 910;
const SOMEONE: i64 = 911;
/// Close to entries of the corpus without one answering it: it gets suggestions.
const UNANSWERED: &str = "山西异地透析报销比例";

fn review(db: &Path, args: &[&str], stdin: &str) -> (i32, String, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_yibao-bot"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("review")
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_question_reviewed_on_the_command_line_is_answered_by_the_bot() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bot.db");
    {
        let store = yibao_bot::Store::open(&db, 90).unwrap();
        for _ in 0..3 {
            store.record_unanswered(UNANSWERED, "suggest").unwrap();
        }
        store
            .record_unanswered("我电话13812345678，今天天气怎么样", "none")
            .unwrap();
    }
    // Before: suggestions, not an answer.
    let db_path = db.clone();
    let mut h = Harness::start_with(move |c| c.db = db_path).await;
    let before = h.expect_message(private_text(SOMEONE, UNANSWERED), 1).await;
    assert!(text(&before).contains("您是不是想问"), "{}", text(&before));
    h.stop().await;

    // Most frequent first (3 stored, and the one just asked), masked, with candidates;
    // 1 for the first, i to ignore.
    let (code, out, err) = review(&db, &[], "1\ni\n");
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains(&format!("[1/2] asked 4×: {UNANSWERED}")),
        "{out}"
    );
    assert!(
        out.contains("[2/2] asked 1×: 我电话138****5678，今天天气怎么样"),
        "{out}"
    );
    assert!(!out.contains("13812345678"), "{out}");
    let first = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("1) "))
        .expect("a first candidate")
        .to_string();
    let (entry_id, entry_question) = first.split_once("  ").unwrap();
    assert!(
        out.contains(&format!("learnt as a phrasing of {entry_id}")),
        "{out}"
    );
    assert!(
        out.contains("1 phrasing(s) learnt") && out.contains("1 ignored"),
        "{out}"
    );
    // Nothing is left to review.
    let (_, out, _) = review(&db, &[], "");
    assert!(out.contains("No unanswered questions to review"), "{out}");

    // The export, for faq/.
    let file = dir.path().join("review.json");
    let (code, out, err) = review(&db, &["--export", file.to_str().unwrap()], "");
    assert_eq!(code, 0, "{out}\n{err}");
    let export: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        export["alternates"][entry_id],
        serde_json::json!([UNANSWERED])
    );
    assert_eq!(
        export["ignored"][0]["question"],
        "我电话138****5678，今天天气怎么样"
    );

    // After: the bot answers it with that entry.
    h.restart().await;
    let after = h
        .expect_message(private_text(SOMEONE + 1, UNANSWERED), 2)
        .await;
    assert!(
        button_data(&after, "展开全文").starts_with(&format!("x:{entry_id}")),
        "{entry_question}: {}",
        text(&after)
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn review_in_telegram_learns_a_phrasing_at_once_and_it_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bot.db");
    let db_path = db.clone();
    let mut h = Harness::start_with(move |c| {
        c.db = db_path;
        c.admins = vec![ADMIN as u64];
    })
    .await;
    let before = h.expect_message(private_text(SOMEONE, UNANSWERED), 1).await;
    assert!(text(&before).contains("您是不是想问"), "{}", text(&before));

    // Not for anyone else.
    let refused = h.expect_message(private_text(SOMEONE, "/review"), 2).await;
    assert!(
        text(&refused).contains("没有这个指令"),
        "{}",
        text(&refused)
    );

    let card = h.expect_message(private_text(ADMIN, "/review"), 3).await;
    let t = text(&card);
    assert!(
        t.contains("待处理 1/1 · 被问 1 次") && t.contains(UNANSWERED),
        "{t}"
    );
    let rows = buttons(&card);
    assert!(rows[0][0].starts_with("➕ 1."), "{rows:?}");
    assert_eq!(
        rows.last().unwrap(),
        &["🆕 需要新条目", "🙈 忽略", "⏭ 跳过"]
    );
    let data = button_data(&card, "➕ 1.");
    let entry_id = data.rsplit(':').next().unwrap().to_string();
    let shown = bot_message(ADMIN, 20_000, t, Some(card.body["reply_markup"].clone()));

    // A forged tap from someone else does nothing.
    h.api.push(callback(SOMEONE, shown.clone(), &data));
    h.api.wait_for("answercallbackquery", 1).await;
    // The admin's tap: learnt, the card closed, and nothing more to review.
    h.api.push(callback(ADMIN, shown, &data));
    let done = h.api.wait_for("sendmessage", 4).await;
    assert!(
        text(&done[3]).contains("没有待处理的问题了"),
        "{}",
        text(&done[3])
    );
    let edits = h.api.wait_for("editmessagetext", 1).await;
    assert!(
        edits[0].body["text"]
            .as_str()
            .unwrap()
            .contains(&format!("已加为 {entry_id} 的问法")),
        "{:?}",
        edits[0].body
    );
    let answered = h
        .expect_message(private_text(SOMEONE + 1, UNANSWERED), 5)
        .await;
    let t = text(&answered);
    assert!(!t.contains("您是不是想问"), "{t}");
    assert!(
        t.contains(&format!("faq_{entry_id}")) || answered.body.to_string().contains(&entry_id),
        "answered by {entry_id}: {}",
        answered.body
    );

    // After a restart, still learnt.
    h.restart().await;
    let again = h
        .expect_message(private_text(SOMEONE + 2, UNANSWERED), 6)
        .await;
    assert_eq!(text(&again), t);
    h.stop().await;
    let store = yibao_bot::Store::open_read_only(&db).unwrap();
    let learnt = store.learnt_phrasings().unwrap();
    assert_eq!(learnt.len(), 1);
    assert_eq!(learnt[0].entry_id, entry_id);
}
