//! Evaluation: aligning extractions with goldens and scoring them.
//!
//! Facts are compared by [`FactKey`]: the kind, the normalised value and its
//! attributes must all agree. A golden's known misses count against recall
//! and its known false positives against precision, exactly like new ones;
//! they are also counted apart so a report can tell a regression from a gap
//! that was already recorded.
//!
//! This module knows goldens and scores; it knows nothing of rules or YAML
//! rule files.

mod golden;

pub use golden::{Golden, GoldenError, GoldenFact, Status};

use serde::Serialize;
use std::collections::BTreeMap;

use crate::article::{Article, Language, Split};
use crate::fact::{FactKey, Kind};
use crate::Extraction;

/// Counts of one kind (or of all kinds) over some articles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Found and true.
    pub tp: usize,
    /// Found and not true (including known and unverified false positives).
    pub fp: usize,
    /// True and not found (including known misses).
    pub fn_: usize,
    /// Of `fp`, those the goldens record as known false positives.
    pub known_fp: usize,
    /// Of `fn_`, those the goldens record as known misses.
    pub known_fn: usize,
    /// Of `fp`, those no golden has judged yet.
    pub unverified: usize,
}

impl Counts {
    /// Precision; 1 when nothing was found.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// Recall; 1 when there was nothing to find.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// F1, the harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// Differences from the goldens that they do not already record.
    pub fn unexpected(&self) -> usize {
        (self.fp - self.known_fp) + (self.fn_ - self.known_fn)
    }

    /// Adds another set of counts to these.
    pub fn add(&mut self, o: &Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
        self.known_fp += o.known_fp;
        self.known_fn += o.known_fn;
        self.unverified += o.unverified;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// A fact on which the rules and a golden disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    /// The fact.
    pub fact: FactKey,
    /// `missed` or `false_positive` (an unjudged one is `unverified`).
    pub status: Status,
    /// Whether the golden already records it.
    pub known: bool,
    /// Surface texts (the golden's for a miss, the extraction's otherwise).
    pub mentions: Vec<String>,
}

/// The score of one article.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleScore {
    /// The article id.
    pub article: String,
    /// Its language.
    pub language: Language,
    /// Its split.
    pub split: Split,
    /// Counts per kind.
    pub kinds: BTreeMap<Kind, Counts>,
    /// Every disagreement, known or not.
    pub disagreements: Vec<Disagreement>,
}

impl ArticleScore {
    /// All kinds together.
    pub fn total(&self) -> Counts {
        let mut c = Counts::default();
        self.kinds.values().for_each(|k| c.add(k));
        c
    }
}

/// Scores one extraction against its golden.
pub fn evaluate(article: &Article, extraction: &Extraction, golden: &Golden) -> ArticleScore {
    let truth = golden.truth();
    let known_fp = golden.with_status(Status::FalsePositive);
    let known_missed = golden.with_status(Status::Missed);
    let mut kinds: BTreeMap<Kind, Counts> = Kind::ALL.into_iter().map(|k| (k, Counts::default())).collect();
    let mut disagreements = Vec::new();
    let mut found = std::collections::BTreeSet::new();
    for fact in &extraction.facts {
        let c = kinds.entry(fact.key.kind).or_default();
        found.insert(&fact.key);
        if truth.contains_key(&fact.key) {
            c.tp += 1;
            continue;
        }
        c.fp += 1;
        let known = known_fp.contains_key(&fact.key);
        if known {
            c.known_fp += 1;
        } else {
            c.unverified += 1;
        }
        let mut mentions: Vec<String> = fact.mentions.iter().map(|m| m.text.clone()).collect();
        mentions.dedup();
        let status = if known { Status::FalsePositive } else { Status::Unverified };
        disagreements.push(Disagreement { fact: fact.key.clone(), status, known, mentions });
    }
    for (key, g) in &truth {
        if found.contains(key) {
            continue;
        }
        let c = kinds.entry(key.kind).or_default();
        c.fn_ += 1;
        let known = known_missed.contains_key(key);
        if known {
            c.known_fn += 1;
        }
        disagreements.push(Disagreement {
            fact: key.clone(),
            status: Status::Missed,
            known,
            mentions: g.mentions.clone(),
        });
    }
    disagreements.sort_by(|a, b| a.fact.cmp(&b.fact));
    ArticleScore { article: article.id.clone(), language: article.language, split: article.split, kinds, disagreements }
}

/// The score a golden records: the accuracy of the rules when the golden
/// was last accepted (facts without a status are true positives, known misses
/// false negatives, known and unverified false positives false positives).
pub fn recorded(article: &Article, golden: &Golden) -> ArticleScore {
    let mut kinds: BTreeMap<Kind, Counts> = Kind::ALL.into_iter().map(|k| (k, Counts::default())).collect();
    for (key, fact) in golden.keyed() {
        let c = kinds.entry(key.kind).or_default();
        match fact.status {
            None => c.tp += 1,
            Some(Status::Missed) => {
                c.fn_ += 1;
                c.known_fn += 1;
            }
            Some(Status::FalsePositive) => {
                c.fp += 1;
                c.known_fp += 1;
            }
            Some(Status::Unverified) => {
                c.fp += 1;
                c.unverified += 1;
            }
        }
    }
    ArticleScore {
        article: article.id.clone(),
        language: article.language,
        split: article.split,
        kinds,
        disagreements: Vec::new(),
    }
}

/// Scores of many articles, summed over groups.
#[derive(Debug, Clone, Serialize)]
pub struct Score {
    /// Per article, in corpus order.
    pub articles: Vec<ArticleScore>,
}

/// A group of articles a report sums over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    /// Every article.
    All,
    /// One split.
    Split(Split),
    /// One language.
    Language(Language),
    /// One language within one split: the held-out test articles of a
    /// language are what says whether the rules generalise in it.
    SplitLanguage(Split, Language),
}

impl std::fmt::Display for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Group::All => f.write_str("all"),
            Group::Split(s) => write!(f, "{s}"),
            Group::Language(l) => write!(f, "{l}"),
            Group::SplitLanguage(s, l) => write!(f, "{s} {l}"),
        }
    }
}

impl Group {
    /// Whether an article belongs to the group.
    pub fn contains(&self, article: &ArticleScore) -> bool {
        match *self {
            Group::All => true,
            Group::Split(s) => article.split == s,
            Group::Language(l) => article.language == l,
            Group::SplitLanguage(s, l) => article.split == s && article.language == l,
        }
    }
}

impl Score {
    /// Counts per kind over the articles of a group; `None` if it has none.
    pub fn group(&self, group: Group) -> Option<BTreeMap<Kind, Counts>> {
        let members = self.members(group);
        if members.is_empty() {
            return None;
        }
        let mut out: BTreeMap<Kind, Counts> = Kind::ALL.into_iter().map(|k| (k, Counts::default())).collect();
        for a in members {
            for (k, c) in &a.kinds {
                out.entry(*k).or_default().add(c);
            }
        }
        Some(out)
    }

    /// The articles of a group.
    pub fn members(&self, group: Group) -> Vec<&ArticleScore> {
        self.articles.iter().filter(|a| group.contains(a)).collect()
    }

    /// The groups that have articles: all, then each split, then each
    /// language, then each language within each split.
    pub fn groups(&self) -> Vec<Group> {
        let mut groups = vec![Group::All];
        for s in [Split::Dev, Split::Test] {
            groups.push(Group::Split(s));
        }
        for l in [Language::En, Language::Vi] {
            groups.push(Group::Language(l));
        }
        for s in [Split::Dev, Split::Test] {
            for l in [Language::En, Language::Vi] {
                groups.push(Group::SplitLanguage(s, l));
            }
        }
        groups.retain(|g| self.group(*g).is_some());
        groups
    }

    /// All counts of every article together.
    pub fn total(&self) -> Counts {
        let mut c = Counts::default();
        self.articles.iter().for_each(|a| c.add(&a.total()));
        c
    }
}
