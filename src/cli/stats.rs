//! `factrules stats`: per-rule statistics over the corpus.

use std::path::PathBuf;

use super::{emit, Format, Inputs};
use crate::{load_rules, Failure};
use factrules::inspect::stats::stats;
use factrules::report;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Folder of rule files [default: ./rules, else the bundled rules].
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    #[command(flatten)]
    inputs: Inputs,
    /// Timed passes of each rule (compiled alone) for the time shares.
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub(crate) fn run(args: Args) -> Result<u8, Failure> {
    let rules = load_rules(args.rules)?;
    let corpus = args.inputs.corpus()?;
    let goldens = args.inputs.goldens(&corpus)?;
    let stats = stats(&rules, &corpus.articles, &goldens, args.rounds).map_err(crate::rules_failure)?;
    emit(args.format, &stats, report::stats_table)?;
    Ok(0)
}
