//! One article, match by match: what each rule matched, the value it gives
//! or would have given, and why the engine kept or dropped it.
//!
//! A trace is built from the engine's `Observer` hook (which hears of every
//! dropped match) and the run's kept matches; the values of matches that lost
//! an overlap come from replaying the run's candidates. Every other tool of
//! this module (explain, stats, compare's blame, lint's dead rules) reads
//! traces, so they all tell the same story about a match.

use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

use crate::article::{Article, Language, PartialDate};
use crate::engine::{self, Dropped, Observer, Valued};
use crate::fact::{Fact, FactKey};
use crate::rules::RuleSet;

/// Every match of one article, in text order.
#[derive(Debug, Clone, Serialize)]
pub struct Trace {
    /// The article id.
    pub article: String,
    /// The article's language (rules of the other language never run).
    pub language: Language,
    /// The date relative and yearless dates were resolved against: the
    /// metadata's, else a header date the rules found.
    pub article_date: Option<PartialDate>,
    /// Every match, sorted by start, end and rule order.
    pub matches: Vec<TracedMatch>,
    /// The facts of the article, as [`RuleSet::extract`] gives them.
    #[serde(skip)]
    pub facts: Vec<Fact>,
}

/// One match of one rule.
///
/// Invariant: `start <= end`, both on char boundaries of the original
/// article text, and `text == &original[start..end]`.
#[derive(Debug, Clone, Serialize)]
pub struct TracedMatch {
    /// The rule id.
    pub rule: String,
    /// The rule's index in its set, for tools that count per rule.
    #[serde(skip)]
    pub(crate) rule_index: usize,
    /// Byte offset of the match in the original text.
    pub start: usize,
    /// Byte offset one past the match in the original text.
    pub end: usize,
    /// The matched text, as written in the article.
    pub text: String,
    /// The fact the match gives, or would have given had it not lost an
    /// overlap. Absent for suppressing matches, unresolved dates, and matches
    /// dropped before they had a value (boundary, not a value).
    pub value: Option<FactKey>,
    /// Kept or dropped, and why.
    #[serde(flatten)]
    pub outcome: Outcome,
    /// What the match stands for, when it got as far as a value: two matches
    /// agree when these are equal.
    #[serde(skip)]
    pub(crate) valued: Option<Valued>,
}

/// Why a match was kept or dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Kept: the first mention of its fact.
    NewFact,
    /// Kept: one more mention of a fact an earlier match gave (an article
    /// has one fact per value).
    Deduplicated,
    /// Kept: a suppressing rule claims the text, so nothing inside it is a fact.
    Suppressed,
    /// Kept, but a date the article's date cannot resolve: no fact.
    UnresolvedDate,
    /// Dropped: an overlapping match of rule `winner` was preferred
    /// (priority, then length, then position, then rule order).
    LostOverlap {
        /// The winning rule's id.
        winner: String,
    },
    /// Dropped: the match starts or ends inside a word.
    Boundary,
    /// Dropped: the captures are not a value (an impossible date, a word
    /// that is no number, a title before a place name...).
    NotAValue,
}

impl Outcome {
    /// Whether the match survived overlap resolution.
    pub fn is_kept(&self) -> bool {
        matches!(self, Outcome::NewFact | Outcome::Deduplicated | Outcome::Suppressed | Outcome::UnresolvedDate)
    }

    /// A short phrase for tables: "kept: new fact", "dropped: lost an
    /// overlap to X".
    pub fn describe(&self) -> String {
        match self {
            Outcome::NewFact => "kept: new fact".into(),
            Outcome::Deduplicated => "kept: same fact as an earlier match".into(),
            Outcome::Suppressed => "kept: claims the text, no fact".into(),
            Outcome::UnresolvedDate => "kept: date the article date cannot resolve".into(),
            Outcome::NotAValue => "dropped: not a value (a context check failed)".into(),
            dropped => format!("dropped: {}", dropped.clause()),
        }
    }

    /// What befell the match, as a clause: "was kept", "lost an overlap to X".
    pub fn clause(&self) -> String {
        match self {
            Outcome::LostOverlap { winner } => format!("lost an overlap to {winner}"),
            Outcome::Boundary => "starts or ends inside a word".into(),
            Outcome::NotAValue => "is not a value (a context check failed)".into(),
            _ => "was kept".into(),
        }
    }
}

/// Remembers every dropped match.
#[derive(Default)]
struct Recorder(Vec<(usize, usize, usize, Dropped)>);

impl Observer for Recorder {
    fn dropped(&mut self, rule: usize, start: usize, end: usize, why: Dropped) {
        self.0.push((rule, start, end, why));
    }
}

/// Traces one article through a rule set.
pub(crate) fn trace(set: &RuleSet, article: &Article) -> Trace {
    let mut drops = Recorder::default();
    let run = engine::run(set, article, &mut drops);
    let facts = run.facts(set, &article.text);
    let rule_id = |ri: usize| set.rules[ri].id.clone();
    let mut matches = Vec::with_capacity(run.kept.len() + drops.0.len());
    let mut make = |ri: usize, (start, end): (usize, usize), valued: Option<Valued>, outcome: Outcome| {
        let value = match &valued {
            Some(Valued::Fact(key)) => Some(key.clone()),
            _ => None,
        };
        matches.push(TracedMatch {
            rule: rule_id(ri),
            rule_index: ri,
            start,
            end,
            text: article.text[start..end].to_string(),
            value,
            outcome,
            valued,
        });
    };

    let mut seen = BTreeSet::new();
    for c in &run.kept {
        let valued = run.value(set, c);
        let outcome = match &valued {
            Valued::Fact(key) if seen.insert(key.clone()) => Outcome::NewFact,
            Valued::Fact(_) => Outcome::Deduplicated,
            Valued::Suppress => Outcome::Suppressed,
            Valued::UnresolvedDate => Outcome::UnresolvedDate,
        };
        make(c.rule, run.original_span(c.start, c.end), Some(valued), outcome);
    }

    // The values of matches that lost an overlap: the observer only names them.
    let lost: HashMap<(usize, usize, usize), Valued> =
        if drops.0.iter().any(|(.., why)| matches!(why, Dropped::Overlap { .. })) {
            run.replay_candidates(set, article).iter().map(|c| ((c.rule, c.start, c.end), run.value(set, c))).collect()
        } else {
            HashMap::new()
        };
    for &(ri, start, end, why) in &drops.0 {
        let (valued, outcome) = match why {
            Dropped::Boundary => (None, Outcome::Boundary),
            Dropped::NotAValue => (None, Outcome::NotAValue),
            Dropped::Overlap { winner } => {
                (lost.get(&(ri, start, end)).cloned(), Outcome::LostOverlap { winner: rule_id(winner) })
            }
        };
        make(ri, run.original_span(start, end), valued, outcome);
    }
    matches.sort_by_key(|m| (m.start, m.end, m.rule_index, !m.outcome.is_kept()));
    Trace { article: article.id.clone(), language: article.language, article_date: run.article_date, matches, facts }
}

/// Traces every article, in parallel, keeping the input order.
pub(crate) fn trace_all(set: &RuleSet, articles: &[Article]) -> Vec<Trace> {
    use rayon::prelude::*;
    articles.par_iter().map(|a| trace(set, a)).collect()
}
