//! `factrules lint`: every check of the rule set, errors and warnings.

use super::{emit, Format, Workspace};
use crate::{rules_failure, Failure};
use factrules::inspect::lint::{lint, Severity};
use factrules::{report, RuleSet};

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The rules, and the articles dead rules are looked for in.
    #[command(flatten)]
    workspace: Workspace,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// Exit status 2 when there is an error; warnings only print.
pub(crate) fn run(args: Args) -> Result<u8, Failure> {
    let sources = RuleSet::read_sources(args.workspace.rules_dir()).map_err(rules_failure)?;
    let corpus = args.workspace.corpus()?;
    let lint = lint(sources, &corpus.articles);
    emit(args.format, &lint, report::lint_listing)?;
    Ok(if lint.count(Severity::Error) > 0 { 2 } else { 0 })
}
