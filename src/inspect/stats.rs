//! Per-rule statistics over a corpus, in the manner of Snorkel's summary of
//! labeling functions: what each rule matches, keeps and contributes, how
//! often it is right, which rules never contribute, which pairs of rules
//! claim the same text (and whether they agree), and what each rule is worth
//! against what it costs.
//!
//! Definitions, so the columns can be trusted:
//! - a rule's *matches* are every match the engine saw (kept or dropped);
//!   *kept* are those that survived overlap resolution;
//! - *facts* are the distinct (article, fact) pairs with a kept mention by
//!   the rule; a fact found by two rules counts for both, as a true or false
//!   positive for both when its article has a golden;
//! - *articles* are those in which the rule kept at least one match;
//! - a rule is *dead* when it never matches, *rejected* when every match
//!   fails a boundary or value check, *shadowed* when it has valid matches
//!   and all of them lose an overlap;
//! - two rules *overlap* when valid matches of theirs (kept or lost to an
//!   overlap) share text; they *agree* when both would give the same fact,
//!   and *conflict* otherwise;
//! - a rule's *worth* is the F1 over all kinds of the whole set minus that
//!   of the set without the rule (leave one rule out): negative when the set
//!   does better without it. Rules that say the same thing are each worth
//!   little alone, however much they are worth together.

use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

use super::profile::profile;
use super::trace::{trace_all, Outcome, Trace};
use crate::article::Article;
use crate::eval::{evaluate, Counts, Golden};
use crate::fact::Kind;
use crate::rules::{LoadError, RuleSet};

/// The statistics of a rule set over a corpus.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Articles in the corpus.
    pub articles: usize,
    /// Of those, the articles with a golden (true and false positives, and
    /// worth, count only these).
    pub judged: usize,
    /// F1 over all kinds and judged articles of the whole set.
    pub f1: f64,
    /// Timed passes per rule for the time shares.
    pub rounds: usize,
    /// One entry per rule, in load order.
    pub rules: Vec<RuleStats>,
    /// Pairs of rules whose matches overlap, most overlaps first.
    pub pairs: Vec<Pair>,
}

/// What one rule does on the corpus.
#[derive(Debug, Clone, Serialize)]
pub struct RuleStats {
    /// The rule id.
    pub rule: String,
    /// The rule file.
    pub file: String,
    /// The kind of fact it gives.
    pub kind: Kind,
    /// Every match seen, kept or dropped.
    pub matches: usize,
    /// Matches kept after overlap resolution.
    pub kept: usize,
    /// Matches that lost an overlap.
    pub lost_overlaps: usize,
    /// Matches that failed a boundary or value check.
    pub rejected: usize,
    /// Distinct (article, fact) pairs the rule has a kept mention of.
    pub facts: usize,
    /// Articles with at least one kept match.
    pub articles: usize,
    /// Of `facts` in judged articles, true ones.
    pub tp: usize,
    /// Of `facts` in judged articles, false ones (known, unverified or new).
    pub fp: usize,
    /// `tp / (tp + fp)`; absent when the rule gave no judged fact.
    pub precision: Option<f64>,
    /// Whether the rule contributes, and if not why.
    pub activity: Activity,
    /// F1 (0 to 1) the set loses without this rule (negative: it gains).
    pub worth: f64,
    /// True positives the set loses without this rule.
    pub worth_tp: i64,
    /// False positives the set loses without this rule (negative: it gains some).
    pub worth_fp: i64,
    /// This rule's share of the time of all rules, each compiled alone.
    pub time_share: f64,
    /// Milliseconds per corpus pass of the rule compiled alone, beyond a set with no rules.
    pub time_ms: f64,
}

/// Whether a rule contributes anything on the corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "activity", rename_all = "snake_case")]
pub enum Activity {
    /// It keeps matches.
    Active,
    /// It never matches.
    Dead,
    /// It matches, but every match fails a boundary or value check.
    Rejected,
    /// Its valid matches all lose overlaps, to these rules (most wins first).
    Shadowed {
        /// The rules that beat it.
        by: Vec<String>,
    },
}

impl Activity {
    /// Whether the rule never contributes a kept match.
    pub fn is_idle(&self) -> bool {
        !matches!(self, Activity::Active)
    }

    /// A short phrase: "dead: never matches".
    pub fn describe(&self) -> String {
        match self {
            Activity::Active => String::new(),
            Activity::Dead => "dead: never matches".into(),
            Activity::Rejected => "dead: every match fails a boundary or value check".into(),
            Activity::Shadowed { by } => format!("shadowed: always loses overlaps to {}", by.join(", ")),
        }
    }
}

/// Two rules whose valid matches share text.
#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    /// The rule written first.
    pub a: String,
    /// The rule written later.
    pub b: String,
    /// Overlapping match pairs.
    pub overlaps: usize,
    /// Of those, the pairs that would give the same fact.
    pub agree: usize,
    /// Of those, the pairs that would give different facts (or where one
    /// suppresses and the other does not).
    pub conflict: usize,
    /// Pairs in which `a`'s match was kept.
    pub a_kept: usize,
    /// Pairs in which `b`'s match was kept.
    pub b_kept: usize,
}

/// How one rule's matches ended, counted from traces.
#[derive(Debug, Clone, Default)]
pub(crate) struct Usage {
    pub matches: usize,
    pub kept: usize,
    pub lost: usize,
    pub rejected: usize,
    pub articles: usize,
    /// Rule index of the winner -> overlaps lost to it.
    pub beaten_by: BTreeMap<usize, usize>,
}

impl Usage {
    pub(crate) fn activity(&self, set: &RuleSet) -> Activity {
        if self.matches == 0 {
            Activity::Dead
        } else if self.kept > 0 {
            Activity::Active
        } else if self.lost == 0 {
            Activity::Rejected
        } else {
            let mut by: Vec<(usize, usize)> = self.beaten_by.iter().map(|(&r, &n)| (r, n)).collect();
            by.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
            Activity::Shadowed { by: by.into_iter().map(|(r, _)| set.rules[r].id.clone()).collect() }
        }
    }
}

/// Counts, per rule in load order, how its matches ended.
pub(crate) fn usage(set: &RuleSet, traces: &[Trace]) -> Vec<Usage> {
    let index: BTreeMap<&str, usize> = set.rules.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect();
    let mut usage = vec![Usage::default(); set.len()];
    for trace in traces {
        let mut fired = BTreeSet::new();
        for m in &trace.matches {
            let u = &mut usage[m.rule_index];
            u.matches += 1;
            match &m.outcome {
                o if o.is_kept() => {
                    u.kept += 1;
                    fired.insert(m.rule_index);
                }
                Outcome::LostOverlap { winner } => {
                    u.lost += 1;
                    if let Some(&w) = index.get(winner.as_str()) {
                        *u.beaten_by.entry(w).or_default() += 1;
                    }
                }
                _ => u.rejected += 1,
            }
        }
        for r in fired {
            usage[r].articles += 1;
        }
    }
    usage
}

/// Computes the statistics of `set` over `articles`; `goldens` maps article
/// ids to their goldens (articles without one are counted but not judged).
/// `rounds` timed passes per rule give the time shares.
pub fn stats(
    set: &RuleSet,
    articles: &[Article],
    goldens: &BTreeMap<String, Golden>,
    rounds: usize,
) -> Result<Stats, LoadError> {
    let traces = trace_all(set, articles);
    let usage = usage(set, &traces);

    let mut facts = vec![0usize; set.len()];
    let mut tp = vec![0usize; set.len()];
    let mut fp = vec![0usize; set.len()];
    let index: BTreeMap<&str, usize> = set.rules.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect();
    for trace in &traces {
        let truth = goldens.get(&trace.article).map(Golden::truth);
        for fact in &trace.facts {
            let rules: BTreeSet<usize> =
                fact.mentions.iter().filter_map(|m| index.get(m.rule.as_str()).copied()).collect();
            for r in rules {
                facts[r] += 1;
                match &truth {
                    Some(t) if t.contains_key(&fact.key) => tp[r] += 1,
                    Some(_) => fp[r] += 1,
                    None => {}
                }
            }
        }
    }

    let full = score(set, articles, goldens);
    let without: Vec<Counts> = set
        .rules
        .par_iter()
        .map(|r| set.subset(|id, _| id != r.id).map(|s| score(&s, articles, goldens)))
        .collect::<Result<_, _>>()?;
    let times = profile(set, articles, rounds)?;

    let rules = set
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let time = times.rules.iter().find(|t| t.name == r.id);
            RuleStats {
                rule: r.id.clone(),
                file: r.at.path.display().to_string(),
                kind: r.kind,
                matches: usage[i].matches,
                kept: usage[i].kept,
                lost_overlaps: usage[i].lost,
                rejected: usage[i].rejected,
                facts: facts[i],
                articles: usage[i].articles,
                tp: tp[i],
                fp: fp[i],
                precision: (tp[i] + fp[i] > 0).then(|| tp[i] as f64 / (tp[i] + fp[i]) as f64),
                activity: usage[i].activity(set),
                worth: full.f1() - without[i].f1(),
                worth_tp: full.tp as i64 - without[i].tp as i64,
                worth_fp: full.fp as i64 - without[i].fp as i64,
                time_share: time.map_or(0.0, |t| t.share),
                time_ms: time.map_or(0.0, |t| t.ms),
            }
        })
        .collect();
    Ok(Stats {
        articles: articles.len(),
        judged: articles.iter().filter(|a| goldens.contains_key(&a.id)).count(),
        f1: full.f1(),
        rounds: times.rounds,
        rules,
        pairs: pairs(set, &traces),
    })
}

/// All kinds' counts of a set over the judged articles.
fn score(set: &RuleSet, articles: &[Article], goldens: &BTreeMap<String, Golden>) -> Counts {
    let mut total = Counts::default();
    for (article, extraction) in articles.iter().zip(set.extract_all(articles)) {
        if let Some(golden) = goldens.get(&article.id) {
            total.add(&evaluate(article, &extraction, golden).total());
        }
    }
    total
}

/// Every pair of rules whose valid matches share text, most overlaps first.
fn pairs(set: &RuleSet, traces: &[Trace]) -> Vec<Pair> {
    let mut pairs: BTreeMap<(usize, usize), Pair> = BTreeMap::new();
    for trace in traces {
        let valid: Vec<_> = trace.matches.iter().filter(|m| m.valued.is_some()).collect();
        for (i, x) in valid.iter().enumerate() {
            // Sorted by start: every later match starting before `x` ends overlaps it.
            for y in valid[i + 1..].iter().take_while(|y| y.start < x.end) {
                if x.rule_index == y.rule_index {
                    continue;
                }
                let (a, b) = if x.rule_index < y.rule_index { (x, y) } else { (y, x) };
                let p = pairs.entry((a.rule_index, b.rule_index)).or_insert_with(|| Pair {
                    a: set.rules[a.rule_index].id.clone(),
                    b: set.rules[b.rule_index].id.clone(),
                    overlaps: 0,
                    agree: 0,
                    conflict: 0,
                    a_kept: 0,
                    b_kept: 0,
                });
                p.overlaps += 1;
                if a.valued == b.valued {
                    p.agree += 1;
                } else {
                    p.conflict += 1;
                }
                p.a_kept += usize::from(a.outcome.is_kept());
                p.b_kept += usize::from(b.outcome.is_kept());
            }
        }
    }
    let mut pairs: Vec<Pair> = pairs.into_values().collect();
    pairs.sort_by(|x, y| y.overlaps.cmp(&x.overlaps).then_with(|| (&x.a, &x.b).cmp(&(&y.a, &y.b))));
    pairs
}
