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

use super::Candidate;
use crate::rules::RuleSet;

/// Keeps the best non-overlapping candidates, returned in text order.
pub(crate) fn resolve(set: &RuleSet, mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    candidates.sort_by(|a, b| {
        let (ra, rb) = (&set.rules[a.rule], &set.rules[b.rule]);
        rb.priority
            .cmp(&ra.priority)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
            .then(a.rule.cmp(&b.rule))
    });
    // start -> end of every kept candidate; kept spans never overlap, so
    // checking the neighbours on either side is enough.
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut kept = Vec::new();
    for c in candidates {
        let before = taken.range(..c.end).next_back();
        let overlaps = before.is_some_and(|(_, &end)| end > c.start);
        if !overlaps {
            taken.insert(c.start, c.end);
            kept.push(c);
        }
    }
    kept.sort_by_key(|c| (c.start, c.end, c.rule));
    kept
}
