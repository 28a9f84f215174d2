//! The command line: `ask` (text and JSON), `show`, `--help` and `--version`, errors.

use std::io::Write;
use std::process::{Child, Command, Stdio};

/// `yibao-bot ARGS` from the project's folder, with stdin, stdout and stderr piped.
fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_yibao-bot"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run yibao-bot")
}

fn yibao(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = spawn(args);
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn ask_prints_the_answer_as_a_person_reads_it() {
    let (code, out, _) = yibao(&["ask", "异地医保余额可以用吗"], None);
    assert_eq!(code, 0);
    // The bot's shape: the short question, the conclusion first, key points, the source
    // on one line, the short disclaimer, and where the whole text is.
    assert!(out.starts_with("【异地能用医保余额吗】\n可以"), "{out}");
    assert!(out.contains("\n• "), "{out}");
    assert!(
        out.contains("来源：《异地医保余额可以使用吗?》原文未注明日期\n⚠️ 仅供参考"),
        "{out}"
    );
    assert!(out.contains("12393"), "{out}");
    assert!(out.contains("yibao-bot show yidi-yue-shiyong"), "{out}");
    assert!(out.chars().count() <= 400, "{out}");
}

#[test]
fn explain_says_when_a_message_is_a_story_or_keywords() {
    let story = "我在外地上班好几年了 医保是老家的 卡里攒了不少钱一直用不上 有没有办法在这边用掉";
    let (code, out, _) = yibao(&["ask", "--explain", story], None);
    assert_eq!(code, 0);
    assert!(out.contains("\nstory: answers from 0.40"), "{out}");
    let (_, out, _) = yibao(&["ask", "--explain", "异地医保余额可以用吗"], None);
    assert!(!out.contains("story:"), "{out}");
    assert!(!out.contains("keywords:"), "{out}");
    let (_, out, _) = yibao(&["ask", "--explain", "异地透析"], None);
    assert!(
        out.contains("\nkeywords: answers from 0.41 with a lead of 0.03, suggests from 0.41"),
        "{out}"
    );
}

#[test]
fn ask_json_answers_stdin_line_by_line_in_order() {
    let input =
        "异地医保余额可以用吗\n\n明天会下雨吗\n山西异地透析报销比例\n家庭共济最多绑几个人\n";
    let (code, out, err) = yibao(&["ask", "--json"], Some(input));
    assert_eq!(code, 0, "{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["status"], "answer");
    assert_eq!(lines[0]["id"], "yidi-yue-shiyong");
    assert_eq!(lines[0]["question"], "异地医保余额可以使用吗?");
    assert!(lines[0]["answer"].as_str().unwrap().starts_with("可以"));
    assert!(lines[0]["score"].as_f64().unwrap() > 0.0);
    assert_eq!(lines[1]["status"], "none");
    assert_eq!(lines[2]["status"], "none");
    assert_eq!(lines[3]["status"], "suggest");
    let suggestions = lines[3]["suggestions"].as_array().unwrap();
    assert!((1..=3).contains(&suggestions.len()));
    assert!(suggestions[0]["id"].is_string() && suggestions[0]["question"].is_string());
    assert_eq!(lines[4]["section"]["id"], "renshu");
}

#[test]
fn a_line_that_is_not_utf8_still_gets_its_one_answer() {
    let mut child = spawn(&["ask", "--json"]);
    let mut input = "异地医保余额可以用吗\n".as_bytes().to_vec();
    input.extend_from_slice(b"\xff\xfe broken\n");
    input.extend_from_slice("家庭共济能绑父母吗\n".as_bytes());
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[1].contains("\"status\":\"none\""), "{}", lines[1]);
    assert!(lines[2].contains("\"status\":\"answer\""), "{}", lines[2]);
}

#[test]
fn show_prints_an_entry_in_full_and_rejects_an_unknown_id() {
    let (code, out, _) = yibao(&["show", "gongji-shengnei"], None);
    assert_eq!(code, 0);
    assert!(out.contains("最多可绑定5人"), "{out}");
    let (code, _, err) = yibao(&["show", "no-such-entry"], None);
    assert_eq!(code, 1);
    assert!(err.contains("no entry with id \"no-such-entry\""), "{err}");
}

#[test]
fn help_and_version_work_and_bad_flags_fail_on_stderr() {
    let (code, out, _) = yibao(&["--help"], None);
    assert_eq!(code, 0);
    for word in ["ask", "check", "show", "calibrate"] {
        assert!(out.contains(word), "{out}");
    }
    let (code, out, _) = yibao(&["--version"], None);
    assert_eq!(code, 0);
    assert!(out.starts_with("yibao-bot "), "{out}");
    let (code, out, err) = yibao(&["ask", "--no-such-flag"], None);
    assert_ne!(code, 0);
    assert!(out.is_empty() && err.contains("--no-such-flag"), "{err}");
}

#[test]
fn a_reader_that_leaves_early_is_no_error() {
    // `yibao-bot show ID | head -1`: the pipe closes before the entry is written.
    for args in [
        &["show", "yidi-yue-shiyong"][..],
        &["check"],
        &["ask", "异地医保余额可以用吗"],
    ] {
        let mut child = spawn(args);
        drop(child.stdin.take());
        // The corpus takes a while to load: the reader is gone before anything is written.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

#[test]
fn ask_json_answers_each_line_before_the_next_is_sent() {
    // A program that sends a question and waits for its answer before the next (a
    // coprocess, the reliability fuzzer) must not wait for the end of the input.
    use std::io::{BufRead, BufReader};
    use std::sync::mpsc;
    use std::time::Duration;
    let mut child = spawn(&["ask", "--json"]);
    let mut stdin = child.stdin.take().unwrap();
    let (lines, answers) = mpsc::channel();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    std::thread::spawn(move || {
        for line in stdout.lines() {
            if lines.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    for (question, status) in [
        ("异地医保余额可以用吗", "answer"),
        ("公积金怎么提取", "none"),
    ] {
        writeln!(stdin, "{question}").unwrap();
        stdin.flush().unwrap();
        let answer = answers.recv_timeout(Duration::from_secs(30));
        let Ok(answer) = answer else {
            child.kill().unwrap();
            panic!("no answer to {question} while the input stays open");
        };
        assert!(
            answer.contains(&format!("\"status\":\"{status}\"")),
            "{answer}"
        );
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}
