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
    /// A piece repeated a large bounded number of times (`{0,200}`).
    LargeRepetition,
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
            Check::LargeRepetition => "large-repetition",
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
    repetitions(&files, &mut out);
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

/// A bounded repetition above this many copies is worth a warning.
const LARGE_REPETITION: u32 = 16;

/// Patterns and macros that repeat a piece a large bounded number of times.
///
/// `[^\n]{0,200}` compiles into one automaton state per count, and the
/// scanner's lazy DFA builds a state for each count combined with every
/// other partial match alive at that byte: a header rule with such counters
/// made every article's first lines build new states. An unbounded loop
/// that the text itself bounds (`[^\n]*`, `[^.;]+`) matches the same and
/// costs one state.
fn repetitions(files: &[(Source, RawFile)], out: &mut Vec<Finding>) {
    for (src, raw) in files {
        let patterns = raw.rules.iter().enumerate().filter_map(|(i, r)| {
            Some((r.pattern.as_deref()?, src.rule(i), Some(r.id.clone()), format!("rule `{}`", r.id)))
        });
        let macros = raw
            .macros
            .iter()
            .map(|(name, body)| (body.as_str(), src.section_key("macros", name), None, format!("macro `{name}`")));
        for (text, at, rule, what) in patterns.chain(macros) {
            if let Some(n) = largest_repetition(text).filter(|&n| n > LARGE_REPETITION) {
                out.push(Finding::new(
                    Severity::Warning,
                    Check::LargeRepetition,
                    at,
                    rule,
                    format!("{what} repeats a piece up to {n} times: each count is a state the scanner's automaton multiplies by every other partial match"),
                    "use an unbounded loop the text bounds, such as `[^\\n]*` or `[^.;]+`",
                ));
            }
        }
    }
}

/// The largest bound of a counted repetition (`{n}`, `{n,}`, `{n,m}`) in a
/// pattern as written; macro references (`{name}`) and escaped braces are
/// not repetitions.
fn largest_repetition(pattern: &str) -> Option<u32> {
    let bytes = pattern.as_bytes();
    let mut largest = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'{' => {
                let end = pattern[i..].find('}').map(|e| i + e);
                let inner = end.map(|e| &pattern[i + 1..e]);
                if let Some(inner) =
                    inner.filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b','))
                {
                    let bound = inner.split(',').filter_map(|n| n.parse::<u32>().ok()).max();
                    largest = largest.max(bound);
                }
                i = end.map_or(bytes.len(), |e| e + 1);
            }
            _ => i += 1,
        }
    }
    largest
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

#[cfg(test)]
mod tests {
    use super::largest_repetition;

    #[test]
    fn repetitions_are_counted_macros_and_escapes_are_not() {
        assert_eq!(largest_repetition(r"\A(?:[^\n]{0,200}\n){0,2}"), Some(200));
        assert_eq!(largest_repetition(r"[0-9]{4}-{month}"), Some(4));
        assert_eq!(largest_repetition(r"\{3000\}{name}"), None);
        assert_eq!(largest_repetition(r"x{20,}"), Some(20));
    }
}
