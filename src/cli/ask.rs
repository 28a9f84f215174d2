//! `yibao-bot ask`: the engine on the command line. With `--json` and no question it
//! answers one question per stdin line with one JSON object per line, in order (the
//! contract `../shared/eval/score.py` relies on).

use std::io::{BufRead, Write};
use std::process::ExitCode;

use serde::Serialize;
use yibao_bot::{Decline, Hit, Matcher, Outcome, Shape, render};

use super::FaqArg;

#[derive(Debug, clap::Args)]
pub struct AskArgs {
    #[command(flatten)]
    faq: FaqArg,
    /// Print one JSON object per question
    #[arg(long)]
    json: bool,
    /// Also show how the question was read and the best-scoring entries
    #[arg(long, conflicts_with = "json")]
    explain: bool,
    /// Read the question as a follow-up of the answer to entry ID (as the bot reads a
    /// reply to one of its answers)
    #[arg(long, value_name = "ID")]
    after: Option<String>,
    /// The question; without it, questions are read from stdin, one per line
    question: Option<String>,
}

#[derive(Serialize)]
struct JsonAnswer<'a> {
    status: &'static str,
    id: Option<&'a str>,
    question: Option<&'a str>,
    section: Option<JsonSection<'a>>,
    score: Option<f32>,
    answer: Option<&'a str>,
    suggestions: Vec<JsonSuggestion<'a>>,
}

#[derive(Serialize)]
struct JsonSection<'a> {
    id: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct JsonSuggestion<'a> {
    id: &'a str,
    question: &'a str,
    score: f32,
}

fn json_line(matcher: &Matcher, outcome: &Outcome) -> String {
    let rounded = |s: f32| (s * 1000.0).round() / 1000.0;
    let suggestion = |h: &Hit| {
        let entry = matcher.view(h).entry;
        JsonSuggestion {
            id: &entry.id,
            question: &entry.question,
            score: rounded(h.score),
        }
    };
    let value = match outcome {
        Outcome::Answer(hit) => {
            let view = matcher.view(hit);
            JsonAnswer {
                status: "answer",
                id: Some(&view.entry.id),
                question: Some(view.heading),
                section: view.section.map(|s| JsonSection {
                    id: &s.id,
                    title: &s.title,
                }),
                score: Some(rounded(hit.score)),
                answer: Some(view.answer),
                suggestions: Vec::new(),
            }
        }
        // A topic's entries are choices too: `suggest`, with them as the suggestions.
        Outcome::Suggest(hits) | Outcome::Topic { entries: hits, .. } => JsonAnswer {
            status: "suggest",
            id: None,
            question: None,
            section: None,
            score: hits.first().map(|h| rounded(h.score)),
            answer: None,
            suggestions: hits.iter().map(suggestion).collect(),
        },
        Outcome::None(decline) => JsonAnswer {
            status: "none",
            id: None,
            question: None,
            section: None,
            score: match decline {
                Decline::NotCovered { best: Some(h) } => Some(rounded(h.score)),
                _ => None,
            },
            answer: None,
            suggestions: Vec::new(),
        },
    };
    serde_json::to_string(&value).expect("plain data serialises")
}

pub fn run(args: AskArgs) -> anyhow::Result<ExitCode> {
    let matcher = args.faq.load()?;
    let after = match &args.after {
        Some(id) => match matcher.corpus().index_of(id) {
            Some(entry) => Some(entry),
            None => anyhow::bail!("no entry with id \"{id}\" (--after)"),
        },
        None => None,
    };
    let reply = |q: &str| {
        let outcome = match after {
            Some(entry) => matcher.ask_after(q, entry),
            None => matcher.ask(q),
        };
        if args.json {
            json_line(&matcher, &outcome)
        } else if args.explain {
            format!(
                "{}\n{}",
                explain(&matcher, q),
                render::plain(&matcher, &outcome)
            )
        } else {
            render::plain(&matcher, &outcome)
        }
    };
    // Buffered: a batch of questions is answered in big writes, not a write per line;
    // whoever waits for an answer before sending the next question (a person typing, a
    // program in lockstep) gets it as soon as no further question is at hand.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match &args.question {
        Some(q) => writeln!(out, "{}", reply(q))?,
        None => {
            // Bytes, not lines of UTF-8: one bad line must not end the batch (its
            // invalid bytes become U+FFFD), and every line gets its one answer.
            let mut stdin = std::io::BufReader::with_capacity(1 << 16, std::io::stdin().lock());
            let mut buf = Vec::new();
            let mut first = true;
            while stdin.read_until(b'\n', &mut buf)? > 0 {
                let line = String::from_utf8_lossy(&buf);
                let line = line.trim_end_matches(['\n', '\r']);
                if !args.json && !first {
                    writeln!(out, "\n――――――――")?;
                }
                writeln!(out, "{}", reply(line))?;
                if stdin.buffer().is_empty() {
                    out.flush()?;
                }
                first = false;
                buf.clear();
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// How the engine read `q` and what it ranked highest, for corpus maintainers.
fn explain(matcher: &Matcher, q: &str) -> String {
    let a = matcher.analyze(q);
    let places: Vec<String> = a
        .places
        .iter()
        .map(|p| match p.role {
            Some(role) => format!("{} ({})", p.name, role.name()),
            None => p.name.clone(),
        })
        .collect();
    let negated: Vec<&str> = a.negated().collect();
    let mut out = format!(
        "words: {}\nnegated: {}\nplaces: {}{}\nyears: {:?}\n",
        a.words.join(" "),
        if negated.is_empty() {
            "-".to_string()
        } else {
            negated.join(" ")
        },
        if places.is_empty() {
            "-".to_string()
        } else {
            places.join(", ")
        },
        if a.elsewhere {
            "; elsewhere named (异地…)"
        } else {
            ""
        },
        a.years
    );
    for (i, sentence) in a.questions().iter().enumerate() {
        out.push_str(&format!("core {}: {}\n", i + 1, sentence.words.join(" ")));
    }
    let ranking = matcher.rank(q);
    if let Some(choice) = &ranking.topic {
        out.push_str(&format!(
            "topic: {}\n",
            matcher.corpus().topics[choice.topic].name
        ));
    }
    let t = &matcher.thresholds;
    match ranking.shape {
        Shape::Story => out.push_str(&format!(
            "story: answers from {:.2} with a lead of {:.2}, suggests from {:.2}\n",
            t.story_answer, t.story_margin, t.story_suggest
        )),
        // Keywords that name a topic get its choices, never an answer from lower.
        Shape::Keywords if ranking.topic.is_some() => out.push_str(&format!(
            "keywords: suggests from {:.2}\n",
            t.keyword_suggest
        )),
        Shape::Keywords => out.push_str(&format!(
            "keywords: answers from {:.2} with a lead of {:.2}, suggests from {:.2}\n",
            t.keyword_answer, t.keyword_margin, t.keyword_suggest
        )),
        Shape::PlacesApart => out.push_str(&format!(
            "places apart: suggests from {:.2}\n",
            t.story_suggest
        )),
        Shape::Question => {}
    }
    out.push_str("ranking:\n");
    for hit in ranking.hits.iter().take(5) {
        out.push_str(&format!(
            "  {:.3}  {}  {}\n",
            hit.score,
            matcher.view(hit).entry.id,
            render::title(matcher, hit)
        ));
    }
    out
}
