//! `yibao-bot serve` as a process: no token, an invalid corpus, and a token that never
//! shows up in the logs.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

use super::fake_api::{FakeApi, Fault};
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
fn invalid_settings_are_refused_before_going_online_without_echoing_them() {
    let secret = "not a valid secret! hunter2";
    let out = yibao()
        .args(["serve", "--webhook-url", "https://bot.example.org/telegram"])
        .env("YIBAO_WEBHOOK_SECRET", secret)
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", "http://127.0.0.1:9/")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("only A-Z, a-z, 0-9, _ and -"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    let url = format!("api.telegram.org/bot{TOKEN}");
    let out = yibao()
        .arg("serve")
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", &url)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("TELOXIDE_API_URL is not a valid URL"),
        "{stderr}"
    );
    assert!(!stderr.contains(TOKEN_SECRET), "{stderr}");
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
    signal(pid, "-TERM");
}

fn signal(pid: u32, which: &str) {
    let status = Command::new("kill")
        .arg(which)
        .arg(pid.to_string())
        .status()
        .unwrap();
    assert!(status.success());
}

/// `serve` against `api` with its own database, logging at `RUST_LOG`'s default.
fn serve(api: &FakeApi, db: &tempfile::TempDir) -> std::process::Child {
    yibao()
        .args(["serve", "--db"])
        .arg(db.path().join("bot.db"))
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", &api.url)
        .env_remove("RUST_LOG")
        .env_remove("NO_COLOR")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits (at most `limit`) for the process to exit; its status, the time it took and
/// what it logged.
async fn exited(
    mut child: std::process::Child,
    limit: Duration,
) -> (std::process::ExitStatus, Duration, String) {
    tokio::task::spawn_blocking(move || {
        let start = std::time::Instant::now();
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                let mut stderr = String::new();
                child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut stderr)
                    .unwrap();
                return (status, start.elapsed(), stderr);
            }
            if start.elapsed() > limit {
                let _ = child.kill();
                panic!("did not exit within {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_log_has_one_plain_line_per_event_and_no_personal_data() {
    let api = FakeApi::start(false).await;
    let db = tempfile::tempdir().unwrap();
    let child = serve(&api, &db);
    api.wait_for("getupdates", 1).await;
    // An update teloxide cannot read, full of personal data.
    api.push_raw(|id| {
        format!(
            r#"{{"update_id":{id},"message":{{"message_id":1,"date":1,"chat":{{"id":99887766,"type":"private","first_name":"张三丰"}},"from":{{"id":99887766,"is_bot":false,"first_name":"张三丰"}},"text":"我的身份证号\ud800"}}}}"#
        )
    });
    // A 429, a 502 and a reset on sending; a 409 on receiving.
    api.fail_next(
        "sendMessage",
        429,
        "Too Many Requests: retry after 1",
        Some(1),
    );
    api.fail_next_with("sendMessage", Fault::Status(502));
    api.push(private_text(8, "异地医保余额可以用吗"));
    api.wait_until("the answer delivered", |calls| {
        calls
            .iter()
            .any(|c| c.ok && c.method == "sendmessage")
            .then_some(())
    })
    .await;
    api.fail_next("getUpdates", 409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running", None);
    api.wait_until("the 409 and a poll after it", |calls| {
        let after = calls
            .iter()
            .skip_while(|c| c.method != "getupdates" || c.ok)
            .filter(|c| c.method == "getupdates")
            .count();
        (after >= 2).then_some(())
    })
    .await;
    terminate(child.id());
    let (status, _, stderr) = exited(child, Duration::from_secs(10)).await;
    assert!(status.success(), "{status:?}\n{stderr}");
    assert!(
        !stderr.contains('\u{1b}'),
        "colour codes off a terminal:\n{stderr}"
    );
    for private in ["张三丰", "99887766", "身份证"] {
        assert!(!stderr.contains(private), "{private} in the log:\n{stderr}");
    }
    let lines = |needle: &str| stderr.lines().filter(|l| l.contains(needle)).count();
    assert_eq!(lines("skipped update"), 1, "{stderr}");
    assert_eq!(lines("429"), 1, "{stderr}");
    assert_eq!(lines("HTTP 502"), 1, "{stderr}");
    assert_eq!(lines("another instance"), 1, "{stderr}");
    assert!(!stderr.contains("parsing JSON"), "{stderr}");
    assert!(
        !stderr.contains(TOKEN_SECRET),
        "the token leaked:\n{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_stop_signal_exits_at_once() {
    let api = FakeApi::start(false).await;
    api.set_fault(Some("sendMessage"), Some(Fault::Hang));
    let db = tempfile::tempdir().unwrap();
    let child = serve(&api, &db);
    api.wait_for("getupdates", 1).await;
    api.push(private_text(9, "异地医保余额可以用吗"));
    api.wait_for("sendmessage", 1).await;
    terminate(child.id());
    tokio::time::sleep(Duration::from_millis(200)).await;
    signal(child.id(), "-INT");
    // The graceful stop alone would take its four seconds' grace.
    let (status, took, stderr) = exited(child, Duration::from_secs(10)).await;
    assert!(status.success(), "{status:?}\n{stderr}");
    assert!(took < Duration::from_secs(2), "took {took:?}\n{stderr}");
    assert!(stderr.contains("second stop signal"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_token_is_said_as_such_and_exits_as_a_configuration_error() {
    let api = FakeApi::start(false).await;
    api.set_fault(Some("getMe"), Some(Fault::api(401, "Unauthorized")));
    let db = tempfile::tempdir().unwrap();
    let (status, _, stderr) = exited(serve(&api, &db), Duration::from_secs(15)).await;
    // 2: the unit's RestartPreventExitStatus, so systemd does not retry every 5 s.
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("Telegram refused the bot token"),
        "{stderr}"
    );
    assert!(!stderr.contains("cannot reach"), "{stderr}");
    assert!(!stderr.contains(TOKEN_SECRET), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sighup_reloads_the_corpus_and_does_not_stop_the_bot() {
    let api = FakeApi::start(false).await;
    let db = tempfile::tempdir().unwrap();
    let faq = tempfile::tempdir().unwrap();
    super::reload::copy_of_faq(faq.path());
    let mut child = yibao()
        .args(["serve", "--db"])
        .arg(db.path().join("bot.db"))
        .arg("--faq")
        .arg(faq.path())
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", &api.url)
        .env_remove("RUST_LOG")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // The log as it comes, to wait for a line.
    let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let mut stderr = child.stderr.take().unwrap();
    let writer = log.clone();
    let reading = std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(&mut stderr).lines() {
            let mut log = writer.lock().unwrap();
            log.push_str(&line.unwrap_or_default());
            log.push('\n');
        }
    });
    let logged = |what: &'static str| {
        let log = log.clone();
        async move {
            let deadline = std::time::Instant::now() + Duration::from_secs(30);
            while !log.lock().unwrap().contains(what) {
                assert!(
                    std::time::Instant::now() < deadline,
                    "never logged {what:?}"
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    };
    api.wait_for("getupdates", 1).await;
    std::fs::write(faq.path().join("zz-new.json"), super::reload::NEW_ENTRY).unwrap();
    signal(child.id(), "-HUP");
    logged("reloaded the corpus (SIGHUP): 71 entries: 1 added (dianzi-pingzheng-jihuo)").await;
    let answered = api.wait_for("sendmessage", 0).await.len();
    api.push(private_text(8, "医保电子凭证怎么激活"));
    let sent = api.wait_for("sendmessage", answered + 1).await;
    assert!(text(&sent[answered]).contains("实名认证后即可激活"));

    // A broken folder on the next SIGHUP: refused, and the bot still runs on the last.
    std::fs::write(faq.path().join("zz-broken.json"), "[").unwrap();
    signal(child.id(), "-HUP");
    logged("reload (SIGHUP) refused, still serving the previous corpus").await;
    api.push(private_text(9, "医保电子凭证怎么激活"));
    let sent = api.wait_for("sendmessage", answered + 2).await;
    assert!(text(&sent[answered + 1]).contains("实名认证后即可激活"));
    terminate(child.id());
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    reading.join().unwrap();
    let log = log.lock().unwrap().clone();
    assert!(status.success(), "{status:?}\n{log}");
    assert!(log.contains("zz-broken.json"), "{log}");
}

#[tokio::test(flavor = "multi_thread")]
async fn log_format_json_writes_one_json_object_per_line_without_colour() {
    let api = FakeApi::start(false).await;
    let db = tempfile::tempdir().unwrap();
    let child = yibao()
        .args(["serve", "--log-format", "json", "--db"])
        .arg(db.path().join("bot.db"))
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", &api.url)
        .env_remove("RUST_LOG")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    api.wait_for("getupdates", 1).await;
    terminate(child.id());
    let (status, _, stderr) = exited(child, Duration::from_secs(15)).await;
    assert!(status.success(), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "no colour codes: {stderr}");
    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .collect();
    assert!(
        lines.iter().any(|l| l["level"] == "INFO"
            && l["fields"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("ready: 70 entries"))),
        "{stderr}"
    );
    assert!(!stderr.contains(TOKEN_SECRET));
}
