//! `factrules profile`: time per rule file and per rule.

use super::{emit, Format, Workspace};
use crate::Failure;
use factrules::inspect::profile::profile;
use factrules::report;

#[derive(clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    workspace: Workspace,
    /// Timed passes of each part; every time shown is their median.
    #[arg(long, default_value_t = 10)]
    rounds: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub(crate) fn run(args: Args) -> Result<u8, Failure> {
    let rules = args.workspace.rules()?;
    let corpus = args.workspace.corpus()?;
    let profile = profile(&rules, &corpus.articles, args.rounds).map_err(crate::rules_failure)?;
    emit(args.format, &profile, report::profile_table)?;
    Ok(0)
}
