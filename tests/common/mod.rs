//! Shared test helpers: the shipped corpus, loaded once, and scratch corpus folders.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use yibao_bot::{Matcher, Outcome};

/// The corpus the product ships (`faq/`).
pub fn faq_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("faq")
}

/// The shipped corpus, indexed once for all tests.
pub fn matcher() -> &'static Matcher {
    static MATCHER: OnceLock<Matcher> = OnceLock::new();
    MATCHER.get_or_init(|| Matcher::load(&faq_dir()).expect("the shipped corpus is valid"))
}

/// The id of the entry that answers `question`, or a description of what happened.
pub fn answer_id(question: &str) -> Result<String, String> {
    let m = matcher();
    match m.ask(question) {
        Outcome::Answer(hit) => Ok(m.view(&hit).entry.id.clone()),
        other => Err(format!("{question}: {other:?}")),
    }
}

/// Asserts that `question` is answered by entry `id`.
#[track_caller]
pub fn assert_answers(question: &str, id: &str) {
    match answer_id(question) {
        Ok(got) => assert_eq!(got, id, "{question}"),
        Err(e) => panic!("expected {id}, got no answer: {e}"),
    }
}

/// Asserts that `question` is answered by one of the entries `ids`.
#[track_caller]
pub fn assert_answers_any(question: &str, ids: &[&str]) {
    match answer_id(question) {
        Ok(got) => assert!(
            ids.contains(&got.as_str()),
            "{question}: got {got}, want one of {ids:?}"
        ),
        Err(e) => panic!("expected one of {ids:?}, got no answer: {e}"),
    }
}

/// Asserts that `question` is declined.
#[track_caller]
pub fn assert_declined(question: &str) {
    let m = matcher();
    match m.ask(question) {
        Outcome::None(_) => {}
        other => panic!("{question}: expected a decline, got {other:?}"),
    }
}

/// A scratch corpus folder with a valid disclaimer and decline text, and `files` in it.
pub fn scratch_corpus(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("disclaimer.txt"), "仅供参考。").unwrap();
    std::fs::write(dir.path().join("decline.txt"), "这个问题我回答不了。").unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// A minimal valid entry as JSON, with the given id, question and alternates.
pub fn entry_json(id: &str, question: &str, alternates: &[&str]) -> String {
    serde_json::json!({
        "id": id,
        "question": question,
        "alternates": alternates,
        "category": "测试",
        "answer": "结论。\n\n内容。",
        "source": { "file": "seed.txt", "title": question, "date": "2025-03-30" }
    })
    .to_string()
}
