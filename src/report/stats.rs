//! The tables of `factrules stats`.

use std::fmt::Write;

use super::table::{percent, points, score, Align, Table};
use crate::inspect::stats::Stats;

/// One row per rule, then the rules that contribute nothing, then the pairs
/// of rules whose matches overlap.
pub fn stats_table(s: &Stats) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} rules over {} articles ({} with goldens); F1 over all kinds {}",
        s.rules.len(),
        s.articles,
        s.judged,
        score(s.f1)
    );
    let _ = writeln!(
        out,
        "worth: F1 points lost without the rule (leave one out). time: share of the time of all rules, each compiled alone ({} rounds).",
        s.rounds
    );
    let mut t = Table::new(&[
        ("rule", Align::Left),
        ("kind", Align::Left),
        ("matches", Align::Right),
        ("kept", Align::Right),
        ("lost", Align::Right),
        ("rejected", Align::Right),
        ("facts", Align::Right),
        ("articles", Align::Right),
        ("TP", Align::Right),
        ("FP", Align::Right),
        ("P", Align::Right),
        ("worth", Align::Right),
        ("time", Align::Right),
    ]);
    for r in &s.rules {
        t.row(vec![
            r.rule.clone(),
            r.kind.to_string(),
            r.matches.to_string(),
            r.kept.to_string(),
            r.lost_overlaps.to_string(),
            r.rejected.to_string(),
            r.facts.to_string(),
            r.articles.to_string(),
            r.tp.to_string(),
            r.fp.to_string(),
            r.precision.map_or("-".into(), score),
            points(r.worth),
            percent(r.time_share),
        ]);
    }
    t.render(&mut out, "");

    let idle: Vec<_> = s.rules.iter().filter(|r| r.activity.is_idle()).collect();
    if idle.is_empty() {
        let _ = writeln!(out, "\nEvery rule contributes on this corpus.");
    } else {
        let _ = writeln!(out, "\nRules that contribute nothing on this corpus:");
        let mut t = Table::new(&[("rule", Align::Left), ("why", Align::Left)]);
        for r in idle {
            t.row(vec![r.rule.clone(), r.activity.describe()]);
        }
        t.render(&mut out, "  ");
    }

    if s.pairs.is_empty() {
        let _ = writeln!(out, "\nNo two rules claim the same text.");
    } else {
        let _ = writeln!(
            out,
            "\nRule pairs whose matches overlap (agree: same fact; conflict: different facts, or one suppresses):"
        );
        let mut t = Table::new(&[
            ("rule a", Align::Left),
            ("rule b", Align::Left),
            ("overlaps", Align::Right),
            ("agree", Align::Right),
            ("conflict", Align::Right),
            ("a kept", Align::Right),
            ("b kept", Align::Right),
        ]);
        for p in &s.pairs {
            t.row(vec![
                p.a.clone(),
                p.b.clone(),
                p.overlaps.to_string(),
                p.agree.to_string(),
                p.conflict.to_string(),
                p.a_kept.to_string(),
                p.b_kept.to_string(),
            ]);
        }
        t.render(&mut out, "  ");
    }
    out
}
