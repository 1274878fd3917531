//! Errors in rule files: each names the file, line and column, the rule id
//! where there is one, and says how to fix it.
//!
//! Loading collects every error of a rule set before it gives up, so an
//! author fixes a file in one round, not one error per run.

use std::fmt;
use std::path::PathBuf;

/// A place in a rule file. Line and column are 1-based; the column counts
/// characters.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    /// The rule file.
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path.display(), self.line, self.column)
    }
}

/// One problem in a rule set.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum RuleError {
    /// The rules folder or a file in it cannot be read.
    #[error("{path}: cannot read: {message}")]
    #[diagnostic(code(factrules::rules::io), help("pass the folder of rule files with --rules DIR"))]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        message: String,
    },
    /// The rules folder holds no `.yaml` file.
    #[error("{path}: no rule file (*.yaml) found")]
    #[diagnostic(code(factrules::rules::empty), help("rule files are YAML files ending in .yaml"))]
    NoRuleFiles {
        /// The folder.
        path: PathBuf,
    },
    /// The YAML does not parse or does not fit the rule format (this
    /// includes unknown keys and wrong types).
    #[error("{at}: {message}")]
    #[diagnostic(code(factrules::rules::yaml), help("the README's `Rule format` section lists every key"))]
    Yaml {
        /// Where.
        at: Location,
        /// The parser's message.
        message: String,
    },
    /// A rule has neither `pattern` nor `gazetteer`, or both.
    #[error("{at}: rule `{rule}`: {message}")]
    #[diagnostic(code(factrules::rules::matcher), help("give the rule exactly one of `pattern:` or `gazetteer:`"))]
    Matcher {
        /// Where.
        at: Location,
        /// The rule id.
        rule: String,
        /// What is wrong.
        message: String,
    },
    /// A rule has no kind, neither its own nor its file's.
    #[error("{at}: rule `{rule}`: no kind")]
    #[diagnostic(
        code(factrules::rules::kind),
        help("add `kind: date|envoy|casualty|location` to the rule or at the top of the file")
    )]
    MissingKind {
        /// Where.
        at: Location,
        /// The rule id.
        rule: String,
    },
    /// Two rules share an id.
    #[error("{at}: rule `{rule}`: duplicate rule id, first defined at {first}")]
    #[diagnostic(
        code(factrules::rules::duplicate_id),
        help("rule ids must be unique across the rule set; rename one")
    )]
    DuplicateId {
        /// Where the second one is.
        at: Location,
        /// The id.
        rule: String,
        /// Where the first one is.
        first: Location,
    },
    /// Two files define a macro or lexicon of the same name, or a macro has
    /// the name of a lexicon.
    #[error("{at}: `{name}` is already defined at {first}")]
    #[diagnostic(code(factrules::rules::duplicate_name), help("macros and lexicons share one namespace; rename one"))]
    DuplicateName {
        /// Where the second one is.
        at: Location,
        /// The name.
        name: String,
        /// Where the first one is.
        first: Location,
    },
    /// One surface form of a lexicon maps to two canonical values.
    #[error("{at}: lexicon `{lexicon}`: `{form}` means both `{first}` and `{second}`")]
    #[diagnostic(
        code(factrules::rules::ambiguous_form),
        help("a surface form may have one canonical value; drop one")
    )]
    AmbiguousForm {
        /// Where.
        at: Location,
        /// The lexicon.
        lexicon: String,
        /// The surface form.
        form: String,
        /// The first canonical value.
        first: String,
        /// The second canonical value.
        second: String,
    },
    /// A pattern names a macro that does not exist.
    #[error("{at}: rule `{rule}`: unknown macro `{{{name}}}`")]
    #[diagnostic(code(factrules::rules::unknown_macro), help("{help}"))]
    UnknownMacro {
        /// Where.
        at: Location,
        /// The rule id (or the macro that uses it).
        rule: String,
        /// The unknown name.
        name: String,
        /// The known names, or a close one.
        help: String,
    },
    /// Macros refer to each other in a cycle.
    #[error("{at}: macro `{name}` refers to itself through {path}")]
    #[diagnostic(code(factrules::rules::macro_cycle), help("break the cycle: a macro cannot contain itself"))]
    MacroCycle {
        /// Where.
        at: Location,
        /// The macro.
        name: String,
        /// The chain of macros.
        path: String,
    },
    /// The pattern is not a valid regular expression.
    #[error("{at}: rule `{rule}`: invalid pattern: {message}")]
    #[diagnostic(
        code(factrules::rules::regex),
        help("patterns use the syntax of the `regex` crate, after `{{macro}}` expansion")
    )]
    Regex {
        /// Where.
        at: Location,
        /// The rule id.
        rule: String,
        /// The regex error, with the expanded pattern.
        message: String,
    },
    /// The pattern uses `\b` or `\B`.
    #[error("{at}: rule `{rule}`: `\\b` and `\\B` are not allowed in patterns")]
    #[diagnostic(
        code(factrules::rules::word_boundary),
        help(
            "word boundaries are checked after matching (see `boundaries:`); a Unicode `\\b` makes the one-pass matcher fall back to a slow engine on Vietnamese text"
        )
    )]
    WordBoundary {
        /// Where.
        at: Location,
        /// The rule id.
        rule: String,
    },
    /// The pattern can match the empty string.
    #[error("{at}: rule `{rule}`: the pattern can match the empty string")]
    #[diagnostic(code(factrules::rules::empty_match), help("make at least one part of the pattern mandatory"))]
    EmptyMatch {
        /// Where.
        at: Location,
        /// The rule id.
        rule: String,
    },
    /// A capture group name has no meaning for the rule's kind.
    #[error("{at}: rule `{rule}`: capture `{name}` means nothing for a {kind} rule")]
    #[diagnostic(code(factrules::rules::capture), help("captures of a {kind} rule: {allowed}"))]
    UnknownCapture {
        /// Where.
        at: Location,
        /// The rule id.
        rule: String,
        /// The capture name.
        name: String,
        /// The rule's kind.
        kind: String,
        /// The allowed names.
        allowed: String,
    },
    /// A `set:` field has no meaning for the rule's kind, or a bad value.
    #[error("{at}: rule `{rule}`: set `{field}`: {message}")]
    #[diagnostic(code(factrules::rules::set), help("{help}"))]
    Set {
        /// Where.
        at: Location,
        /// The rule id.
        rule: String,
        /// The field.
        field: String,
        /// What is wrong.
        message: String,
        /// How to fix it.
        help: String,
    },
    /// A rule option does not fit the rule (e.g. `article_date` on a location rule).
    #[error("{at}: rule `{rule}`: {message}")]
    #[diagnostic(code(factrules::rules::option), help("{help}"))]
    Option {
        /// Where.
        at: Location,
        /// The rule id.
        rule: String,
        /// What is wrong.
        message: String,
        /// How to fix it.
        help: String,
    },
    /// An example did not produce its expected value.
    #[error("{at}: rule `{rule}`: example {text:?} should give {expected}, but gave {got}")]
    #[diagnostic(
        code(factrules::rules::example),
        help("fix the rule, or the example if it was wrong; `factrules extract` shows what a text gives")
    )]
    Example {
        /// Where.
        at: Location,
        /// The rule id.
        rule: String,
        /// The example text.
        text: String,
        /// The expected value.
        expected: String,
        /// What the rule set produced from the text with this rule.
        got: String,
    },
    /// A counterexample produced a fact through this rule.
    #[error("{at}: rule `{rule}`: counterexample {text:?} must not match, but gave {got}")]
    #[diagnostic(
        code(factrules::rules::counterexample),
        help("tighten the rule, or add a `suppress: true` rule for the phrase")
    )]
    Counterexample {
        /// Where.
        at: Location,
        /// The rule id.
        rule: String,
        /// The counterexample text.
        text: String,
        /// What it produced.
        got: String,
    },
}

impl RuleError {
    /// Where the problem is written, when it has a place in a file.
    pub(crate) fn location(&self) -> Option<&Location> {
        use RuleError::*;
        match self {
            Io { .. } | NoRuleFiles { .. } => None,
            Yaml { at, .. }
            | Matcher { at, .. }
            | MissingKind { at, .. }
            | DuplicateId { at, .. }
            | DuplicateName { at, .. }
            | AmbiguousForm { at, .. }
            | UnknownMacro { at, .. }
            | MacroCycle { at, .. }
            | Regex { at, .. }
            | WordBoundary { at, .. }
            | EmptyMatch { at, .. }
            | UnknownCapture { at, .. }
            | Set { at, .. }
            | Option { at, .. }
            | Example { at, .. }
            | Counterexample { at, .. } => Some(at),
        }
    }
}

/// Every problem found while loading a rule set.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{} in the rule set:\n{}", plural(self.errors.len()), self.list())]
#[diagnostic(code(factrules::rules::load))]
pub struct LoadError {
    /// The problems, in file and line order.
    pub errors: Vec<RuleError>,
}

fn plural(n: usize) -> String {
    if n == 1 {
        "1 error".into()
    } else {
        format!("{n} errors")
    }
}

impl LoadError {
    fn list(&self) -> String {
        self.errors.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n")
    }
}
