//! Settling overlapping matches.
//!
//! Policy: candidates are taken greedily, best first, and a candidate that
//! overlaps one already taken is dropped. "Best" is: higher `priority`, then
//! the longer match, then the earlier start, then the rule written first.
//! The policy is global across kinds on purpose: a suppressing rule
//! (`Politico Europe`) must beat the location inside it, and a title read as
//! part of an envoy is not also a date or a count. One nesting is allowed: a
//! place named inside an envoy's title (`U.S. Secretary of State ...`,
//! `Ngoại trưởng Nga Sergei Lavrov`) or inside a casualty statement ("a man
//! from the village Alibeyli, was killed") is still named as a place and is
//! kept beside the envoy or the count. The order is total, so the result does not depend on the
//! order candidates were found in.

use std::cmp::Reverse;

use super::{Candidate, Dropped, Observer};
use crate::fact::Kind;
use crate::rules::RuleSet;

/// The sort key of a candidate, best first: priority, length, start, rule,
/// then the index it was found at.
type Rank = (Reverse<i32>, Reverse<usize>, usize, usize, usize);

/// Kept spans as (start, end, rule), sorted by start; they never overlap.
#[derive(Default)]
struct Taken(Vec<(usize, usize, usize)>);

impl Taken {
    /// The kept span that overlaps `start..end`, if any: the last one
    /// starting before `end` is the only one that can.
    fn overlapping(&self, start: usize, end: usize) -> Option<(usize, usize, usize)> {
        let at = self.0.partition_point(|&(s, _, _)| s < end);
        at.checked_sub(1).map(|j| self.0[j]).filter(|&(_, e, _)| e > start)
    }

    fn insert(&mut self, start: usize, end: usize, rule: usize) {
        let at = self.0.partition_point(|&(s, _, _)| s < start);
        self.0.insert(at, (start, end, rule));
    }
}

/// Keeps the best non-overlapping candidates, returned in text order; the
/// one exception is a place inside an envoy's title or a casualty statement,
/// kept beside it.
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
    let mut taken = Taken::default();
    // Places named inside an envoy's title ("U.S. Secretary of State ...",
    // "Ngoại trưởng Nga ...") or a casualty statement: the place is named as
    // a place, so such a location is kept inside the winner's span; among
    // themselves they are settled the same way.
    let mut nested = Taken::default();
    let mut keep = vec![false; candidates.len()];
    for &(_, _, start, rule, i) in &order {
        let end = candidates[i].end;
        let Some((w_start, w_end, winner)) = taken.overlapping(start, end) else {
            taken.insert(start, end, rule);
            keep[i] = true;
            continue;
        };
        let inside_title_or_toll = set.rules[rule].kind == Kind::Location
            && !set.rules[rule].suppress
            && matches!(set.rules[winner].kind, Kind::Envoy | Kind::Casualty)
            && w_start <= start
            && end <= w_end;
        if !inside_title_or_toll {
            observer.dropped(rule, start, end, Dropped::Overlap { winner });
            continue;
        }
        match nested.overlapping(start, end) {
            Some((_, _, other)) => observer.dropped(rule, start, end, Dropped::Overlap { winner: other }),
            None => {
                nested.insert(start, end, rule);
                keep[i] = true;
            }
        }
    }
    let mut kept: Vec<Candidate> = candidates.into_iter().zip(keep).filter_map(|(c, k)| k.then_some(c)).collect();
    // No two kept candidates share a span and a rule: the order is total.
    kept.sort_unstable_by_key(|c| (c.start, c.end, c.rule));
    kept
}
