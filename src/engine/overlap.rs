//! Settling overlapping matches.
//!
//! Policy: candidates are taken greedily, best first, and a candidate that
//! overlaps one already taken is dropped. "Best" is: higher `priority`, then
//! the longer match, then the earlier start, then the rule written first.
//! The policy is global across kinds on purpose: a suppressing rule
//! (`Politico Europe`) must beat the location inside it, and an envoy's role
//! phrase (`Ngoại trưởng Nga Sergei Lavrov`) is not also a mention of the
//! place it names. The order is total, so the result does not depend on the
//! order candidates were found in.

use std::collections::BTreeMap;

use super::{Candidate, Dropped, Observer};
use crate::rules::RuleSet;

/// Keeps the best non-overlapping candidates, returned in text order.
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
    for c in candidates {
        match taken.range(..c.end).next_back() {
            Some((_, &(end, winner))) if end > c.start => {
                observer.dropped(c.rule, c.start, c.end, Dropped::Overlap { winner: kept[winner].rule })
            }
            _ => {
                taken.insert(c.start, (c.end, kept.len()));
                kept.push(c);
            }
        }
    }
    kept.sort_by_key(|c| (c.start, c.end, c.rule));
    kept
}
