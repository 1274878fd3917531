//! The facts the engine produces and evaluation consumes.
//!
//! A [`Fact`] is identified by its [`FactKey`]: the kind, the normalised value
//! and the attributes that qualify it (an envoy's role and whom they represent,
//! a casualty figure's qualifier and outcome). Two mentions with the same key
//! are one fact. The key is what goldens record and what scoring compares;
//! mentions (spans, rule ids) are for people and tools, not for identity.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The four kinds of facts, in the order reports list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A calendar date, month, year, decade or range, as ISO 8601.
    Date,
    /// A person acting in a diplomatic capacity, by canonical name.
    Envoy,
    /// A count of people killed or wounded, with its qualifier.
    Casualty,
    /// A place, by canonical English name.
    Location,
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; 4] = [Kind::Date, Kind::Envoy, Kind::Casualty, Kind::Location];

    /// The lower-case name used in rule files, goldens and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Date => "date",
            Kind::Envoy => "envoy",
            Kind::Casualty => "casualty",
            Kind::Location => "location",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A normalised value: an integer for casualty counts, text for the rest
/// (an ISO 8601 date or interval, a canonical name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    /// A casualty count.
    Count(u64),
    /// A date string or canonical name.
    Text(String),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Count(n) => write!(f, "{n}"),
            Value::Text(s) => f.write_str(s),
        }
    }
}

/// What makes a fact the same fact: kind, value and qualifying attributes.
///
/// Field order is the sort order of facts in every output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FactKey {
    /// The kind of fact.
    pub kind: Kind,
    /// The normalised value.
    pub value: Value,
    /// Envoys: the diplomatic role ("foreign minister", "special envoy").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Envoys: the country or organisation they act for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub represents: Option<String>,
    /// Casualties: "exact", "at least", "about", "nearly", "more than", "up to".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    /// Casualties: "killed" or "wounded".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
}

impl FactKey {
    /// A key with a kind and value and no attributes.
    pub fn new(kind: Kind, value: Value) -> Self {
        FactKey { kind, value, role: None, represents: None, qualifier: None, outcome: None }
    }

    /// The attributes that are set, as `name=value` pairs, for compact display.
    pub fn attributes(&self) -> Vec<(&'static str, &str)> {
        [
            ("role", &self.role),
            ("represents", &self.represents),
            ("qualifier", &self.qualifier),
            ("outcome", &self.outcome),
        ]
        .into_iter()
        .filter_map(|(name, v)| v.as_deref().map(|v| (name, v)))
        .collect()
    }
}

impl fmt::Display for FactKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.value)?;
        for (name, v) in self.attributes() {
            write!(f, " {name}={v}")?;
        }
        Ok(())
    }
}

/// One place in the article where a fact is stated.
///
/// Invariant: `start <= end`, both on char boundaries of the original article
/// text (before NFC normalisation), and `text == &original[start..end]`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Mention {
    /// The surface text, as written in the article.
    pub text: String,
    /// Byte offset of the first byte in the original text.
    pub start: usize,
    /// Byte offset one past the last byte in the original text.
    pub end: usize,
    /// The id of the rule that matched.
    pub rule: String,
}

/// A fact: a key and every mention of it in one article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    /// Kind, value and attributes.
    #[serde(flatten)]
    pub key: FactKey,
    /// Every mention, in text order.
    pub mentions: Vec<Mention>,
}
