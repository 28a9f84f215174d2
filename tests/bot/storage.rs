//! Storage: forged button data is not stored, one vote per person and entry, and a
//! database from a newer yibao-bot is refused (and left as it is).

use std::process::Command;

use super::delivery::QUESTIONS;
use super::fake_api::FakeApi;
use super::updates::{bot_message, callback, private_text};
use super::{Harness, TOKEN, button_data, text};

#[tokio::test(flavor = "multi_thread")]
async fn forged_button_data_is_acknowledged_and_nothing_is_stored() {
    let mut h = Harness::start(false).await;
    let markup = serde_json::json!({"inline_keyboard": [[{"text": "👍", "callback_data": "v:nonexistent:+"}]]});
    let shown = bot_message(801, 10_000, "x", Some(markup));
    for data in [
        "v:nonexistent:+",
        "v::-",
        "v:yidi-yue-quchu:x",
        "q:nope",
        "c:999:0",
    ] {
        h.api.push(callback(801, shown.clone(), data));
    }
    h.api.wait_for("answercallbackquery", 5).await;
    assert!(h.api.settle("editmessagereplymarkup").await.is_empty());
    h.stop().await;
    let store = yibao_bot::Store::open(&h.db, 90).unwrap();
    assert!(store.votes(1).unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn one_vote_per_person_and_entry_the_last_one_counting() {
    let mut h = Harness::start(false).await;
    let reply = h.expect_message(private_text(802, QUESTIONS[2]), 1).await;
    let shown = bot_message(
        802,
        10_000,
        text(&reply),
        Some(reply.body["reply_markup"].clone()),
    );
    let (up, down) = (button_data(&reply, "👍"), button_data(&reply, "👎"));
    for (user, data) in [(802, &up), (802, &up), (802, &down), (803, &up)] {
        h.api.push(callback(user, shown.clone(), data));
    }
    h.api.wait_for("answercallbackquery", 4).await;
    h.api.wait_for("editmessagereplymarkup", 4).await;
    h.stop().await;
    let store = yibao_bot::Store::open(&h.db, 90).unwrap();
    let votes = store.votes(1).unwrap();
    assert_eq!(votes.len(), 1);
    assert_eq!((votes[0].up, votes[0].down), (1, 1), "{votes:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_from_a_newer_yibao_bot_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bot.db");
    drop(yibao_bot::Store::open(&db, 90).unwrap());
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let api = FakeApi::start(false).await;
    let out = Command::new(env!("CARGO_BIN_EXE_yibao-bot"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["serve", "--db"])
        .arg(&db)
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", &api.url)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("schema version 99") && stderr.contains("newer than the 2"),
        "{stderr}"
    );
    assert!(api.calls().is_empty(), "refused before going online");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 99);
}
