//! Answer-quality floors on labelled questions written as users ask (our own set, and the
//! shared dev set when it is beside the project). These are the numbers that must not
//! regress when the corpus or the matcher changes.

use std::path::Path;

use yibao_bot::Hit;
use yibao_bot::calibrate::{Metrics, Ranked, parse};

use crate::common::matcher;

fn metrics_on(path: &Path) -> Metrics {
    let m = matcher();
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let set = parse(&text, m.corpus()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Ranked::new(m, &set).metrics(&m.thresholds)
}

#[test]
fn our_labelled_questions_meet_the_floors() {
    for (file, min_in_scope, min_oos) in [
        ("labelled.tsv", 250, 80),
        ("labelled-2.tsv", 140, 40),
        ("labelled-3.tsv", 140, 40),
        ("labelled-4.tsv", 140, 45),
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(file);
        let m = metrics_on(&path);
        println!("tests/data/{file}: {m}");
        assert!(
            m.in_scope >= min_in_scope && m.out_of_scope >= min_oos,
            "{file}: {m}"
        );
        assert!(m.top1_rate() >= 0.90, "{file}: {m}");
        assert!(m.top3_rate() >= 0.93, "{file}: {m}");
        assert!(m.wrong_rate() <= 0.02, "{file}: {m}");
        assert!(m.reject_rate() >= 0.95, "{file}: {m}");
    }
}

/// Chat-style questions (long, colloquial, places in roles, negation, keywords, near
/// misses): floors below the FAQ-style sets', which guard against regressions.
#[test]
fn chat_style_questions_meet_their_floors() {
    // (file, in scope, out of scope, declined at least); labelled-chat-3, -5, -6 and -7 were
    // held out, each scored only, until they were read for errors; labelled-chat-8 is held
    // out now (their headers have the figures).
    for (file, min_in_scope, min_oos, min_reject) in [
        ("labelled-chat.tsv", 200, 70, 0.78),
        ("labelled-chat-2.tsv", 200, 70, 0.78),
        ("labelled-chat-3.tsv", 150, 50, 0.70),
        ("labelled-chat-4.tsv", 170, 50, 0.90),
        ("labelled-chat-5.tsv", 170, 50, 0.90),
        ("labelled-chat-6.tsv", 180, 60, 0.85),
        ("labelled-chat-7.tsv", 200, 60, 0.90),
        ("labelled-chat-8.tsv", 200, 60, 0.90),
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(file);
        let m = metrics_on(&path);
        println!("tests/data/{file}: {m}");
        assert!(
            m.in_scope >= min_in_scope && m.out_of_scope >= min_oos,
            "{file}: {m}"
        );
        assert!(m.top1_rate() >= 0.55, "{file}: {m}");
        assert!(m.top3_rate() >= 0.65, "{file}: {m}");
        assert!(m.wrong_rate() <= 0.03, "{file}: {m}");
        assert!(m.reject_rate() >= min_reject, "{file}: {m}");
    }
}

#[test]
fn the_shared_dev_set_meets_the_bar() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/dev.tsv");
    if !path.exists() {
        println!("skipped: {} is not beside the project", path.display());
        return;
    }
    let m = metrics_on(&path);
    println!("../shared/eval/dev.tsv: {m}");
    assert!(m.top1_rate() >= 0.95, "{m}");
    assert!(m.reject_rate() >= 0.95, "{m}");
    assert!(m.wrong_rate() <= 0.02, "{m}");
}

#[test]
fn every_entry_answers_its_own_question_and_alternates() {
    let m = matcher();
    let mut misses = Vec::new();
    let mut total = 0;
    for (i, entry) in m.corpus().entries.iter().enumerate() {
        for q in std::iter::once(&entry.question).chain(&entry.alternates) {
            total += 1;
            match m.ask(q) {
                yibao_bot::Outcome::Answer(hit) if hit.entry == i => {}
                other => misses.push(format!("{} / {q}: {other:?}", entry.id)),
            }
        }
    }
    // Near twins may tie on a phrasing they share in spirit; almost all must self-answer.
    let rate = 1.0 - misses.len() as f64 / total as f64;
    assert!(
        rate >= 0.95,
        "{:.3} of {total}; misses:\n{}",
        rate,
        misses.join("\n")
    );
}

#[test]
fn the_shipped_corpus_follows_its_own_writing_rules() {
    let corpus = matcher().corpus();
    assert!(corpus.entries.len() >= 65, "{}", corpus.entries.len());
    for (i, e) in corpus.entries.iter().enumerate() {
        assert!(
            e.alternates.len() >= 8,
            "{} has {} alternates",
            e.id,
            e.alternates.len()
        );
        assert!(!corpus.view(&Hit::whole(i)).content.is_empty(), "{}", e.id);
    }
    assert!(
        corpus
            .entries
            .iter()
            .filter(|e| !e.sections.is_empty())
            .count()
            >= 5
    );
    assert!(corpus.disclaimer.contains("12393"));
}
