//! `factrules lint`: every check of the rule set, errors and warnings.

use std::path::PathBuf;

use super::{emit, Format};
use crate::{bundled, rules_failure, Failure};
use factrules::inspect::lint::{lint, Severity};
use factrules::{report, Corpus, RuleSet};

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Folder of rule files [default: ./rules, else the bundled rules].
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Folder of articles dead rules are looked for in [default: ./corpus, else the bundled corpus].
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// Exit status 2 when there is an error; warnings only print.
pub(crate) fn run(args: Args) -> Result<u8, Failure> {
    let sources = RuleSet::read_sources(args.rules.unwrap_or_else(|| bundled("rules"))).map_err(rules_failure)?;
    let corpus = Corpus::load(&[args.corpus.unwrap_or_else(|| bundled("corpus"))])?;
    let lint = lint(sources, &corpus.articles);
    emit(args.format, &lint, report::lint_listing)?;
    Ok(if lint.count(Severity::Error) > 0 { 2 } else { 0 })
}
