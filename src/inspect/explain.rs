//! One article explained: every match in text order with its rule, span,
//! value and fate, each kept fact judged against the golden, and for each
//! golden fact the rules missed, the rules that came closest.
//!
//! "Closest", in the order they are listed:
//! 1. a match that would have given exactly the missed fact but was dropped;
//! 2. a match over a place where the golden's mention text stands (of the
//!    fact's kind, or kept: a suppressing phrase or a title that took the text);
//! 3. a match that gave the same value with other attributes;
//! 4. a rule that gives the fact from the mention text alone (so the
//!    article's context, or its date, is what stops it).

use serde::Serialize;
use std::collections::BTreeSet;

use super::trace::{trace, Outcome, Trace, TracedMatch};
use crate::article::{Article, Language, PartialDate, Split};
use crate::eval::{Golden, Status};
use crate::fact::FactKey;
use crate::rules::RuleSet;

/// At most this many closest rules per missed fact: past a few, the list
/// stops helping.
const CLOSEST: usize = 6;

/// What the rules make of one article, match by match.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The article id.
    pub article: String,
    /// Its language.
    pub language: Language,
    /// Its split.
    pub split: Split,
    /// The publication date from the metadata.
    pub published: Option<PartialDate>,
    /// The date dates were resolved against (metadata, else a header date).
    pub article_date: Option<PartialDate>,
    /// Whether the article has a golden (else nothing is judged).
    pub golden: bool,
    /// Every match in text order.
    pub matches: Vec<ExplainedMatch>,
    /// Golden facts (true ones) the rules do not find, with the closest rules.
    pub missed: Vec<Miss>,
}

/// A match and, for a kept match that gives a fact, what the golden says of it.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainedMatch {
    /// The match.
    #[serde(flatten)]
    pub trace: TracedMatch,
    /// The golden's judgement of the fact a kept match gives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub judgement: Option<Judgement>,
    /// For a match dropped at a word boundary, the word it sits in
    /// ("Russia" inside "Russian").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inside: Option<String>,
}

/// What a golden says about a fact the rules found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Judgement {
    /// The fact is true.
    True,
    /// The golden records it as a false positive.
    FalsePositive,
    /// The golden does not judge it (absent, or `unverified`).
    Unjudged,
}

/// A true fact of the golden that the rules do not find.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    /// The fact.
    pub fact: FactKey,
    /// Its surface texts, from the golden.
    pub mentions: Vec<String>,
    /// Whether the golden already records it as missed.
    pub known: bool,
    /// The rules that came closest, closest first; empty when none did.
    pub closest: Vec<Near>,
}

/// A rule that came close to a missed fact.
#[derive(Debug, Clone, Serialize)]
pub struct Near {
    /// The rule id.
    pub rule: String,
    /// Where it matched in the article, when it did.
    pub start: Option<usize>,
    /// End of that match.
    pub end: Option<usize>,
    /// How close it came, in words.
    pub how: String,
}

/// Explains one article; `golden` judges the facts when there is one.
pub fn explain(set: &RuleSet, article: &Article, golden: Option<&Golden>) -> Explanation {
    let trace = trace(set, article);
    let truth = golden.map(Golden::truth).unwrap_or_default();
    let known_fp = golden.map(|g| g.with_status(Status::FalsePositive)).unwrap_or_default();
    let matches = trace
        .matches
        .iter()
        .map(|m| {
            let judgement = match (&m.value, golden) {
                (Some(key), Some(_)) if m.outcome.is_kept() => Some(if truth.contains_key(key) {
                    Judgement::True
                } else if known_fp.contains_key(key) {
                    Judgement::FalsePositive
                } else {
                    Judgement::Unjudged
                }),
                _ => None,
            };
            let inside = (m.outcome == Outcome::Boundary).then(|| word_around(&article.text, m.start, m.end));
            ExplainedMatch { trace: m.clone(), judgement, inside }
        })
        .collect();
    let found: BTreeSet<&FactKey> = trace.facts.iter().map(|f| &f.key).collect();
    let missed = truth
        .iter()
        .filter(|(key, _)| !found.contains(key))
        .map(|(key, g)| Miss {
            fact: key.clone(),
            mentions: g.mentions.clone(),
            known: g.status == Some(Status::Missed),
            closest: closest(set, article, &trace, key, &g.mentions),
        })
        .collect();
    Explanation {
        article: article.id.clone(),
        language: article.language,
        split: article.split,
        published: article.published,
        article_date: trace.article_date,
        golden: golden.is_some(),
        matches,
        missed,
    }
}

/// The rules that came closest to finding `key`, closest first.
fn closest(set: &RuleSet, article: &Article, trace: &Trace, key: &FactKey, mentions: &[String]) -> Vec<Near> {
    let mut near: Vec<Near> = Vec::new();
    let mut listed: BTreeSet<(String, usize, usize)> = BTreeSet::new();
    let mut add = |m: &TracedMatch, how: String| {
        if listed.insert((m.rule.clone(), m.start, m.end)) {
            near.push(Near { rule: m.rule.clone(), start: Some(m.start), end: Some(m.end), how });
        }
    };
    for m in trace.matches.iter().filter(|m| m.value.as_ref() == Some(key) && !m.outcome.is_kept()) {
        add(m, format!("matched {:?}, which gives this fact, but {}", m.text, m.outcome.clause()));
    }
    let places: Vec<(usize, usize)> = mentions
        .iter()
        .filter(|t| !t.is_empty())
        .flat_map(|t| article.text.match_indices(t.as_str()).map(|(i, s)| (i, i + s.len())))
        .collect();
    // At the mention's place: matches of the fact's kind, and kept matches of
    // any kind (a suppressing phrase, an envoy's title that took the text); a
    // dropped match of another kind has nothing to do with the miss.
    let relevant = |m: &TracedMatch| set.rules[m.rule_index].kind == key.kind || m.outcome.is_kept();
    for m in trace.matches.iter().filter(|m| relevant(m) && places.iter().any(|&(s, e)| m.start < e && s < m.end)) {
        let gives = match &m.value {
            Some(v) => format!(", giving {v},"),
            None => String::new(),
        };
        add(m, format!("matched {:?} where the golden's mention stands{gives} and {}", m.text, m.outcome.clause()));
    }
    for m in trace
        .matches
        .iter()
        .filter(|m| m.value.as_ref().is_some_and(|v| v.kind == key.kind && v.value == key.value && v != key))
    {
        let v = m.value.as_ref().map(ToString::to_string).unwrap_or_default();
        add(m, format!("matched {:?} and gave {v} instead (other attributes)", m.text));
    }
    for mention in mentions {
        let mut alone = Article::from_text(article.id.clone(), mention.clone());
        alone.language = article.language;
        alone.published = trace.article_date;
        for fact in set.extract(&alone).facts.iter().filter(|f| &f.key == key) {
            for m in &fact.mentions {
                if !near.iter().any(|n| n.rule == m.rule) {
                    near.push(Near {
                        rule: m.rule.clone(),
                        start: None,
                        end: None,
                        how: format!(
                            "gives this fact from {mention:?} alone: in the article, the text around it or the article's date stops it"
                        ),
                    });
                }
            }
        }
    }
    near.truncate(CLOSEST);
    near
}

/// The text from `start..end` widened to the letters and digits around it.
fn word_around(text: &str, start: usize, end: usize) -> String {
    let word = |c: char| c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c);
    let from = text[..start].char_indices().rev().take_while(|&(_, c)| word(c)).last().map_or(start, |(i, _)| i);
    let to = end + text[end..].chars().take_while(|&c| word(c)).map(char::len_utf8).sum::<usize>();
    text[from..to].to_string()
}
