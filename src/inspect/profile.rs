//! Where the time of a rule set goes: per rule file and per rule.
//!
//! The rule set costs a fixed number of passes over a text however many
//! rules it has (one DFA for each kind's patterns, one automaton for all
//! gazetteers), so a rule's
//! cost cannot be read off a run of the whole set. Decision: each rule file
//! and each rule is compiled alone ([`RuleSet::subset`]) and timed over the
//! corpus; a set with no rules is timed too, and its time (reading the text,
//! normalising it, the engine's fixed costs) is taken off every part. What is
//! left is what the part costs on its own: its share of the DFA, the capture
//! runs of its matches, its gazetteer. Parts do not add up exactly to the
//! whole set, which shares one pass among them; their order is the answer
//! to "which rule is slow".

use serde::Serialize;
use std::path::{Path, PathBuf};

use super::sampling::{quantile, sorted};
use super::timing;
use crate::article::Article;
use crate::rules::{LoadError, RuleSet};

/// The time of a rule set, its files and its rules.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    /// Articles timed.
    pub articles: usize,
    /// Bytes of text in them.
    pub bytes: usize,
    /// Timed passes per part; every figure is the median of these.
    pub rounds: usize,
    /// Milliseconds per pass over the corpus of the whole rule set.
    pub whole_ms: f64,
    /// Throughput of the whole rule set, MiB/s on one thread.
    pub whole_mib_s: f64,
    /// Milliseconds per pass of a set with no rules, taken off every part.
    pub baseline_ms: f64,
    /// Rule files, slowest first.
    pub files: Vec<PartTime>,
    /// Rules, slowest first.
    pub rules: Vec<PartTime>,
}

/// The time of one rule file or one rule, compiled alone.
#[derive(Debug, Clone, Serialize)]
pub struct PartTime {
    /// The rule file, or the rule id.
    pub name: String,
    /// For a rule, its file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// How many rules the part has.
    pub rules: usize,
    /// Milliseconds per pass over the corpus, beyond the baseline.
    pub ms: f64,
    /// This part's share of the time of all parts of its table (0 to 1).
    pub share: f64,
}

/// Times the whole set, each rule file and each rule over `articles`.
///
/// Errors only if a part cannot be compiled alone, which a set that loaded
/// does not do.
pub fn profile(set: &RuleSet, articles: &[Article], rounds: usize) -> Result<Profile, LoadError> {
    let rounds = rounds.max(1);
    let mut files: Vec<PathBuf> = Vec::new();
    for file in set.rule_files() {
        if !files.iter().any(|f| f == file) {
            files.push(file.to_owned());
        }
    }
    let baseline = set.subset(|_, _| false)?;
    let file_sets = files.iter().map(|f| set.subset(|_, p| p == f)).collect::<Result<Vec<_>, _>>()?;
    let rule_sets = set.rules.iter().map(|r| set.subset(|id, _| id == r.id)).collect::<Result<Vec<_>, _>>()?;

    let mut all: Vec<&RuleSet> = vec![&baseline, set];
    all.extend(file_sets.iter());
    all.extend(rule_sets.iter());
    let medians: Vec<f64> =
        timing::interleaved(&all, articles, rounds).into_iter().map(|t| quantile(&sorted(t), 0.5) * 1000.0).collect();
    let (baseline_ms, whole_ms) = (medians[0], medians[1]);
    let beyond = |ms: f64| (ms - baseline_ms).max(0.0);

    let file_parts = files
        .iter()
        .zip(&medians[2..2 + files.len()])
        .zip(&file_sets)
        .map(|((f, &ms), s)| PartTime { name: display(f), file: None, rules: s.len(), ms: beyond(ms), share: 0.0 })
        .collect();
    let rule_parts = set
        .rules
        .iter()
        .zip(&medians[2 + files.len()..])
        .map(|(r, &ms)| PartTime {
            name: r.id.clone(),
            file: Some(display(&r.at.path)),
            rules: 1,
            ms: beyond(ms),
            share: 0.0,
        })
        .collect();
    let bytes = timing::bytes(articles);
    Ok(Profile {
        articles: articles.len(),
        bytes,
        rounds,
        whole_ms,
        whole_mib_s: timing::mib_per_s(bytes, whole_ms / 1000.0),
        baseline_ms,
        files: slowest_first(file_parts),
        rules: slowest_first(rule_parts),
    })
}

/// Sorts slowest first (ties by name, so the order is stable) and fills in shares.
fn slowest_first(mut parts: Vec<PartTime>) -> Vec<PartTime> {
    let total: f64 = parts.iter().map(|p| p.ms).sum();
    for p in &mut parts {
        p.share = if total > 0.0 { p.ms / total } else { 0.0 };
    }
    parts.sort_by(|a, b| b.ms.total_cmp(&a.ms).then_with(|| a.name.cmp(&b.name)));
    parts
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
