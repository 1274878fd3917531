//! `factrules stats`: per-rule statistics over the corpus.

use super::{emit, Format, Goldens, Workspace};
use crate::Failure;
use factrules::inspect::stats::stats;
use factrules::report;

#[derive(clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    workspace: Workspace,
    #[command(flatten)]
    goldens: Goldens,
    /// Timed passes of each rule (compiled alone) for the time shares.
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub(crate) fn run(args: Args) -> Result<u8, Failure> {
    let rules = args.workspace.rules()?;
    let corpus = args.workspace.corpus()?;
    let goldens = args.goldens.read(&corpus)?;
    let stats = stats(&rules, &corpus.articles, &goldens, args.rounds).map_err(crate::rules_failure)?;
    emit(args.format, &stats, report::stats_table)?;
    Ok(0)
}
