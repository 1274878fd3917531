//! Checks of rule files beyond what loading refuses: smells that make a
//! rule set ambiguous or hard to maintain, each located in its file.
//!
//! Loading already refuses duplicate ids and patterns that can match the
//! empty string (the `lint` command reports those load errors as lint
//! errors); this module adds the checks that need the files as written:
//! an alias claimed by two canonical names, rules without examples or
//! counterexamples, macros no rule can reach. It reads the files leniently:
//! a file that does not parse is left to the loader's error.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use unicode_normalization::UnicodeNormalization;

use super::compile::references;
use super::error::{Location, RuleError};
use super::lexicon_key;
use super::locate::Source;
use super::raw::RawFile;
use crate::fact::Kind;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The rule set is wrong or ambiguous: `lint` exits with status 2.
    Error,
    /// Worth fixing; printed, exit status unaffected.
    Warning,
}

/// Which check found a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Check {
    /// Two rules share an id.
    DuplicateId,
    /// One alias (ignoring case and spacing) names two canonical entries of one kind.
    AliasConflict,
    /// A pattern can match the empty string.
    EmptyMatch,
    /// Any other reason the rule set does not load.
    Load,
    /// A rule has no `examples`.
    NoExamples,
    /// A rule has no `counterexamples`.
    NoCounterexamples,
    /// A rule never contributes a kept match on the corpus.
    DeadRule,
    /// A macro that no rule's pattern uses, directly or through other macros.
    UnreachableMacro,
}

impl Check {
    /// The name reports print.
    pub fn as_str(self) -> &'static str {
        match self {
            Check::DuplicateId => "duplicate-id",
            Check::AliasConflict => "alias-conflict",
            Check::EmptyMatch => "empty-match",
            Check::Load => "load",
            Check::NoExamples => "no-examples",
            Check::NoCounterexamples => "no-counterexamples",
            Check::DeadRule => "dead-rule",
            Check::UnreachableMacro => "unreachable-macro",
        }
    }
}

/// One problem, where it is written and how to fix it.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// The check.
    pub check: Check,
    /// Where, when the problem has a place.
    pub at: Option<Location>,
    /// The rule, when the problem is a rule's.
    pub rule: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Finding {
    fn new(
        severity: Severity,
        check: Check,
        at: Location,
        rule: Option<String>,
        message: String,
        help: impl Into<String>,
    ) -> Self {
        Finding { severity, check, at: Some(at), rule, message, help: Some(help.into()) }
    }

    /// A load error as a lint error.
    pub(crate) fn from_load(error: &RuleError) -> Finding {
        use miette::Diagnostic;
        let (check, at, rule) = match error {
            RuleError::DuplicateId { at, rule, .. } => (Check::DuplicateId, Some(at), Some(rule)),
            RuleError::EmptyMatch { at, rule } => (Check::EmptyMatch, Some(at), Some(rule)),
            other => (Check::Load, other.location(), None),
        };
        let mut message = error.to_string();
        if let Some(at) = at {
            message = message.strip_prefix(&format!("{at}: ")).map(str::to_string).unwrap_or(message);
        }
        Finding {
            severity: Severity::Error,
            check,
            at: at.cloned(),
            rule: rule.cloned(),
            message,
            help: error.help().map(|h| h.to_string()),
        }
    }
}

/// Lints rule files given as (path, text), in load order.
pub(crate) fn lint_sources(sources: &[(PathBuf, String)]) -> Vec<Finding> {
    let files: Vec<(Source, RawFile)> = sources
        .iter()
        .filter_map(|(path, text)| {
            let src = Source::new(path, text.nfc().collect());
            let raw = serde_yaml::from_str::<Option<RawFile>>(src.text()).ok()?.unwrap_or_default();
            Some((src, raw))
        })
        .collect();
    let mut out = Vec::new();
    examples(&files, &mut out);
    aliases(&files, &mut out);
    macros(&files, &mut out);
    out
}

fn examples(files: &[(Source, RawFile)], out: &mut Vec<Finding>) {
    const HELP_EXAMPLES: &str =
        "add `examples:` taken from real wording: loading checks each one, so a later change cannot break the rule unnoticed";
    const HELP_COUNTER: &str =
        "add `counterexamples:`, texts the rule must not match, to keep it from growing too greedy";
    for (src, raw) in files {
        for (i, rule) in raw.rules.iter().enumerate() {
            let missing = [
                (rule.examples.is_empty(), Check::NoExamples, "examples", HELP_EXAMPLES),
                (rule.counterexamples.is_empty(), Check::NoCounterexamples, "counterexamples", HELP_COUNTER),
            ];
            for (_, check, what, help) in missing.into_iter().filter(|m| m.0) {
                let message = format!("rule `{}` has no {what}", rule.id);
                out.push(Finding::new(Severity::Warning, check, src.rule(i), Some(rule.id.clone()), message, help));
            }
        }
    }
}

/// An alias in two entries with different canonical names: a pattern that
/// captures that name resolves it to whichever was loaded first, and the
/// gazetteer pass gives both facts.
fn aliases(files: &[(Source, RawFile)], out: &mut Vec<Finding>) {
    let mut claimed: BTreeMap<(Kind, String), (String, Location)> = BTreeMap::new();
    for (src, raw) in files {
        for (i, rule) in raw.rules.iter().enumerate() {
            let (Some(kind), Some(entries)) = (rule.kind.or(raw.kind), &rule.gazetteer) else { continue };
            if rule.suppress {
                continue;
            }
            for (e, entry) in entries.iter().enumerate() {
                for alias in std::iter::once(&entry.name).chain(&entry.aliases) {
                    let key = (kind, lexicon_key(alias));
                    if key.1.is_empty() {
                        continue;
                    }
                    let at = src.item(i, "gazetteer", e);
                    match claimed.get(&key) {
                        Some((first, first_at)) if first.trim() != entry.name.trim() => out.push(Finding::new(
                            Severity::Error,
                            Check::AliasConflict,
                            at,
                            Some(rule.id.clone()),
                            format!("{kind} alias `{alias}` names both `{first}` (at {first_at}) and `{}`", entry.name),
                            "an alias may stand for one canonical name: remove it from one entry",
                        )),
                        Some(_) => {}
                        None => {
                            claimed.insert(key, (entry.name.clone(), at));
                        }
                    }
                }
            }
        }
    }
}

/// Macros that no rule pattern reaches, directly or through other macros.
fn macros(files: &[(Source, RawFile)], out: &mut Vec<Finding>) {
    let defined: BTreeMap<&str, (&str, Location)> = files
        .iter()
        .flat_map(|(src, raw)| {
            raw.macros.iter().map(move |(name, body)| (name.as_str(), (body.as_str(), src.section_key("macros", name))))
        })
        .collect();
    let mut reached: BTreeSet<&str> = BTreeSet::new();
    let mut todo: Vec<&str> = files
        .iter()
        .flat_map(|(_, raw)| raw.rules.iter().filter_map(|r| r.pattern.as_deref()))
        .flat_map(|p| references(p).map(|(_, name)| name))
        .collect();
    while let Some(name) = todo.pop() {
        if let Some((body, _)) = defined.get(name) {
            if reached.insert(name) {
                todo.extend(references(body).map(|(_, n)| n));
            }
        }
    }
    for (name, (_, at)) in &defined {
        if !reached.contains(name) {
            out.push(Finding::new(
                Severity::Warning,
                Check::UnreachableMacro,
                at.clone(),
                None,
                format!("macro `{name}` is used by no rule"),
                format!("remove it, or write `{{{name}}}` in a pattern"),
            ));
        }
    }
}
