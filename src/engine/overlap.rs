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

use std::cmp::Reverse;

use super::{Candidate, Dropped, Observer};
use crate::rules::RuleSet;

/// The sort key of a candidate, best first: priority, length, start, rule,
/// then the index it was found at.
type Rank = (Reverse<i32>, Reverse<usize>, usize, usize, usize);

/// Keeps the best non-overlapping candidates, returned in text order.
/// Each dropped candidate is reported to `observer` with the rule that beat it.
pub(crate) fn resolve<'s>(
    set: &RuleSet,
    candidates: Vec<Candidate<'s>>,
    observer: &mut impl Observer,
) -> Vec<Candidate<'s>> {
    // Best first. The candidate's index is the last key, so equal
    // candidates keep the order they were found in (as a stable sort would)
    // and the unstable sort of plain tuples can be used: it runs for every
    // article, over a few dozen candidates, and must not dominate.
    let mut order: Vec<Rank> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| (Reverse(set.rules[c.rule].priority), Reverse(c.end - c.start), c.start, c.rule, i))
        .collect();
    order.sort_unstable();
    // (start, end, rule) of every kept candidate, by start; kept spans never
    // overlap, so the last one starting before a candidate's end is the only
    // one that can overlap it.
    let mut taken: Vec<(usize, usize, usize)> = Vec::with_capacity(order.len());
    let mut keep = vec![false; candidates.len()];
    for &(_, _, start, rule, i) in &order {
        let end = candidates[i].end;
        let at = taken.partition_point(|&(s, _, _)| s < end);
        match at.checked_sub(1).map(|j| taken[j]) {
            Some((_, kept_end, winner)) if kept_end > start => {
                observer.dropped(rule, start, end, Dropped::Overlap { winner })
            }
            _ => {
                taken.insert(at, (start, end, rule));
                keep[i] = true;
            }
        }
    }
    let mut kept: Vec<Candidate> = candidates.into_iter().zip(keep).filter_map(|(c, k)| k.then_some(c)).collect();
    kept.sort_unstable_by_key(|c| (c.start, c.end, c.rule));
    kept
}
