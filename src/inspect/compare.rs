//! Comparing two versions of a rule set, base and head, on one corpus with
//! one set of goldens: what the change did to accuracy (and whether that is
//! more than chance), which facts flipped and which rule is to blame, and
//! what it did to speed.
//!
//! Decisions:
//! - Accuracy is compared per group of articles (all, each split, each
//!   language) and per kind. A change *regresses* when any of these F1
//!   scores drops: a loss in one language is not paid for by a gain in the
//!   other.
//! - The confidence interval of each ΔF1 is a paired bootstrap over
//!   articles: articles are drawn with replacement, and base and head are
//!   scored on the same draw. With a few dozen articles, a ΔF1 whose 95%
//!   interval straddles zero is not evidence of progress. The draws are
//!   seeded, so the same inputs print the same interval.
//! - Blame is on the head side. A fact the head gained is blamed on the head
//!   rule that found it; a fact it lost, on the head rule that took its text
//!   in an overlap, or else on the rule that found it in the base (changed,
//!   removed, or now giving another value).
//! - Speed is timed with both sets interleaved in the same run (see
//!   the `timing` module), reported as the ratio head/base with its
//!   quartiles over rounds.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

use super::sampling::{quantile, sorted, Rng};
use super::timing;
use super::trace::{trace, Outcome, Trace, TracedMatch};
use crate::article::Article;
use crate::engine::Valued;
use crate::eval::{evaluate, ArticleScore, Counts, Golden, Score};
use crate::fact::{Fact, FactKey, Kind, Mention};
use crate::rules::{Rule, RuleSet};

/// One side of a comparison: a rule set and what to call it.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// How reports name this side: `HEAD`, `rules/`.
    pub label: &'a str,
    /// The rules.
    pub rules: &'a RuleSet,
}

/// How much work the statistics do.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Bootstrap resamples per confidence interval.
    pub resamples: usize,
    /// Seed of the bootstrap's draws.
    pub seed: u64,
    /// Timed passes of each set over the corpus.
    pub rounds: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options { resamples: 1000, seed: 42, rounds: 20 }
    }
}

/// What a rule change did.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The base's label.
    pub base: String,
    /// The head's label.
    pub head: String,
    /// Articles in the corpus.
    pub articles: usize,
    /// Of those, the articles with a golden: only these are scored.
    pub judged: usize,
    /// Which rules differ.
    pub rules: RuleChanges,
    /// Base and head scores per group and kind, with ΔF1 and its interval.
    pub accuracy: Vec<Delta>,
    /// Facts that flipped, per article, in corpus order.
    pub flips: Vec<ArticleFlips>,
    /// Throughput of both, timed interleaved.
    pub speed: Speed,
    /// Bootstrap resamples per interval.
    pub resamples: usize,
    /// The bootstrap's seed.
    pub seed: u64,
    /// Whether some group's F1 of some kind (or of all kinds) dropped.
    pub regressed: bool,
}

/// Rules added, removed or changed from base to head, by id.
#[derive(Debug, Clone, Serialize)]
pub struct RuleChanges {
    /// Rules in the base.
    pub base: usize,
    /// Rules in the head.
    pub head: usize,
    /// Ids only in the head.
    pub added: Vec<String>,
    /// Ids only in the base.
    pub removed: Vec<String>,
    /// Ids in both whose matching differs (pattern after macro expansion,
    /// gazetteer, priority, boundaries, glue, `set`, kind, language...).
    pub changed: Vec<String>,
    /// Whether the lexicons (which turn words into values) differ.
    pub lexicons_changed: bool,
}

/// Base and head accuracy of one kind (or all kinds) over one group.
#[derive(Debug, Clone, Serialize)]
pub struct Delta {
    /// `all`, a split or a language.
    pub group: String,
    /// Judged articles in the group.
    pub articles: usize,
    /// A kind, or `all kinds`.
    pub kind: String,
    /// The base's scores.
    pub base: Prf,
    /// The head's scores.
    pub head: Prf,
    /// Head F1 minus base F1 (0 to 1 scale).
    pub delta_f1: f64,
    /// The 95% interval of ΔF1: the 2.5th and 97.5th percentiles of the
    /// bootstrap. Absent for a group of one article, which resampling
    /// cannot vary.
    pub ci: Option<(f64, f64)>,
}

impl Delta {
    /// Whether the 95% interval excludes zero.
    pub fn significant(&self) -> bool {
        self.ci.is_some_and(|(low, high)| low > 0.0 || high < 0.0)
    }

    /// Whether the head's counts differ from the base's.
    pub fn changed(&self) -> bool {
        (self.base.tp, self.base.fp, self.base.fn_) != (self.head.tp, self.head.fp, self.head.fn_)
    }

    /// Whether the head's F1 is below the base's.
    pub fn dropped(&self) -> bool {
        self.delta_f1 < -1e-12
    }
}

/// Precision, recall and F1 with the counts behind them.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Prf {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// False negatives.
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl From<&Counts> for Prf {
    fn from(c: &Counts) -> Prf {
        Prf { precision: c.precision(), recall: c.recall(), f1: c.f1(), tp: c.tp, fp: c.fp, fn_: c.fn_ }
    }
}

/// The facts of one article that flipped.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleFlips {
    /// The article id.
    pub article: String,
    /// Its flips, bad news first.
    pub flips: Vec<Flip>,
}

/// A fact found by one side only.
#[derive(Debug, Clone, Serialize)]
pub struct Flip {
    /// What changed.
    pub change: Change,
    /// The fact.
    pub fact: FactKey,
    /// Its surface texts, on the side that found it.
    pub mentions: Vec<String>,
    /// The head-side rule to blame (or credit).
    pub rule: String,
    /// What that rule did, in words.
    pub why: String,
}

/// How a fact flipped, judged by the golden. The order is bad news first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// A true fact the base found and the head does not.
    CorrectLost,
    /// A false fact the head finds and the base did not.
    FalsePositiveAdded,
    /// A true fact the head finds and the base did not.
    CorrectGained,
    /// A false fact the base found and the head does not.
    FalsePositiveRemoved,
}

impl Change {
    /// The words reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::CorrectLost => "correct lost",
            Change::FalsePositiveAdded => "false positive added",
            Change::CorrectGained => "correct gained",
            Change::FalsePositiveRemoved => "false positive removed",
        }
    }
}

/// Throughput of base and head, timed interleaved in one run.
#[derive(Debug, Clone, Serialize)]
pub struct Speed {
    /// Timed passes of each set over the whole corpus.
    pub rounds: usize,
    /// Bytes of text per pass.
    pub bytes: usize,
    /// Median milliseconds per pass, base.
    pub base_ms: f64,
    /// Median milliseconds per pass, head.
    pub head_ms: f64,
    /// Base throughput, MiB/s on one thread.
    pub base_mib_s: f64,
    /// Head throughput, MiB/s on one thread.
    pub head_mib_s: f64,
    /// Median over rounds of head time / base time: above 1, the head is slower.
    pub ratio: f64,
    /// First quartile of the per-round ratio.
    pub ratio_q1: f64,
    /// Third quartile of the per-round ratio.
    pub ratio_q3: f64,
}

/// Compares `head` with `base` on `articles`, scoring against `goldens`
/// (by article id; articles without one are timed but not scored).
pub fn compare(
    base: Side,
    head: Side,
    articles: &[Article],
    goldens: &BTreeMap<String, Golden>,
    options: &Options,
) -> Comparison {
    let base_ex = base.rules.extract_all(articles);
    let head_ex = head.rules.extract_all(articles);
    let judged: Vec<usize> = (0..articles.len()).filter(|&i| goldens.contains_key(&articles[i].id)).collect();
    let score = |ex: &[crate::Extraction]| -> Vec<ArticleScore> {
        judged.iter().map(|&i| evaluate(&articles[i], &ex[i], &goldens[&articles[i].id])).collect()
    };
    let (base_scores, head_scores) = (score(&base_ex), score(&head_ex));
    let accuracy = deltas(&base_scores, &head_scores, options);
    let regressed = accuracy.iter().any(Delta::dropped);

    let (base_ids, head_ids) = (ids(base.rules), ids(head.rules));
    let mut flips = Vec::new();
    for &i in &judged {
        let (article, golden) = (&articles[i], &goldens[&articles[i].id]);
        let (b, h) = (&base_ex[i].facts, &head_ex[i].facts);
        if b.iter().map(|f| &f.key).eq(h.iter().map(|f| &f.key)) {
            continue;
        }
        let sides = Traced {
            base: trace(base.rules, article),
            head: trace(head.rules, article),
            base_ids: &base_ids,
            head_ids: &head_ids,
        };
        let list = sides.flips(b, h, &golden.truth());
        if !list.is_empty() {
            flips.push(ArticleFlips { article: article.id.clone(), flips: list });
        }
    }

    Comparison {
        base: base.label.to_string(),
        head: head.label.to_string(),
        articles: articles.len(),
        judged: judged.len(),
        rules: rule_changes(base.rules, head.rules),
        accuracy,
        flips,
        speed: speed(base.rules, head.rules, articles, options.rounds),
        resamples: options.resamples,
        seed: options.seed,
        regressed,
    }
}

fn ids(set: &RuleSet) -> BTreeSet<String> {
    set.rule_ids().map(str::to_string).collect()
}

/// The kinds of a score table: each kind, then all kinds together.
const SLOTS: usize = Kind::ALL.len() + 1;

fn slots(score: &ArticleScore) -> [Counts; SLOTS] {
    let mut out = [Counts::default(); SLOTS];
    for (i, kind) in Kind::ALL.iter().enumerate() {
        out[i] = score.kinds.get(kind).copied().unwrap_or_default();
        let c = out[i];
        out[SLOTS - 1].add(&c);
    }
    out
}

fn slot_name(i: usize) -> &'static str {
    Kind::ALL.get(i).map_or("all kinds", |k| k.as_str())
}

/// Scores and paired-bootstrap intervals per group and kind.
fn deltas(base: &[ArticleScore], head: &[ArticleScore], options: &Options) -> Vec<Delta> {
    let base_slots: Vec<[Counts; SLOTS]> = base.iter().map(slots).collect();
    let head_slots: Vec<[Counts; SLOTS]> = head.iter().map(slots).collect();
    let groups = Score { articles: head.to_vec() }.groups();
    let mut rng = Rng::new(options.seed);
    let mut out = Vec::new();
    for group in groups {
        let members: Vec<usize> = (0..head.len()).filter(|&i| group.contains(&head[i])).collect();
        let (b, h) = (total(&base_slots, &members), total(&head_slots, &members));
        let mut samples: Vec<Vec<f64>> = (0..SLOTS).map(|_| Vec::with_capacity(options.resamples)).collect();
        let mut draw = Vec::with_capacity(members.len());
        for _ in 0..options.resamples {
            draw.clear();
            draw.extend((0..members.len()).map(|_| members[rng.below(members.len())]));
            let (rb, rh) = (total(&base_slots, &draw), total(&head_slots, &draw));
            for (s, sample) in samples.iter_mut().enumerate() {
                sample.push(rh[s].f1() - rb[s].f1());
            }
        }
        for (s, sample) in samples.into_iter().enumerate() {
            let sample = sorted(sample);
            out.push(Delta {
                group: group.to_string(),
                articles: members.len(),
                kind: slot_name(s).to_string(),
                base: Prf::from(&b[s]),
                head: Prf::from(&h[s]),
                delta_f1: h[s].f1() - b[s].f1(),
                ci: (members.len() > 1).then(|| (quantile(&sample, 0.025), quantile(&sample, 0.975))),
            });
        }
    }
    out
}

/// The counts of the articles at `indices` (repeats count again), per slot.
fn total(per_article: &[[Counts; SLOTS]], indices: &[usize]) -> [Counts; SLOTS] {
    let mut total = [Counts::default(); SLOTS];
    for &i in indices {
        for (t, c) in total.iter_mut().zip(&per_article[i]) {
            t.add(c);
        }
    }
    total
}

/// What a rule does, apart from its id, its place and its description:
/// two rules with the same definition match the same text the same way.
fn definition(r: &Rule) -> String {
    format!(
        "{:?}",
        (r.kind, r.language, r.priority, r.boundaries, &r.glue, r.suppress, r.article_date, &r.set, &r.matcher)
    )
}

fn rule_changes(base: &RuleSet, head: &RuleSet) -> RuleChanges {
    let defs = |set: &RuleSet| -> BTreeMap<String, String> {
        set.rules.iter().map(|r| (r.id.clone(), definition(r))).collect()
    };
    let (b, h) = (defs(base), defs(head));
    RuleChanges {
        base: base.len(),
        head: head.len(),
        added: h.keys().filter(|id| !b.contains_key(*id)).cloned().collect(),
        removed: b.keys().filter(|id| !h.contains_key(*id)).cloned().collect(),
        changed: b.iter().filter(|(id, d)| h.get(*id).is_some_and(|hd| hd != *d)).map(|(id, _)| id.clone()).collect(),
        lexicons_changed: base.lexicons.map != head.lexicons.map,
    }
}

fn speed(base: &RuleSet, head: &RuleSet, articles: &[Article], rounds: usize) -> Speed {
    let rounds = rounds.max(1);
    let times = timing::interleaved(&[base, head], articles, rounds);
    let ratios = sorted(times[0].iter().zip(&times[1]).map(|(b, h)| if *b > 0.0 { h / b } else { 1.0 }).collect());
    let median = |t: &[f64]| quantile(&sorted(t.to_vec()), 0.5);
    let (base_s, head_s) = (median(&times[0]), median(&times[1]));
    let bytes = timing::bytes(articles);
    Speed {
        rounds,
        bytes,
        base_ms: base_s * 1000.0,
        head_ms: head_s * 1000.0,
        base_mib_s: timing::mib_per_s(bytes, base_s),
        head_mib_s: timing::mib_per_s(bytes, head_s),
        ratio: quantile(&ratios, 0.5),
        ratio_q1: quantile(&ratios, 0.25),
        ratio_q3: quantile(&ratios, 0.75),
    }
}

/// Both traces of one article, for blame.
struct Traced<'a> {
    base: Trace,
    head: Trace,
    base_ids: &'a BTreeSet<String>,
    head_ids: &'a BTreeSet<String>,
}

impl Traced<'_> {
    /// The facts found by one side only, judged and blamed.
    fn flips(&self, base: &[Fact], head: &[Fact], truth: &BTreeMap<FactKey, &crate::eval::GoldenFact>) -> Vec<Flip> {
        let keys = |facts: &[Fact]| -> BTreeSet<FactKey> { facts.iter().map(|f| f.key.clone()).collect() };
        let (in_base, in_head) = (keys(base), keys(head));
        let mut out = Vec::new();
        for fact in head.iter().filter(|f| !in_base.contains(&f.key)) {
            let change = if truth.contains_key(&fact.key) { Change::CorrectGained } else { Change::FalsePositiveAdded };
            let (rule, why) = summarise(fact.mentions.iter().map(|m| self.gain_cause(m)).collect());
            out.push(Flip { change, fact: fact.key.clone(), mentions: texts(fact), rule, why });
        }
        for fact in base.iter().filter(|f| !in_head.contains(&f.key)) {
            let change = if truth.contains_key(&fact.key) { Change::CorrectLost } else { Change::FalsePositiveRemoved };
            let (rule, why) = summarise(fact.mentions.iter().map(|m| self.loss_cause(m)).collect());
            out.push(Flip { change, fact: fact.key.clone(), mentions: texts(fact), rule, why });
        }
        out.sort_by(|a, b| (a.change, &a.fact).cmp(&(b.change, &b.fact)));
        out
    }

    /// Why the base no longer finds a mention in the head: (head-side rule, why).
    fn loss_cause(&self, m: &Mention) -> (String, String) {
        if !self.head_ids.contains(&m.rule) {
            return (m.rule.clone(), format!("was removed; in the base it found {:?}", m.text));
        }
        match same_place(&self.head, m) {
            Some(t) => match &t.outcome {
                Outcome::LostOverlap { winner } => {
                    (winner.clone(), format!("takes {:?} in an overlap that {} now loses", t.text, m.rule))
                }
                o if o.is_kept() => (m.rule.clone(), format!("{:?} now gives {}", t.text, given(t))),
                o => (m.rule.clone(), format!("{:?} now {}", t.text, o.clause())),
            },
            None => (m.rule.clone(), format!("no longer matches {:?}", m.text)),
        }
    }

    /// Why the head finds a mention the base did not: (head-side rule, why).
    fn gain_cause(&self, m: &Mention) -> (String, String) {
        if !self.base_ids.contains(&m.rule) {
            return (m.rule.clone(), format!("is new; it finds {:?}", m.text));
        }
        let why = match same_place(&self.base, m) {
            Some(t) => match &t.outcome {
                o if o.is_kept() => format!("finds {:?}; in the base it gave {}", m.text, given(t)),
                o => format!("finds {:?}; in the base its match {:?} {}", m.text, t.text, o.clause()),
            },
            None => format!("now matches {:?}", m.text),
        };
        (m.rule.clone(), why)
    }
}

/// The match of the same rule over the same text (else over overlapping text).
fn same_place<'t>(trace: &'t Trace, m: &Mention) -> Option<&'t TracedMatch> {
    let rule = trace.matches.iter().filter(|t| t.rule == m.rule);
    rule.clone()
        .find(|t| t.start == m.start && t.end == m.end)
        .or_else(|| rule.clone().find(|t| t.start < m.end && m.start < t.end))
}

/// What a match gives, in words.
fn given(t: &TracedMatch) -> String {
    match &t.valued {
        Some(Valued::Fact(key)) => key.to_string(),
        Some(Valued::Suppress) => "no fact (it claims the text)".into(),
        Some(Valued::UnresolvedDate) => "a date the article's date cannot resolve".into(),
        None => "nothing".into(),
    }
}

/// One blamed rule and one explanation from the causes of every mention:
/// the first mention's rule, and each distinct reason once.
fn summarise(causes: Vec<(String, String)>) -> (String, String) {
    let rule = causes.first().map(|c| c.0.clone()).unwrap_or_default();
    let mut whys: Vec<String> = Vec::new();
    for (r, why) in causes {
        let why = if r == rule { why } else { format!("{r} {why}") };
        if !whys.contains(&why) {
            whys.push(why);
        }
    }
    (rule, whys.join("; "))
}

fn texts(fact: &Fact) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in &fact.mentions {
        if !out.contains(&m.text) {
            out.push(m.text.clone());
        }
    }
    out
}
