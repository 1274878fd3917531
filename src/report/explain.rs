//! The table of `factrules explain`.

use std::fmt::Write;

use super::table::{quoted, Align, Table};
use crate::inspect::explain::{Explanation, Judgement};

/// Every match in text order, then the golden facts the rules miss with the
/// rules that came closest.
pub fn explain_table(e: &Explanation) -> String {
    let mut out = String::new();
    let date = match (e.published, e.article_date) {
        (Some(p), _) => format!("dates resolved against {p} (metadata)"),
        (None, Some(d)) => format!("dates resolved against {d} (a date line in the text)"),
        (None, None) => "no article date: weekdays and relative dates are left out".into(),
    };
    let golden = if e.golden { "judged against its golden" } else { "no golden: nothing judged" };
    let _ = writeln!(out, "{} [{} {}]: {date}; {golden}", e.article, e.language, e.split);
    let mut t = Table::new(&[
        ("span", Align::Left),
        ("text", Align::Left),
        ("rule", Align::Left),
        ("value", Align::Left),
        ("outcome", Align::Left),
        ("golden", Align::Left),
    ]);
    for m in &e.matches {
        let tm = &m.trace;
        t.row(vec![
            format!("{}..{}", tm.start, tm.end),
            quoted(&tm.text, 48),
            tm.rule.clone(),
            tm.value.as_ref().map_or("-".into(), ToString::to_string),
            match &m.inside {
                Some(word) => format!("dropped: inside the word {}", quoted(word, 40)),
                None => tm.outcome.describe(),
            },
            match m.judgement {
                Some(Judgement::True) => "true".into(),
                Some(Judgement::FalsePositive) => "false positive".into(),
                Some(Judgement::Unjudged) => "not in golden".into(),
                None => String::new(),
            },
        ]);
    }
    if t.is_empty() {
        let _ = writeln!(out, "No rule matches this article.");
    } else {
        t.render(&mut out, "");
    }

    if e.golden && e.missed.is_empty() {
        let _ = writeln!(out, "\nThe rules find every true fact of the golden.");
    } else if !e.missed.is_empty() {
        let _ = writeln!(out, "\nGolden facts the rules miss, with the rules that came closest:");
        for miss in &e.missed {
            let mentions: Vec<String> = miss.mentions.iter().map(|m| quoted(m, 40)).collect();
            let known = if miss.known { " (a known miss)" } else { "" };
            let _ = writeln!(out, "  {} [{}]{known}", miss.fact, mentions.join(", "));
            if miss.closest.is_empty() {
                let _ = writeln!(out, "    no rule came close: none matches the mention, even alone");
            }
            for n in &miss.closest {
                let _ = writeln!(out, "    {}: {}", n.rule, n.how);
            }
        }
    }
    out
}
