//! `yibao-bot ask`: the engine on the command line. With `--json` and no question it
//! answers one question per stdin line with one JSON object per line, in order (the
//! contract `../shared/eval/score.py` relies on).

use std::io::{BufRead, Write};
use std::process::ExitCode;

use serde::Serialize;
use yibao_bot::{Hit, Matcher, Outcome, render};

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
    let suggestion = |h: &Hit| JsonSuggestion {
        id: &matcher.entry(h).id,
        question: &matcher.entry(h).question,
        score: rounded(h.score),
    };
    let value = match outcome {
        Outcome::Answer(hit) => {
            let entry = matcher.entry(hit);
            let section = matcher.section(hit);
            JsonAnswer {
                status: "answer",
                id: Some(&entry.id),
                question: Some(&entry.question),
                section: section.map(|s| JsonSection {
                    id: &s.id,
                    title: &s.title,
                }),
                score: Some(rounded(hit.score)),
                answer: Some(section.map_or(&entry.answer, |s| &s.answer)),
                suggestions: Vec::new(),
            }
        }
        Outcome::Suggest(hits) => JsonAnswer {
            status: "suggest",
            id: None,
            question: None,
            section: None,
            score: hits.first().map(|h| rounded(h.score)),
            answer: None,
            suggestions: hits.iter().map(suggestion).collect(),
        },
        Outcome::None { best, .. } => JsonAnswer {
            status: "none",
            id: None,
            question: None,
            section: None,
            score: best.map(|h| rounded(h.score)),
            answer: None,
            suggestions: Vec::new(),
        },
    };
    serde_json::to_string(&value).expect("plain data serialises")
}

pub fn run(args: AskArgs) -> anyhow::Result<ExitCode> {
    let matcher = args.faq.load()?;
    let reply = |q: &str| {
        let outcome = matcher.ask(q);
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
    let mut out = std::io::stdout().lock();
    match &args.question {
        Some(q) => writeln!(out, "{}", reply(q))?,
        None => {
            for (i, line) in std::io::stdin().lock().lines().enumerate() {
                let line = line?;
                if !args.json && i > 0 {
                    writeln!(out, "\n――――――――")?;
                }
                writeln!(out, "{}", reply(&line))?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// How the engine read `q` and what it ranked highest, for corpus maintainers.
fn explain(matcher: &Matcher, q: &str) -> String {
    let a = matcher.analyze(q);
    let mut out = format!(
        "words: {}\nplaces: {:?}  years: {:?}\nranking:\n",
        a.words.join(" "),
        a.places,
        a.years
    );
    for hit in matcher.rank(q).iter().take(5) {
        out.push_str(&format!(
            "  {:.3}  {}  {}\n",
            hit.score,
            matcher.entry(hit).id,
            render::title(matcher, hit)
        ));
    }
    out
}
