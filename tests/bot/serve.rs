//! `yibao-bot serve` as a process: no token, an invalid corpus, and a token that never
//! shows up in the logs.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

use super::fake_api::FakeApi;
use super::updates::private_text;
use super::{TOKEN, TOKEN_SECRET, text};
use crate::common::scratch_corpus;

fn yibao() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_yibao-bot"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("TELOXIDE_API_URL");
    c
}

#[test]
fn without_a_token_it_says_how_to_get_one_in_one_line() {
    for args in [&["serve"][..], &[][..]] {
        let out = yibao().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains("@BotFather") && stderr.contains("yibao-bot ask"),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn an_invalid_webhook_secret_is_refused_before_going_online() {
    let out = yibao()
        .args(["serve", "--webhook-url", "https://bot.example.org/telegram"])
        .args(["--webhook-secret", "not a valid secret!"])
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", "http://127.0.0.1:9/")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("only A-Z, a-z, 0-9, _ and -"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_invalid_corpus_is_refused_before_going_online() {
    let dir = scratch_corpus(&[("a.json", "[")]);
    let out = yibao()
        .args(["serve", "--faq"])
        .arg(dir.path())
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", "http://127.0.0.1:9/")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("malformed JSON"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_token_never_appears_in_a_log_line() {
    let api = FakeApi::start(false).await;
    let db = tempfile::tempdir().unwrap();
    // A request that fails, a network error, and normal work, all logged at debug level.
    api.fail_next("sendMessage", 400, "Bad Request: chat not found", None);
    let mut child = yibao()
        .args(["serve", "--db"])
        .arg(db.path().join("bot.db"))
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", &api.url)
        .env("RUST_LOG", "debug")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    api.wait_for("getupdates", 1).await;
    api.push(private_text(8, "异地医保余额可以用吗"));
    api.push(private_text(8, "家庭共济能绑父母吗"));
    let sent = api.wait_for("sendmessage", 2).await;
    assert!(text(&sent[1]).contains("家庭共济"));
    // Stop it the way a service manager does.
    terminate(child.id());
    let status = tokio::task::spawn_blocking(move || {
        let deadline = std::time::Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                let mut stderr = String::new();
                child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut stderr)
                    .unwrap();
                return (status, stderr);
            }
            assert!(
                std::time::Instant::now() < deadline,
                "did not stop on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    })
    .await
    .unwrap();
    let (status, stderr) = status;
    assert!(status.success(), "{status:?}\n{stderr}");
    assert!(
        stderr.contains("yibao-bot @yibao_test_bot ready: 70 entries"),
        "{stderr}"
    );
    assert!(
        stderr.contains("chat not found"),
        "the failure is logged:\n{stderr}"
    );
    assert!(
        !stderr.contains(TOKEN_SECRET),
        "the token leaked:\n{stderr}"
    );

    // A network error (nothing listens there) while starting.
    let out = yibao()
        .args(["serve", "--db"])
        .arg(db.path().join("bot2.db"))
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", "http://127.0.0.1:9/")
        .env("RUST_LOG", "debug")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("getMe failed"), "{stderr}");
    assert!(
        !stderr.contains(TOKEN_SECRET),
        "the token leaked:\n{stderr}"
    );
}

/// SIGTERM, as systemd sends it.
fn terminate(pid: u32) {
    let status = Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .status()
        .unwrap();
    assert!(status.success());
}
