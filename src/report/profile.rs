//! The tables of `factrules profile`.

use std::fmt::Write;

use super::table::{kb, percent, Align, Table};
use crate::inspect::profile::{PartTime, Profile};

/// The whole set's time, then rule files and rules, slowest first.
pub fn profile_table(p: &Profile) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Time per pass over {} articles ({}), one thread, median of {} interleaved rounds",
        p.articles,
        kb(p.bytes),
        p.rounds
    );
    let _ = writeln!(
        out,
        "whole rule set {:.3} ms ({:.1} MiB/s); a set with no rules {:.3} ms, taken off every part below",
        p.whole_ms, p.whole_mib_s, p.baseline_ms
    );
    let _ = writeln!(out, "(each part is compiled and timed alone, so parts add up to more than the whole)\n");
    parts(&mut out, "rule file", &p.files, false);
    out.push('\n');
    parts(&mut out, "rule", &p.rules, true);
    out
}

fn parts(out: &mut String, what: &str, parts: &[PartTime], with_file: bool) {
    let mut columns = vec![(what, Align::Left)];
    if with_file {
        columns.push(("file", Align::Left));
    } else {
        columns.push(("rules", Align::Right));
    }
    columns.extend([("ms", Align::Right), ("share", Align::Right)]);
    let mut t = Table::new(&columns);
    for part in parts {
        let second = if with_file { part.file.clone().unwrap_or_default() } else { part.rules.to_string() };
        t.row(vec![part.name.clone(), second, format!("{:.3}", part.ms), percent(part.share)]);
    }
    t.render(out, "");
}
