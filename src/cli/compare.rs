//! `factrules compare [BASE] [HEAD]`: what a rule change did.

use super::{emit, revision, Format, Goldens, Workspace};
use crate::Failure;
use factrules::inspect::compare::{compare, Options, Side};
use factrules::report;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The base rules: a folder, or a git revision of the rules folder (read from its
    /// repository at its path) [default: HEAD].
    #[arg(value_name = "BASE")]
    base: Option<String>,
    /// The head rules: a folder, or a git revision [default: the rules folder as it is].
    #[arg(value_name = "HEAD")]
    head: Option<String>,
    /// The rules folder (the default head, and where revisions are read from), and the articles.
    #[command(flatten)]
    workspace: Workspace,
    #[command(flatten)]
    goldens: Goldens,
    /// Bootstrap resamples per confidence interval.
    #[arg(long, default_value_t = Options::default().resamples)]
    resamples: usize,
    /// Seed of the bootstrap's draws: the same seed prints the same intervals.
    #[arg(long, default_value_t = Options::default().seed)]
    seed: u64,
    /// Timed passes of each rule set over the corpus, interleaved.
    #[arg(long, default_value_t = Options::default().rounds)]
    rounds: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// Exit status 1 when some F1 dropped, so the command can gate a commit.
pub(crate) fn run(args: Args) -> Result<u8, Failure> {
    let rules_dir = args.workspace.rules_dir();
    let base_spec = args.base.as_deref().unwrap_or("HEAD");
    let (base_label, base) = revision::load(base_spec, &rules_dir)?;
    let (head_label, head) = match &args.head {
        Some(spec) => revision::load(spec, &rules_dir)?,
        None => {
            let (label, set) = revision::load(&rules_dir.display().to_string(), &rules_dir)?;
            (format!("{label} (working tree)"), set)
        }
    };
    let corpus = args.workspace.corpus()?;
    let goldens = args.goldens.read(&corpus)?;
    let options = Options { resamples: args.resamples.max(1), seed: args.seed, rounds: args.rounds.max(1) };
    let comparison = compare(
        Side { label: &base_label, rules: &base },
        Side { label: &head_label, rules: &head },
        &corpus.articles,
        &goldens,
        &options,
    );
    emit(args.format, &comparison, report::compare_table)?;
    Ok(u8::from(comparison.regressed))
}
