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
use table::{Align, Table};

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

/// What a change does to one article, for the person about to review its
/// golden: per kind, P/R/F1 as the golden records them and as the rules now
/// score (accepting makes the second the recorded one), and in words what
/// accepting writes into the golden; then the facts themselves.
pub fn review_summary(recorded: &ArticleScore, now: &ArticleScore) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\n{}: the rules now disagree with the golden. Accepting the new snapshot:", now.article);
    let mut t = Table::new(&[
        ("kind", Align::Left),
        ("P golden -> now", Align::Left),
        ("R golden -> now", Align::Left),
        ("F1 golden -> now", Align::Left),
        ("accepting records", Align::Left),
    ]);
    for kind in Kind::ALL {
        let (a, b) =
            (recorded.kinds.get(&kind).copied().unwrap_or_default(), now.kinds.get(&kind).copied().unwrap_or_default());
        if a == b {
            continue;
        }
        t.row(vec![
            kind.as_str().into(),
            table::score_change(a.precision(), b.precision()),
            table::score_change(a.recall(), b.recall()),
            table::score_change(a.f1(), b.f1()),
            accepting(&a, &b),
        ]);
    }
    t.render(&mut out, "  ");
    for d in now.disagreements.iter().filter(|d| !d.known) {
        let what = match d.status {
            Status::Missed => "lost (becomes a known miss)",
            Status::FalsePositive | Status::Unverified => "new (arrives unverified)",
        };
        let _ = writeln!(out, "  {what:<28} {}  {:?}", d.fact, d.mentions);
    }
    let _ = writeln!(out, "  Read the article before accepting; rejecting keeps the golden as it is.");
    if now.disagreements.iter().any(|d| d.status == Status::Unverified) {
        let _ = writeln!(
            out,
            "  After accepting, judge each unverified fact: delete the status of a true one, write `false_positive` for a wrong one."
        );
    }
    out
}

/// What accepting a snapshot writes into the golden for one kind, from the
/// counts the golden records (`was`) and the rules' counts against it (`now`).
fn accepting(was: &Counts, now: &Counts) -> String {
    let mut parts = Vec::new();
    let mut say = |n: usize, one: &str, many: &str| {
        if n > 0 {
            parts.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    };
    say(now.fn_ - now.known_fn, "true fact lost, kept as a known miss", "true facts lost, kept as known misses");
    say(
        was.fn_.saturating_sub(now.known_fn),
        "known miss now found, marked true",
        "known misses now found, marked true",
    );
    say(
        now.unverified.saturating_sub(was.unverified),
        "new fact, unverified until judged (the test fails until then)",
        "new facts, unverified until judged (the test fails until then)",
    );
    say(
        was.known_fp.saturating_sub(now.known_fp),
        "known false positive no longer found, dropped",
        "known false positives no longer found, dropped",
    );
    if parts.is_empty() {
        "the new scores".into()
    } else {
        parts.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Language, Split};
    use crate::eval::Disagreement;
    use crate::fact::{FactKey, Value};

    fn score(kinds: &[(Kind, Counts)], disagreements: Vec<Disagreement>) -> ArticleScore {
        ArticleScore {
            article: "a".into(),
            language: Language::En,
            split: Split::Dev,
            kinds: kinds.iter().copied().collect(),
            disagreements,
        }
    }

    #[test]
    fn review_summary_says_per_kind_what_accepting_records() {
        let was_dates = Counts { tp: 2, fn_: 1, known_fn: 1, ..Counts::default() };
        let now_dates = Counts { tp: 3, ..Counts::default() };
        let was_places = Counts { tp: 4, ..Counts::default() };
        let now_places = Counts { tp: 3, fp: 1, fn_: 1, unverified: 1, ..Counts::default() };
        let lost = Disagreement {
            fact: FactKey::new(Kind::Location, Value::Text("Moscow".into())),
            status: Status::Missed,
            known: false,
            mentions: vec!["Moskva".into()],
        };
        let was = score(&[(Kind::Date, was_dates), (Kind::Location, was_places)], vec![]);
        let now = score(&[(Kind::Date, now_dates), (Kind::Location, now_places)], vec![lost]);
        let text = review_summary(&was, &now);
        let line = |kind: &str| text.lines().find(|l| l.trim_start().starts_with(kind)).unwrap_or_default().to_string();
        assert!(line("date").contains("1 known miss now found, marked true"), "{text}");
        assert!(line("date").contains("0.667 -> 1.000"), "recall golden -> now:\n{text}");
        assert!(line("location").contains("1 true fact lost, kept as a known miss"), "{text}");
        assert!(line("location").contains("1 new fact, unverified until judged"), "{text}");
        assert!(!text.contains("envoy"), "unchanged kinds are left out:\n{text}");
        assert!(text.contains("lost (becomes a known miss)") && text.contains("location Moscow"), "{text}");
    }
}
