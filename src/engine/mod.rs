//! The engine: from an article and a compiled rule set to facts.
//!
//! Steps, in order: normalise the text to NFC; find candidates in one pass of
//! the pattern set and one pass of the gazetteer automaton; check word
//! boundaries after matching (a `\b` inside the multi-pattern DFA would make
//! it give up on Vietnamese); turn each candidate into a draft value and drop
//! the ones that are not real values; settle overlaps; find the article's
//! date; resolve dates; group mentions into facts with spans in the original
//! text.
//!
//! The engine never reads files, goldens or YAML: it gets a [`RuleSet`] and an
//! [`Article`] and is a pure function of them.

mod normalize;
mod observe;
mod overlap;
mod replay;
mod value;

use regex::Captures;
use std::collections::BTreeMap;

use crate::article::{Article, PartialDate};
use crate::fact::{Fact, FactKey, Kind, Mention, Value};
use crate::rules::{Boundaries, Matcher, Rule, RuleSet};
use crate::Extraction;
use normalize::Normalized;
pub(crate) use observe::{Dropped, Observer, Quiet};
pub(crate) use replay::Valued;
use value::{DateFields, Draft};

/// A match that made a valid draft.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub rule: usize,
    /// Span in the normalised text.
    pub start: usize,
    pub end: usize,
    pub draft: Draft,
}

/// The kept candidates of one article, with what is needed to build facts.
pub(crate) struct Run<'a> {
    text: Normalized<'a>,
    pub kept: Vec<Candidate>,
    pub article_date: Option<PartialDate>,
}

/// Extracts the facts of one article.
pub(crate) fn extract(set: &RuleSet, article: &Article) -> Extraction {
    let run = run(set, article, &mut Quiet);
    Extraction { article: article.id.clone(), facts: run.facts(set, &article.text) }
}

/// The count a phrase stands for (see [`RuleSet::count_value`]).
pub(crate) fn count_value(set: &RuleSet, text: &str, language: crate::article::Language) -> Option<u64> {
    value::parse_count(&Normalized::new(text).text, &set.lexicons, language)
}

/// Finds, checks and settles the matches of one article.
///
/// `observer` hears of every match that is dropped, and why; [`Quiet`]
/// compiles to nothing.
pub(crate) fn run<'a>(set: &RuleSet, article: &'a Article, observer: &mut impl Observer) -> Run<'a> {
    let text = Normalized::new(&article.text);
    let candidates = candidates(set, &text.text, article, observer);
    let kept = overlap::resolve(set, candidates, observer);
    let article_date = article.published.or_else(|| {
        kept.iter().filter(|c| set.rules[c.rule].article_date).find_map(|c| match &c.draft {
            Draft::Date(value::DateExpr::Calendar { year: Some(year), month, day }, None) => {
                PartialDate::new(*year, *month, *day)
            }
            _ => None,
        })
    });
    Run { text, kept, article_date }
}

fn candidates(set: &RuleSet, text: &str, article: &Article, observer: &mut impl Observer) -> Vec<Candidate> {
    let applies = |rule: &Rule| rule.language.is_none_or(|l| l == article.language);
    let mut out = Vec::new();
    for pattern in set.pattern_set.matches(text).iter() {
        let ri = set.pattern_rules[pattern];
        let rule = &set.rules[ri];
        let Matcher::Pattern(re) = &rule.matcher else { continue };
        if !applies(rule) {
            continue;
        }
        let mut at = 0;
        while at < text.len() {
            let Some(caps) = re.captures_at(text, at) else { break };
            let m = caps.get(0).expect("group 0 always matches");
            if on_boundaries(text, m.start(), m.end(), rule) {
                match pattern_draft(set, rule, &caps, article) {
                    Some(draft) => out.push(Candidate { rule: ri, start: m.start(), end: m.end(), draft }),
                    None => observer.dropped(ri, m.start(), m.end(), Dropped::NotAValue),
                }
                at = m.end().max(next_char(text, m.start()));
            } else {
                // A match inside a word: look again from the next character,
                // as a `\b`-anchored pattern would.
                observer.dropped(ri, m.start(), m.end(), Dropped::Boundary);
                at = next_char(text, m.start());
            }
        }
    }
    if let Some(ac) = &set.aliases {
        for m in ac.find_overlapping_iter(text) {
            let (ri, ei) = set.alias_targets[m.pattern().as_usize()];
            let rule = &set.rules[ri];
            if !applies(rule) {
                continue;
            }
            if !on_boundaries(text, m.start(), m.end(), rule) {
                observer.dropped(ri, m.start(), m.end(), Dropped::Boundary);
                continue;
            }
            let Matcher::Gazetteer(entries) = &rule.matcher else { continue };
            let entry = &entries[ei];
            let draft = if rule.suppress {
                Draft::Suppress
            } else {
                match rule.kind {
                    Kind::Envoy => Draft::Envoy {
                        name: entry.name.clone(),
                        role: entry.role.clone().or_else(|| rule.set.role.clone()),
                        represents: entry.represents.clone().or_else(|| rule.set.represents.clone()),
                    },
                    Kind::Location => Draft::Location(entry.name.clone()),
                    // Gazetteers of dates or counts are unusual but well defined:
                    // the canonical name is the value.
                    Kind::Date => match crate::article::PartialDate::parse(&entry.name) {
                        Some(d) => Draft::Date(
                            value::DateExpr::Calendar { year: Some(d.year), month: d.month, day: d.day },
                            None,
                        ),
                        None => continue,
                    },
                    Kind::Casualty => continue,
                }
            };
            out.push(Candidate { rule: ri, start: m.start(), end: m.end(), draft });
        }
    }
    out
}

fn next_char(text: &str, at: usize) -> usize {
    at + text[at..].chars().next().map_or(1, char::len_utf8)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
}

/// Whether a match sits on word boundaries, in the sense of `\b`: an edge
/// whose own character is a letter or digit must not touch another one. At
/// the end, one of the rule's `glue` words run into the match also counts as
/// a boundary.
fn on_boundaries(text: &str, start: usize, end: usize, rule: &Rule) -> bool {
    let check_start = matches!(rule.boundaries, Boundaries::Both | Boundaries::Start);
    let check_end = matches!(rule.boundaries, Boundaries::Both | Boundaries::End);
    let m = &text[start..end];
    let start_ok = !check_start
        || !m.chars().next().is_some_and(is_word)
        || !text[..start].chars().next_back().is_some_and(is_word);
    let after = &text[end..];
    let end_ok = !check_end
        || !m.chars().next_back().is_some_and(is_word)
        || !after.chars().next().is_some_and(is_word)
        || rule
            .glue
            .iter()
            .any(|g| after.strip_prefix(g.as_str()).is_some_and(|rest| !rest.chars().next().is_some_and(is_word)));
    start_ok && end_ok
}

/// The draft of a pattern match, or `None` when its captures are not a value.
fn pattern_draft(set: &RuleSet, rule: &Rule, caps: &Captures, article: &Article) -> Option<Draft> {
    if rule.suppress {
        return Some(Draft::Suppress);
    }
    let cap = |name: &str| caps.name(name).map(|m| m.as_str());
    let lex = &set.lexicons;
    match rule.kind {
        Kind::Date => {
            let f = DateFields {
                year: cap("year"),
                month: cap("month"),
                day: cap("day"),
                end_year: cap("end_year"),
                end_month: cap("end_month"),
                end_day: cap("end_day"),
                weekday: cap("weekday"),
                relative: cap("relative"),
                decade: cap("decade"),
            };
            value::date_draft(&f, lex, rule.set.direction)
        }
        Kind::Casualty => {
            let count = value::parse_count(cap("count")?, lex, article.language)?;
            let qualifier = match cap("qualifier") {
                Some(q) => lex.lookup("qualifier", q)?.to_string(),
                None => rule.set.qualifier.clone().unwrap_or_else(|| "exact".into()),
            };
            let outcome = match cap("outcome") {
                Some(o) => lex.lookup("outcome", o)?.to_string(),
                None => rule.set.outcome.clone()?,
            };
            Some(Draft::Casualty { count, qualifier, outcome })
        }
        Kind::Envoy => {
            let written = collapse(cap("name").unwrap_or_else(|| caps.get(0).map_or("", |m| m.as_str())));
            // "các ngoại trưởng Armenia và Azerbaijan": a title before a place
            // is not an envoy.
            if set.entry(Kind::Location, &written).is_some() {
                return None;
            }
            if let Some(entry) = set.entry(Kind::Envoy, &written) {
                return Some(Draft::Envoy {
                    name: entry.name.clone(),
                    role: entry.role.clone().or_else(|| rule.set.role.clone()),
                    represents: entry.represents.clone().or_else(|| rule.set.represents.clone()),
                });
            }
            let role = match cap("role") {
                Some(r) => Some(lex.lookup("role", r)?.to_string()),
                None => rule.set.role.clone(),
            };
            let represents = match cap("represents") {
                Some(r) => Some(
                    lex.lookup("represents", r)
                        .map(str::to_string)
                        .or_else(|| set.entry(Kind::Location, r).map(|e| e.name.clone()))?,
                ),
                None => rule.set.represents.clone(),
            };
            Some(Draft::Envoy { name: written, role, represents })
        }
        Kind::Location => {
            let written = collapse(cap("name").unwrap_or_else(|| caps.get(0).map_or("", |m| m.as_str())));
            let name = set.entry(Kind::Location, &written).map_or(written, |e| e.name.clone());
            Some(Draft::Location(name))
        }
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl RuleSet {
    /// The gazetteer entry a written name stands for, if any gazetteer of
    /// that kind lists it.
    ///
    /// A pattern's name capture may run on into the next capitalised word
    /// ("Sergei Lavrov Tuesday"): the longest leading run of words that a
    /// gazetteer lists wins.
    fn entry(&self, kind: Kind, written: &str) -> Option<&crate::rules::Entry> {
        let words: Vec<&str> = written.split_whitespace().collect();
        let exact = (1..=words.len()).rev().find_map(|n| {
            let (ri, ei) = self.names.get(&(kind, crate::rules::lexicon_key(&words[..n].join(" "))))?;
            self.gazetteer_entry(*ri, *ei)
        });
        exact.or_else(|| self.near_entry(kind, &crate::rules::lexicon_key(written)))
    }

    fn gazetteer_entry(&self, ri: usize, ei: usize) -> Option<&crate::rules::Entry> {
        match &self.rules[ri].matcher {
            Matcher::Gazetteer(entries) => entries.get(ei),
            Matcher::Pattern(_) => None,
        }
    }

    /// A full name one typo away from a listed alias ("Antony Blinkin",
    /// "Zohrab Mnatsakayan"): one edit in a name of at least eight
    /// characters, two from sixteen, same first letter; only when exactly
    /// one alias is that close. Only names a title introduced are looked up
    /// this way, so a stray capitalised word never becomes a diplomat.
    fn near_entry(&self, kind: Kind, key: &str) -> Option<&crate::rules::Entry> {
        let len = key.chars().count();
        let budget = match len {
            0..=7 => return None,
            8..=15 => 1,
            _ => 2,
        };
        let first = key.chars().next();
        let mut best: Option<(usize, &(usize, usize))> = None;
        let mut tied = false;
        for ((k, alias), target) in &self.names {
            if *k != kind || alias.chars().next() != first || alias.chars().count().abs_diff(len) > budget {
                continue;
            }
            let d = strsim::levenshtein(alias, key);
            if d == 0 || d > budget {
                continue;
            }
            match best {
                Some((bd, bt)) if d > bd || (d == bd && bt == target) => {}
                Some((bd, _)) if d == bd => tied = true,
                _ => {
                    best = Some((d, target));
                    tied = false;
                }
            }
        }
        let (_, &(ri, ei)) = best.filter(|_| !tied)?;
        self.gazetteer_entry(ri, ei)
    }
}

impl Run<'_> {
    /// The fact key of a kept candidate, or `None` for a suppressing match or
    /// a date that cannot be resolved.
    fn key(&self, set: &RuleSet, c: &Candidate) -> Option<FactKey> {
        let kind = set.rules[c.rule].kind;
        let key = match &c.draft {
            Draft::Suppress => return None,
            Draft::Date(start, end) => {
                let s = value::resolve_date(start, self.article_date)?;
                let v = match end {
                    Some(e) => format!("{s}/{}", value::resolve_date(e, self.article_date)?),
                    None => s,
                };
                FactKey::new(kind, Value::Text(v))
            }
            Draft::Envoy { name, role, represents } => {
                let mut k = FactKey::new(kind, Value::Text(name.clone()));
                k.role = role.clone();
                k.represents = represents.clone();
                k
            }
            Draft::Casualty { count, qualifier, outcome } => {
                let mut k = FactKey::new(kind, Value::Count(*count));
                k.qualifier = Some(qualifier.clone());
                k.outcome = Some(outcome.clone());
                k
            }
            Draft::Location(name) => FactKey::new(kind, Value::Text(name.clone())),
        };
        Some(key)
    }

    /// The facts: one per key, mentions in text order, spans in the original.
    pub(crate) fn facts(&self, set: &RuleSet, original: &str) -> Vec<Fact> {
        let mut facts: BTreeMap<FactKey, Vec<Mention>> = BTreeMap::new();
        for c in &self.kept {
            let Some(key) = self.key(set, c) else { continue };
            let (start, end) = (self.text.original_start(c.start), self.text.original_end(c.end));
            let mention =
                Mention { text: original[start..end].to_string(), start, end, rule: set.rules[c.rule].id.clone() };
            facts.entry(key).or_default().push(mention);
        }
        facts
            .into_iter()
            .map(|(key, mut mentions)| {
                mentions.sort();
                Fact { key, mentions }
            })
            .collect()
    }

    /// What rule `ri` contributed, as short descriptions (for example checks).
    pub(crate) fn outcomes_of(&self, set: &RuleSet, ri: usize) -> Vec<String> {
        self.kept
            .iter()
            .filter(|c| c.rule == ri)
            .filter_map(|c| match &c.draft {
                Draft::Suppress => self.describe(set, c),
                _ => self.key(set, c).map(|k| k.to_string()),
            })
            .collect()
    }

    /// The fact keys rule `ri` contributed.
    pub(crate) fn facts_of(&self, set: &RuleSet, ri: usize) -> Vec<FactKey> {
        self.kept.iter().filter(|c| c.rule == ri).filter_map(|c| self.key(set, c)).collect()
    }

    /// Everything the set contributed, with rule ids.
    pub(crate) fn all_outcomes(&self, set: &RuleSet) -> Vec<String> {
        self.kept
            .iter()
            .filter_map(|c| self.describe(set, c).map(|d| format!("{d} via {}", set.rules[c.rule].id)))
            .collect()
    }

    fn describe(&self, set: &RuleSet, c: &Candidate) -> Option<String> {
        match &c.draft {
            Draft::Suppress => Some(format!("claims {:?}", &self.text.text[c.start..c.end])),
            _ => match self.key(set, c) {
                Some(k) => Some(k.to_string()),
                None => Some(format!("an unresolved date {:?}", &self.text.text[c.start..c.end])),
            },
        }
    }
}
