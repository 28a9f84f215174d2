//! `yibao-bot check` and corpus loading: every problem reported with its file and entry,
//! exit code 2, and nothing that loads a corpus accepts an invalid one.

use std::process::Command;

use yibao_bot::{Corpus, CorpusError, Matcher};

use crate::common::{entry_json, faq_dir, scratch_corpus};

fn check(dir: &std::path::Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_yibao-bot"))
        .args(["check", "--faq"])
        .arg(dir)
        .output()
        .expect("run yibao-bot");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every problem a folder has, errors and warnings, as `check` lists them.
fn problems(dir: &std::path::Path) -> Vec<String> {
    let problems = match Corpus::load(dir) {
        Err(CorpusError::Invalid(problems)) => problems,
        Err(e) => panic!("{e}"),
        Ok(corpus) => corpus.warnings,
    };
    problems.iter().map(|p| p.to_string()).collect()
}

#[test]
fn the_shipped_corpus_is_clean() {
    let (code, stdout, stderr) = check(&faq_dir());
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("OK"), "{stdout}");
}

#[test]
fn malformed_json_is_reported_with_line_and_column() {
    let dir = scratch_corpus(&[("a.json", "[\n  {\"id\": \"x\",\n  oops\n]")]);
    let (code, _, stderr) = check(dir.path());
    assert_eq!(code, 2);
    assert!(
        stderr.contains("a.json") && stderr.contains("line 3, column"),
        "{stderr}"
    );
}

#[test]
fn every_missing_or_empty_field_is_reported_with_its_entry() {
    let json = r#"[
      {"id": "ok-one", "question": "问题一", "alternates": ["说法一"], "category": "测试",
       "answer": "结论。\n\n内容。", "source": {"file": "s.txt", "title": "t", "date": null}},
      {"id": "no-answer", "question": "问题二", "alternates": [], "category": "",
       "source": {"file": "s.txt", "title": "t", "date": "2025-13-01"}},
      {"question": "问题三", "alternates": ["说法三"], "category": "测试", "answer": "只有结论",
       "source": {"file": "s.txt", "title": "t", "date": null}, "extra": 1}
    ]"#;
    let dir = scratch_corpus(&[("a.json", json)]);
    let found = problems(dir.path()).join("\n");
    for expected in [
        "entry #2 (no-answer): warning: 0 `alternates`",
        "entry #2 (no-answer): warning: empty `category`",
        "entry #2 (no-answer): missing required field `answer`",
        "entry #2 (no-answer): `source.date` must be YYYY-MM-DD or null",
        "entry #3: missing required field `id`",
        "entry #3: unknown field `extra`",
        "entry #3: warning: `answer` is one line",
    ] {
        assert!(
            found.contains(expected),
            "missing «{expected}» in:\n{found}"
        );
    }
    // ok-one is only weak: one alternate.
    assert!(
        found.contains("entry #1 (ok-one): warning: 1 `alternates`"),
        "{found}"
    );
    assert!(!found.contains("ok-one): `"), "{found}");
}

#[test]
fn duplicate_ids_and_phrasings_across_files_are_reported() {
    let a = format!(
        "[{}]",
        entry_json("same-id", "异地医保怎么用", &["外地医保咋用"])
    );
    let b = format!(
        "[{}, {}]",
        entry_json("same-id", "别的问题", &["另一种说法"]),
        entry_json("other", "第三个问题", &["外地医保咋用？"])
    );
    let dir = scratch_corpus(&[("a.json", &a), ("b.json", &b)]);
    let found = problems(dir.path()).join("\n");
    assert!(found.contains("duplicate id `same-id`"), "{found}");
    assert!(
        found.contains("alternate \"外地医保咋用？\" is already used as alternate"),
        "{found}"
    );
}

#[test]
fn bad_ids_and_long_conclusions_are_reported() {
    let mut entry: serde_json::Value =
        serde_json::from_str(&entry_json("Bad_Id", "问题", &["说法"])).unwrap();
    entry["answer"] = format!("{}\n\n内容。", "很长".repeat(31)).into();
    let dir = scratch_corpus(&[("a.json", &format!("[{entry}]"))]);
    let found = problems(dir.path()).join("\n");
    assert!(
        found.contains("`id` \"Bad_Id\" must be lower-case ASCII"),
        "{found}"
    );
    assert!(found.contains("has 62 characters; at most 60"), "{found}");
}

#[test]
fn unknown_data_file_syntax_is_reported_with_its_line() {
    let entries = format!("[{}]", entry_json("one", "问题", &["说法"]));
    let dir = scratch_corpus(&[
        ("a.json", &entries),
        (
            "synonyms.txt",
            "# ok\n异地 = 外地\n父母 爸妈\n外地 = 外省\n",
        ),
        ("userdict.txt", "家庭共济 lots n\n"),
        ("places.txt", "江苏 南京\n"),
        ("out-of-scope.txt", "医院推荐 | 只有两段\n"),
    ]);
    let found = problems(dir.path()).join("\n");
    for expected in [
        "synonyms.txt: line 3: unknown syntax \"父母 爸妈\"",
        "synonyms.txt: line 4: \"外地\" is already in the group on line 2",
        "userdict.txt: line 1: frequency \"lots\" is not a whole number",
        "places.txt: line 1: unknown syntax",
        "out-of-scope.txt: line 1: unknown syntax",
    ] {
        assert!(
            found.contains(expected),
            "missing «{expected}» in:\n{found}"
        );
    }
}

#[test]
fn a_folder_without_entries_or_disclaimer_is_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let found = problems(dir.path()).join("\n");
    assert!(found.contains("no *.json entry files"), "{found}");
    assert!(
        found.contains("disclaimer.txt: missing required file"),
        "{found}"
    );
}

#[test]
fn everything_that_loads_a_corpus_refuses_an_invalid_one() {
    let dir = scratch_corpus(&[("a.json", "not json")]);
    assert!(matches!(
        Matcher::load(dir.path()),
        Err(CorpusError::Invalid(_))
    ));
    let out = Command::new(env!("CARGO_BIN_EXE_yibao-bot"))
        .args(["ask", "--faq"])
        .arg(dir.path())
        .arg("异地备案")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("malformed JSON"));
}

#[test]
fn a_missing_folder_is_a_clear_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_yibao-bot"))
        .args(["check", "--faq", "/nonexistent/faq"])
        .output()
        .unwrap();
    // A configuration error, as for an invalid corpus: restarting will not fix it.
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "cannot read FAQ folder /nonexistent/faq (choose it with --faq or YIBAO_FAQ)"
        ),
        "{stderr}"
    );
    // The cause once, not twice.
    assert_eq!(
        stderr.matches("No such file or directory").count(),
        1,
        "{stderr}"
    );
}

#[test]
fn any_corpus_in_the_format_is_served() {
    // A corpus about something else entirely: nothing in the engine is about 医保.
    let entries = format!(
        "[{}, {}]",
        entry_json(
            "library-card",
            "图书馆借书证怎么办理",
            &["借书证在哪办", "办借书证要带什么", "怎么申请借书卡"]
        ),
        entry_json(
            "opening-hours",
            "图书馆几点开门",
            &["图书馆开放时间", "周末图书馆开吗", "图书馆几点关门"]
        )
    );
    let dir = scratch_corpus(&[("library.json", &entries)]);
    let m = Matcher::load(dir.path()).expect("valid");
    match m.ask("请问借书证在哪办？") {
        yibao_bot::Outcome::Answer(hit) => assert_eq!(m.view(&hit).entry.id, "library-card"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        m.ask("医保卡怎么激活"),
        yibao_bot::Outcome::None(_)
    ));
}
