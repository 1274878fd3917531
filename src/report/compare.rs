//! The table of `factrules compare`.

use std::fmt::Write;

use super::table::{kb, points, quoted, score_change, Align, Table};
use crate::inspect::compare::Comparison;

/// Accuracy of base and head with deltas and intervals, the flipped facts
/// with their blamed rules, the speed ratio, and the verdict.
pub fn compare_table(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Comparing base {} ({} rules) with head {} ({} rules) on {} articles ({} with goldens)",
        c.base, c.rules.base, c.head, c.rules.head, c.articles, c.judged
    );
    let r = &c.rules;
    let mut changes = Vec::new();
    for (what, ids) in [("changed", &r.changed), ("added", &r.added), ("removed", &r.removed)] {
        if !ids.is_empty() {
            changes.push(format!("{what}: {}", ids.join(", ")));
        }
    }
    if r.lexicons_changed {
        changes.push("lexicons changed".into());
    }
    let _ = writeln!(out, "Rules {}", if changes.is_empty() { "identical".into() } else { changes.join("; ") });

    let _ = writeln!(
        out,
        "\nAccuracy, base -> head. ΔF1 in points, with its 95% interval from a paired bootstrap over articles ({} resamples, seed {}); * marks an interval that excludes 0. Each group shows all kinds together and the kinds whose counts changed (--format json has every row).",
        c.resamples, c.seed
    );
    let mut t = Table::new(&[
        ("group", Align::Left),
        ("kind", Align::Left),
        ("P", Align::Left),
        ("R", Align::Left),
        ("F1", Align::Left),
        ("ΔF1", Align::Right),
        ("95% interval", Align::Left),
        ("", Align::Left),
    ]);
    for d in c.accuracy.iter().filter(|d| d.kind == "all kinds" || d.changed()) {
        t.row(vec![
            format!("{} ({})", d.group, d.articles),
            d.kind.clone(),
            score_change(d.base.precision, d.head.precision),
            score_change(d.base.recall, d.head.recall),
            score_change(d.base.f1, d.head.f1),
            points(d.delta_f1),
            d.ci.map_or("(one article)".into(), |(low, high)| format!("[{}, {}]", points(low), points(high))),
            match (d.significant(), d.dropped()) {
                (true, true) => "* drop".into(),
                (false, true) => "drop".into(),
                (true, false) => "*".into(),
                (false, false) => String::new(),
            },
        ]);
    }
    t.render(&mut out, "");

    if c.flips.is_empty() {
        let _ = writeln!(out, "\nNo fact flipped.");
    } else {
        let n: usize = c.flips.iter().map(|a| a.flips.len()).sum();
        let facts = if n == 1 { "fact" } else { "facts" };
        let _ = writeln!(out, "\n{n} {facts} flipped, with the head-side rule that caused each:");
        for a in &c.flips {
            let _ = writeln!(out, "{}", a.article);
            let mut t = Table::new(&[
                ("change", Align::Left),
                ("fact", Align::Left),
                ("mentions", Align::Left),
                ("rule", Align::Left),
                ("why", Align::Left),
            ]);
            for f in &a.flips {
                let mentions: Vec<String> = f.mentions.iter().map(|m| quoted(m, 40)).collect();
                t.row(vec![
                    f.change.as_str().into(),
                    f.fact.to_string(),
                    mentions.join(", "),
                    f.rule.clone(),
                    f.why.clone(),
                ]);
            }
            t.render(&mut out, "  ");
        }
    }

    let s = &c.speed;
    let _ = writeln!(
        out,
        "\nSpeed, one thread, {} interleaved rounds over {}: base {:.1} MiB/s ({:.3} ms), head {:.1} MiB/s ({:.3} ms)",
        s.rounds,
        kb(s.bytes),
        s.base_mib_s,
        s.base_ms,
        s.head_mib_s,
        s.head_ms
    );
    let verdict = if s.ratio_q1 <= 1.0 && 1.0 <= s.ratio_q3 {
        "the quartiles straddle 1: no difference this run can measure"
    } else if s.ratio > 1.0 {
        "the head is slower"
    } else {
        "the head is faster"
    };
    let _ = writeln!(
        out,
        "head/base time ratio {:.3} (quartiles {:.3} to {:.3}; {verdict})",
        s.ratio, s.ratio_q1, s.ratio_q3
    );

    let drops: Vec<String> = c
        .accuracy
        .iter()
        .filter(|d| d.dropped())
        .map(|d| format!("{}/{} {}", d.group, d.kind, points(d.delta_f1)))
        .collect();
    if drops.is_empty() {
        let _ = writeln!(out, "\nNo F1 dropped.");
    } else {
        let _ = writeln!(out, "\nAccuracy dropped (F1 points): {}", drops.join(", "));
    }
    out
}
