//! Reports: accuracy tables for people and JSON for scripts.
//!
//! Reports: accuracy tables for people and JSON for scripts.
//!
//! Reports only format what evaluation and inspection computed; they
//! decide nothing.

mod compare;
mod explain;
mod lint;
mod profile;
mod stats;
mod table;

pub use compare::compare_table;
pub use explain::explain_table;
pub use lint::lint_listing;
pub use profile::profile_table;
pub use stats::stats_table;

use std::fmt::Write;

use crate::eval::{ArticleScore, Counts, Score, Status};
use crate::fact::Kind;

/// The accuracy table of a score: for each group of articles (all, each
/// split, each language), precision, recall and F1 per kind, with the counts
/// behind them. Known misses and known false positives are included in the
/// scores and also shown apart.
pub fn accuracy_table(score: &Score) -> String {
    let mut out = String::new();
    let n = score.articles.len();
    let _ = writeln!(
        out,
        "Accuracy over {n} article{} (facts compared by kind, value and attributes)",
        if n == 1 { "" } else { "s" }
    );
    header(&mut out, "group");
    for group in score.groups() {
        let Some(kinds) = score.group(group) else { continue };
        let label = format!("{group} ({})", score.members(group).len());
        rows(&mut out, &label, &kinds);
    }
    out
}

/// Per-article rows: one block per article.
pub fn article_table(score: &Score) -> String {
    let mut out = String::new();
    header(&mut out, "article");
    for a in &score.articles {
        rows(&mut out, &format!("{} [{} {}]", a.article, a.language, a.split), &a.kinds);
    }
    out
}

/// Every disagreement between the rules and the goldens, unexpected first.
pub fn disagreements(score: &Score, include_known: bool) -> String {
    let mut out = String::new();
    for a in &score.articles {
        let list: Vec<_> = a.disagreements.iter().filter(|d| include_known || !d.known).collect();
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{}:", a.article);
        for d in list {
            let what = match (d.status, d.known) {
                (Status::Missed, true) => "known miss",
                (Status::Missed, false) => "MISSED",
                (Status::FalsePositive, _) => "known false positive",
                (Status::Unverified, _) => "UNVERIFIED (not in golden)",
            };
            let _ = writeln!(out, "  {what:<26} {}  {:?}", d.fact, d.mentions);
        }
    }
    out
}

fn header(out: &mut String, first: &str) {
    let _ = writeln!(
        out,
        "{first:<34} {:<9} {:>6} {:>6} {:>6} {:>4} {:>4} {:>4}  {:>8} {:>8}",
        "kind", "P", "R", "F1", "TP", "FP", "FN", "known FP", "known FN"
    );
}

fn rows(out: &mut String, label: &str, kinds: &std::collections::BTreeMap<Kind, Counts>) {
    let mut total = Counts::default();
    for kind in Kind::ALL {
        let c = kinds.get(&kind).copied().unwrap_or_default();
        row(out, label, kind.as_str(), &c);
        total.add(&c);
    }
    row(out, label, "all kinds", &total);
}

fn row(out: &mut String, label: &str, kind: &str, c: &Counts) {
    let _ = writeln!(
        out,
        "{label:<34} {kind:<9} {:>6.3} {:>6.3} {:>6.3} {:>4} {:>4} {:>4}  {:>8} {:>8}",
        c.precision(),
        c.recall(),
        c.f1(),
        c.tp,
        c.fp,
        c.fn_,
        c.known_fp,
        c.known_fn
    );
}

/// What a change does to one article: P/R/F1 per kind as the golden records
/// them and as the rules now score, for the person about to review a golden.
pub fn review_summary(recorded: &ArticleScore, now: &ArticleScore) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\n{}: the rules now disagree with the golden", now.article);
    let _ = writeln!(out, "  {:<9} {:>15} {:>15} {:>15}", "kind", "P golden->now", "R golden->now", "F1 golden->now");
    for kind in Kind::ALL {
        let (a, b) =
            (recorded.kinds.get(&kind).copied().unwrap_or_default(), now.kinds.get(&kind).copied().unwrap_or_default());
        if a == b {
            continue;
        }
        let _ = writeln!(
            out,
            "  {:<9} {:>6.3}->{:<6.3} {:>6.3}->{:<6.3} {:>6.3}->{:<6.3}",
            kind.as_str(),
            a.precision(),
            b.precision(),
            a.recall(),
            b.recall(),
            a.f1(),
            b.f1()
        );
    }
    for d in now.disagreements.iter().filter(|d| !d.known) {
        let what = match d.status {
            Status::Missed => "lost (now missed)",
            Status::FalsePositive | Status::Unverified => "new, not in the golden",
        };
        let _ = writeln!(out, "  {what:<24} {}  {:?}", d.fact, d.mentions);
    }
    let _ = writeln!(out, "  Accepting the new snapshot records the change; rejecting it keeps the golden.");
    out
}
