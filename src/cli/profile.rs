//! `factrules profile`: time per rule file and per rule.

use std::path::PathBuf;

use super::{emit, Format};
use crate::{bundled, load_rules, Failure};
use factrules::inspect::profile::profile;
use factrules::{report, Corpus};

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Folder of rule files [default: ./rules, else the bundled rules].
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Folder of articles [default: ./corpus, else the bundled corpus].
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// Timed passes of each part; every time shown is their median.
    #[arg(long, default_value_t = 10)]
    rounds: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub(crate) fn run(args: Args) -> Result<u8, Failure> {
    let rules = load_rules(args.rules)?;
    let corpus = Corpus::load(&[args.corpus.unwrap_or_else(|| bundled("corpus"))])?;
    let profile = profile(&rules, &corpus.articles, args.rounds).map_err(crate::rules_failure)?;
    emit(args.format, &profile, report::profile_table)?;
    Ok(0)
}
