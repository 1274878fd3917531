//! Settling overlapping matches.
//!
//! Policy: candidates are taken greedily, best first, and a candidate that
//! overlaps one already taken is dropped. "Best" is: higher `priority`, then
//! the longer match, then the earlier start, then the rule written first.
//! The policy is global across kinds on purpose: a suppressing rule
//! (`Politico Europe`) must beat the location inside it, and a title read as
//! part of an envoy is not also a date or a count. One nesting is allowed: a
//! place named inside an envoy's title (`U.S. Secretary of State ...`,
//! `Ngoại trưởng Nga Sergei Lavrov`) names the country as a place and is kept
//! beside the envoy. The order is total, so the result does not depend on the
//! order candidates were found in.

use std::collections::BTreeMap;

use super::{Candidate, Dropped, Observer};
use crate::fact::Kind;
use crate::rules::RuleSet;

/// Keeps the best non-overlapping candidates, returned in text order; the
/// one exception is a place inside an envoy's title, kept beside the envoy.
/// Each dropped candidate is reported to `observer` with the rule that beat it.
pub(crate) fn resolve(set: &RuleSet, mut candidates: Vec<Candidate>, observer: &mut impl Observer) -> Vec<Candidate> {
    candidates.sort_by(|a, b| {
        let (ra, rb) = (&set.rules[a.rule], &set.rules[b.rule]);
        rb.priority
            .cmp(&ra.priority)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
            .then(a.rule.cmp(&b.rule))
    });
    // start -> (end, index in `kept`) of every kept candidate; kept spans
    // never overlap, so the last one starting before a candidate's end is
    // the only one that can overlap it.
    let mut taken: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    let mut kept: Vec<Candidate> = Vec::new();
    // Places named inside an envoy's title ("U.S. Secretary of State ...",
    // "Ngoại trưởng Nga ..."): the country is named as a place, so such a
    // location is kept inside the envoy's span; among themselves they are
    // settled the same way.
    let mut nested: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    let mut inner: Vec<Candidate> = Vec::new();
    for c in candidates {
        let Some((_, &(end, winner))) = taken.range(..c.end).next_back().filter(|(_, (end, _))| *end > c.start) else {
            taken.insert(c.start, (c.end, kept.len()));
            kept.push(c);
            continue;
        };
        let w = &kept[winner];
        let inside_envoy = set.rules[c.rule].kind == Kind::Location
            && !set.rules[c.rule].suppress
            && set.rules[w.rule].kind == Kind::Envoy
            && w.start <= c.start
            && c.end <= end;
        if !inside_envoy {
            observer.dropped(c.rule, c.start, c.end, Dropped::Overlap { winner: w.rule });
            continue;
        }
        match nested.range(..c.end).next_back().filter(|(_, (end, _))| *end > c.start) {
            Some((_, &(_, other))) => {
                observer.dropped(c.rule, c.start, c.end, Dropped::Overlap { winner: inner[other].rule })
            }
            None => {
                nested.insert(c.start, (c.end, inner.len()));
                inner.push(c);
            }
        }
    }
    kept.extend(inner);
    kept.sort_by_key(|c| (c.start, c.end, c.rule));
    kept
}
