//! Storage: forged button data is not stored, one vote per person and entry, a
//! database from a newer yibao-bot is refused (and left as it is), and `stats` and
//! `backup`, run by anyone, leave the bot's database as they found it.

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
    // A configuration error: systemd does not restart on 2.
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("schema version 99") && stderr.contains("newer than the 3"),
        "{stderr}"
    );
    assert!(api.calls().is_empty(), "refused before going online");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 99);
}

fn yibao(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_yibao-bot"));
    c.args(args);
    c
}

/// The files next to the database (`-wal`, `-shm`, `-journal`), by name.
fn sidecars(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("bot.db-"))
        .collect();
    names.sort();
    names
}

#[test]
fn stats_by_another_user_on_a_stopped_bot_creates_nothing_and_the_bot_starts_after() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bot.db");
    {
        let store = yibao_bot::Store::open(&db, 90).unwrap();
        store.record_unanswered("养老金怎么算", "none").unwrap();
    }
    assert!(
        sidecars(dir.path()).is_empty(),
        "a stopped bot leaves no -wal"
    );
    // Readable by all, writable by its owner only.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();

    // As a user who cannot write the folder (nobody), when the tests run as root.
    let as_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n");
    let setpriv = std::path::Path::new("/usr/bin/setpriv").exists();
    let out = if as_root && setpriv {
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_yibao-bot"))
            .args(["stats", "--db"])
            .arg(&db)
            .output()
            .unwrap()
    } else {
        yibao(&["stats", "--db"]).arg(&db).output().unwrap()
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("养老金怎么算"), "{stdout}");
    // And as the owner (root in CI): nothing created either.
    let out = yibao(&["stats", "--db"]).arg(&db).output().unwrap();
    assert!(out.status.success());
    assert!(
        sidecars(dir.path()).is_empty(),
        "{:?}",
        sidecars(dir.path())
    );
    // The bot opens it for writing as before.
    let store = yibao_bot::Store::open(&db, 90).unwrap();
    store.record_unanswered("新问题", "none").unwrap();
    assert_eq!(store.unanswered(1, 10).unwrap().len(), 2);
}

#[test]
fn stats_reads_a_running_bots_database_including_what_is_only_in_its_wal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bot.db");
    let store = yibao_bot::Store::open(&db, 90).unwrap();
    store.record_unanswered("刚刚问的问题", "none").unwrap();
    let before = sidecars(dir.path());
    assert_eq!(before, ["bot.db-shm", "bot.db-wal"]);
    let out = yibao(&["stats", "--db"]).arg(&db).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("刚刚问的问题"), "{stdout}");
    assert_eq!(sidecars(dir.path()), before);
}

#[test]
fn stats_on_what_is_not_a_bot_database_says_so_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bot.db");
    std::fs::write(
        &db,
        "this is not sqlite at all, just some text to be long enough",
    )
    .unwrap();
    let out = yibao(&["stats", "--db"]).arg(&db).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.matches("not a database").count(), 1, "{stderr}");
    assert!(!stderr.contains("migrate"), "{stderr}");
    let empty = dir.path().join("empty.db");
    rusqlite::Connection::open(&empty)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    let out = yibao(&["stats", "--db"]).arg(&empty).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is not a yibao-bot database"), "{stderr}");
}

#[test]
fn backup_copies_a_running_bots_database_and_the_copy_opens() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bot.db");
    let store = yibao_bot::Store::open(&db, 90).unwrap();
    store.set_autoanswer(-100, true).unwrap();
    store.record_unanswered("备份前的问题", "none").unwrap();
    let copy = dir.path().join("backup.db");
    let out = yibao(&["backup", "--db"])
        .arg(&db)
        .arg(&copy)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("to restore: stop the bot"));
    // Written after the backup: not in it.
    store.record_unanswered("备份后的问题", "none").unwrap();
    let restored = yibao_bot::Store::open(&copy, 90).unwrap();
    assert!(restored.autoanswer(-100).unwrap());
    let questions: Vec<String> = restored
        .unanswered(1, 10)
        .unwrap()
        .into_iter()
        .map(|u| u.question)
        .collect();
    assert_eq!(questions, ["备份前的问题"]);
    // Never written over.
    let out = yibao(&["backup", "--db"])
        .arg(&db)
        .arg(&copy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
}
