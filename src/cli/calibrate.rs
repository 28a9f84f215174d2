//! `yibao-bot calibrate`: measures answer quality on labelled questions and searches the
//! thresholds (and, on request, the score's weights) that do best on them.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, anyhow, bail};
use yibao_bot::Thresholds;
use yibao_bot::calibrate::{Labelled, Ranked, parse, set_weight, tune_weights};

use super::FaqArg;

#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    #[command(flatten)]
    faq: FaqArg,
    /// Labelled questions to calibrate on (TSV: expected<TAB>question); repeatable
    #[arg(long = "set", value_name = "FILE", required = true)]
    sets: Vec<PathBuf>,
    /// Labelled questions only to report on, never to calibrate on; repeatable
    #[arg(long = "check", value_name = "FILE")]
    checks: Vec<PathBuf>,
    /// Measure these thresholds instead of the built-in ones: answer,margin,sure,suggest (and, for messages that tell a story, story_answer,story_margin,story_suggest; and, for keywords only, keyword_suggest then keyword_answer,keyword_margin); thresholds left out take the common ones (answer, margin, suggest), which turns the story and keyword rules off
    #[arg(long = "try", value_name = "A,M,S,G[,SA,SM,SG[,KS[,KA,KM]]]", value_parser = parse_thresholds)]
    try_thresholds: Option<Thresholds>,
    /// Measure with this weight changed (a name `--weights` reports, e.g. context=0.5);
    /// repeatable
    #[arg(long = "weight", value_name = "NAME=VALUE")]
    try_weights: Vec<String>,
    /// List every question of the --set files the thresholds get wrong or miss
    #[arg(long)]
    errors: bool,
    /// Also search the score's weights, on every other question (the rest check it)
    #[arg(long)]
    weights: bool,
}

fn parse_thresholds(s: &str) -> Result<Thresholds, String> {
    let v: Vec<f32> = s
        .split(',')
        .map(|x| x.trim().parse::<f32>().map_err(|e| format!("\"{x}\": {e}")))
        .collect::<Result<_, _>>()?;
    let wrong = || {
        "expected four numbers (answer,margin,sure,suggest), seven \
         (…,story_answer,story_margin,story_suggest), eight (…,keyword_suggest) or ten \
         (…,keyword_answer,keyword_margin)"
            .to_string()
    };
    let (plain, rest) = v.split_at(v.len().min(4));
    let [answer, margin, sure, suggest] = plain[..] else {
        return Err(wrong());
    };
    let mut t = Thresholds::plain(answer, margin, sure, suggest);
    match rest {
        [] => {}
        [story_answer, story_margin, story_suggest, keyword @ ..] => {
            (t.story_answer, t.story_margin, t.story_suggest) =
                (*story_answer, *story_margin, *story_suggest);
            match keyword {
                [] => {}
                [ks] => t.keyword_suggest = *ks,
                [ks, ka, km] => {
                    (t.keyword_suggest, t.keyword_answer, t.keyword_margin) = (*ks, *ka, *km)
                }
                _ => return Err(wrong()),
            }
        }
        _ => return Err(wrong()),
    }
    Ok(t)
}

/// Reads labelled sets; their questions are tagged with their set's number, counted from
/// `first` (so that every set weighs alike in calibration).
fn read_sets(
    paths: &[PathBuf],
    corpus: &yibao_bot::Corpus,
    first: usize,
) -> anyhow::Result<Vec<(String, Vec<Labelled>)>> {
    paths
        .iter()
        .enumerate()
        .map(|(i, path)| {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let mut set = parse(&text, corpus).map_err(|e| anyhow!("{}: {e}", path.display()))?;
            for l in &mut set {
                l.set = first + i;
            }
            Ok((path.display().to_string(), set))
        })
        .collect()
}

pub fn run(args: CalibrateArgs) -> anyhow::Result<ExitCode> {
    let mut matcher = args.faq.load()?;
    if let Some(t) = args.try_thresholds {
        matcher.thresholds = t;
    }
    for setting in &args.try_weights {
        let (name, value) = setting
            .split_once('=')
            .and_then(|(n, v)| Some((n.trim(), v.trim().parse::<f32>().ok()?)))
            .ok_or_else(|| anyhow!("--weight {setting}: expected NAME=VALUE"))?;
        if !set_weight(&mut matcher.weights, name, value) {
            bail!("--weight {setting}: no weight called \"{name}\"");
        }
    }
    let sets = read_sets(&args.sets, matcher.corpus(), 0)?;
    let checks = read_sets(&args.checks, matcher.corpus(), args.sets.len())?;
    let mut out = std::io::stdout().lock();
    let report = |out: &mut dyn Write, matcher: &yibao_bot::Matcher, t: &Thresholds| {
        for (name, set) in sets.iter().chain(&checks) {
            let ranked = Ranked::new(matcher, set);
            writeln!(out, "  {name}: {}", ranked.metrics(t))?;
            writeln!(out, "    {}", ranked.unprompted(t))?;
        }
        std::io::Result::Ok(())
    };
    writeln!(out, "thresholds {:?}", matcher.thresholds)?;
    report(&mut out, &matcher, &matcher.thresholds)?;

    let all: Vec<Labelled> = sets.iter().flat_map(|(_, s)| s.iter().cloned()).collect();
    if args.errors {
        for line in Ranked::new(&matcher, &all).errors(&matcher, &all) {
            writeln!(out, "{line}")?;
        }
    }
    let ranked = Ranked::new(&matcher, &all);
    let (best, objective) = ranked.best_thresholds();
    writeln!(
        out,
        "best on --set: {best:?}  (objective {objective:.3}; {})",
        ranked.metrics(&best)
    )?;
    report(&mut out, &matcher, &best)?;

    if args.weights {
        let (tune, check): (Vec<_>, Vec<_>) =
            all.into_iter().enumerate().partition(|(i, _)| i % 2 == 0);
        let tune: Vec<_> = tune.into_iter().map(|(_, l)| l).collect();
        let check: Vec<_> = check.into_iter().map(|(_, l)| l).collect();
        let (weights, log) = tune_weights(&mut matcher, &tune, &check);
        for line in log {
            writeln!(out, "{line}")?;
        }
        writeln!(out, "weights {weights:?}")?;
        let both: Vec<Labelled> = tune.into_iter().chain(check).collect();
        let ranked = Ranked::new(&matcher, &both);
        let (best, objective) = ranked.best_thresholds();
        writeln!(
            out,
            "with them, best on --set: {best:?}  (objective {objective:.3}; {})",
            ranked.metrics(&best)
        )?;
        report(&mut out, &matcher, &best)?;
    }
    Ok(ExitCode::SUCCESS)
}
