//! `yibao-bot calibrate`: measures answer quality on labelled questions and searches the
//! thresholds that do best on them.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use yibao_bot::calibrate::{Ranked, parse};

use super::FaqArg;

#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    #[command(flatten)]
    faq: FaqArg,
    /// Labelled questions (TSV: expected<TAB>question); may be given more than once
    #[arg(long = "set", value_name = "FILE", required = true)]
    sets: Vec<PathBuf>,
    /// Also list every question the current thresholds get wrong or miss
    #[arg(long)]
    errors: bool,
    /// Also search the score's weights, on every other question (the rest check it)
    #[arg(long)]
    weights: bool,
}

pub fn run(args: CalibrateArgs) -> anyhow::Result<ExitCode> {
    let mut matcher = args.faq.load()?;
    let mut set = Vec::new();
    for path in &args.sets {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        set.extend(parse(&text, matcher.corpus()).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?);
    }
    let ranked = Ranked::new(&matcher, &set);
    if args.errors {
        for line in ranked.errors(&matcher, &set) {
            println!("{line}");
        }
    }
    println!("current  {:?}\n         {}", matcher.thresholds, ranked.metrics(&matcher.thresholds));
    let (best, metrics) = ranked.best_thresholds();
    println!("best     {best:?}\n         {metrics}");
    if args.weights {
        let (tune, check): (Vec<_>, Vec<_>) = set.iter().cloned().enumerate().partition(|(i, _)| i % 2 == 0);
        let tune: Vec<_> = tune.into_iter().map(|(_, l)| l).collect();
        let check: Vec<_> = check.into_iter().map(|(_, l)| l).collect();
        let (weights, log) = yibao_bot::calibrate::tune_weights(&mut matcher, &tune, &check);
        for line in log {
            println!("{line}");
        }
        println!("weights  {weights:?}");
        let ranked = Ranked::new(&matcher, &set);
        let (best, metrics) = ranked.best_thresholds();
        println!("with them, on the whole set: {best:?}\n         {metrics}");
    }
    Ok(ExitCode::SUCCESS)
}
