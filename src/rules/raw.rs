//! The rule file format as written by people, before any checking.
//!
//! These types mirror the YAML one to one and reject unknown keys. They hold
//! no compiled matcher and promise nothing about their values: `compile`
//! turns them into checked rules and reports every problem with its place.
//! No `untagged`, `tag` or `flatten` here: they make serde_yaml report the
//! wrong line.

use serde::Deserialize;
use std::collections::BTreeMap;

use crate::article::Language;
use crate::fact::Kind;

/// One rule file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFile {
    /// The kind of fact the rules of this file produce, unless a rule says otherwise.
    pub kind: Option<Kind>,
    /// The language the rules of this file apply to, unless a rule says otherwise.
    pub language: Option<Language>,
    /// Named sub-patterns, used in patterns as `{name}`. Shared by all files.
    #[serde(default)]
    pub macros: BTreeMap<String, String>,
    /// Named word lists: canonical value -> surface forms. Shared by all
    /// files; a lexicon is also usable as a macro matching any of its forms.
    #[serde(default)]
    pub lexicons: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// The rules.
    #[serde(default)]
    pub rules: Vec<RawRule>,
}

/// One rule: a regular expression or a gazetteer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    pub id: String,
    pub kind: Option<Kind>,
    pub language: Option<Language>,
    /// A regular expression with named captures and `{macro}` references.
    pub pattern: Option<String>,
    /// Canonical entries with their aliases, matched literally.
    pub gazetteer: Option<Vec<RawEntry>>,
    /// Higher wins an overlap; among equals the longer match wins.
    #[serde(default)]
    pub priority: i32,
    /// Where a match must sit on a word boundary.
    #[serde(default)]
    pub boundaries: Boundaries,
    /// Lower-case words a feed may run into the end of a match
    /// ("Hovaevwho"): the end boundary also holds before one of them.
    #[serde(default)]
    pub glue: Vec<String>,
    /// Gazetteers: every alias also matches written in capitals, as
    /// datelines and headings print names ("MOSCOW, Oct 10 (Reuters)").
    /// Aliases shorter than four characters are left out: in capitals they
    /// are acronyms of something else.
    #[serde(default)]
    pub capitals: bool,
    /// Matches win overlaps like any other but produce no fact: for phrases
    /// such as organisation names that contain a place name.
    #[serde(default)]
    pub suppress: bool,
    /// Date rules: the first match of this rule is the article's own date
    /// (a header or dateline), used to resolve dates without a year.
    #[serde(default)]
    pub article_date: bool,
    /// Constant fields of the facts this rule produces (role, represents,
    /// qualifier, outcome, direction).
    #[serde(default)]
    pub set: BTreeMap<String, String>,
    /// A sentence on what the rule is for.
    pub description: Option<String>,
    #[serde(default)]
    pub examples: Vec<RawExample>,
    #[serde(default)]
    pub counterexamples: Vec<String>,
}

/// A gazetteer entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEntry {
    /// The canonical name, itself matched too.
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Envoys: the role.
    pub role: Option<String>,
    /// Envoys: whom they represent.
    pub represents: Option<String>,
}

/// Where a match must sit on a word boundary. A boundary is checked only at
/// an edge whose own character is a letter or digit, like `\b`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Boundaries {
    /// At both edges (the default).
    #[default]
    Both,
    /// At the start only: finds run-together words such as `Hovaevwho`.
    Start,
    /// At the end only.
    End,
    /// Nowhere.
    None,
}

/// An example: the rule must produce this value from this text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawExample {
    pub text: String,
    /// The expected value: ISO date, canonical name, or count.
    pub value: String,
    pub role: Option<String>,
    pub represents: Option<String>,
    pub qualifier: Option<String>,
    pub outcome: Option<String>,
    /// The article date to resolve against, `YYYY[-MM[-DD]]`.
    pub published: Option<String>,
    /// The article language (default: the rule's, else detected).
    pub language: Option<Language>,
}
