//! Lint: every check of a rule set in one list, errors and warnings.
//!
//! Errors make the rule set wrong or ambiguous: duplicate ids and patterns
//! that can match the empty string (which loading refuses, like any other
//! load error), and an alias claimed by two canonical names. Warnings make it
//! hard to maintain: rules without examples or counterexamples, macros no
//! rule uses, and dead rules, which never contribute a kept match on the
//! corpus (checked only when the set loads).

use serde::Serialize;
use std::path::PathBuf;

use super::stats::{usage, Activity};
use super::trace::trace_all;
use crate::article::Article;
use crate::rules::lint::lint_sources;
pub use crate::rules::lint::{Check, Finding, Severity};
use crate::rules::RuleSet;

/// The findings of a lint run.
#[derive(Debug, Clone, Serialize)]
pub struct Lint {
    /// Rules in the set, when it loads.
    pub rules: Option<usize>,
    /// Articles the dead-rule check ran over (0 when the set does not load).
    pub articles: usize,
    /// Every finding, by file and line.
    pub findings: Vec<Finding>,
}

impl Lint {
    /// How many findings have a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }
}

/// Lints rule files given as (path, text) pairs (see
/// [`RuleSet::read_sources`]); dead rules are looked for in `articles`.
pub fn lint(sources: Vec<(PathBuf, String)>, articles: &[Article]) -> Lint {
    let mut findings = lint_sources(&sources);
    let (rules, checked) = match RuleSet::from_sources(sources) {
        Ok(set) => {
            let traces = trace_all(&set, articles);
            for (rule, usage) in set.rules.iter().zip(usage(&set, &traces)) {
                let activity = usage.activity(&set);
                if !activity.is_idle() {
                    continue;
                }
                let help = match &activity {
                    Activity::Shadowed { .. } => {
                        "raise its priority, narrow the rules that take its text, or remove it if they say the same"
                    }
                    _ => "check it against the wording it was written for (`factrules explain ARTICLE`), or remove it",
                };
                findings.push(Finding {
                    severity: Severity::Warning,
                    check: Check::DeadRule,
                    at: Some(rule.at.clone()),
                    rule: Some(rule.id.clone()),
                    message: format!(
                        "rule `{}` contributes nothing on the corpus ({} articles): {}",
                        rule.id,
                        articles.len(),
                        activity.describe()
                    ),
                    help: Some(help.into()),
                });
            }
            (Some(set.len()), articles.len())
        }
        Err(e) => {
            findings.extend(e.errors.iter().map(Finding::from_load));
            (None, 0)
        }
    };
    findings.sort_by_cached_key(|f| {
        let at = f.at.as_ref().map(|a| (a.path.clone(), a.line, a.column));
        (at, f.severity, f.check)
    });
    Lint { rules, articles: checked, findings }
}
