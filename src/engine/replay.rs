//! What tools need from a run beyond the kept matches: every candidate again,
//! with the value it would have given, and spans in the original text.
//!
//! The [`Observer`](super::Observer) hears of a dropped match by rule and
//! span only, so that plain extraction never pays for building descriptions
//! of matches it throws away. A tool that explains a drop ("this match would
//! have given `location Moscow` but lost to `location.not-a-place`") asks the
//! run for its candidates once more here, at the price of a second candidate
//! pass over the article. Nothing in this file is on the extraction path.

use super::{candidates, Candidate, Quiet, Run};
use crate::article::Article;
use crate::fact::FactKey;
use crate::rules::RuleSet;

/// What a candidate stands for once the article's date is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Valued {
    /// A fact.
    Fact(FactKey),
    /// A suppressing match: it claims its text and states nothing.
    Suppress,
    /// A date that cannot be resolved (a weekday in an undated article).
    UnresolvedDate,
}

impl Run<'_> {
    /// Every candidate of the article before overlaps were settled: the kept
    /// ones and those that lost an overlap, in the order the engine found them.
    pub(crate) fn replay_candidates<'s>(&self, set: &'s RuleSet, article: &Article) -> Vec<Candidate<'s>> {
        candidates(set, &self.text.text, article, &mut Quiet)
    }

    /// The value of a candidate of this run, resolved against its article date.
    pub(crate) fn value(&self, set: &RuleSet, c: &Candidate) -> Valued {
        match (&c.draft, self.key(set, c)) {
            (super::Draft::Suppress, _) => Valued::Suppress,
            (_, Some(key)) => Valued::Fact(key),
            (_, None) => Valued::UnresolvedDate,
        }
    }

    /// The span in the original text of a span in the normalised text.
    pub(crate) fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        (self.text.original_start(start), self.text.original_end(end))
    }
}
