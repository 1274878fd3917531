//! The listing of `factrules lint`.

use std::fmt::Write;

use crate::inspect::lint::{Lint, Severity};

/// One finding per line in the `file:line:column: severity[check]` form
/// editors jump to, each with its help, then the counts.
pub fn lint_listing(lint: &Lint) -> String {
    let mut out = String::new();
    for f in &lint.findings {
        let severity = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let at = f.at.as_ref().map_or(String::new(), |a| format!("{a}: "));
        let _ = writeln!(out, "{at}{severity}[{}]: {}", f.check.as_str(), f.message);
        if let Some(help) = &f.help {
            let _ = writeln!(out, "  help: {help}");
        }
    }
    let (errors, warnings) = (lint.count(Severity::Error), lint.count(Severity::Warning));
    let scope = match lint.rules {
        Some(n) => format!("{n} rules; dead rules looked for in {} articles", lint.articles),
        None => "the rule set does not load, so dead rules were not looked for".into(),
    };
    let _ = writeln!(out, "{errors} error{}, {warnings} warning{} ({scope})", s(errors), s(warnings));
    out
}

fn s(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
