//! Listening to the engine: which matches it dropped, and why.
//!
//! Extraction itself only needs the kept matches; tools that explain a rule
//! set (why was this match not a fact? which rule always loses?) need the
//! others too. The engine reports them to an [`Observer`]; the default,
//! [`Quiet`], has empty methods that the compiler removes, so extraction
//! pays nothing for the hook.

/// Why a match did not become a candidate, or a candidate not a kept match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dropped {
    /// The match starts or ends inside a word.
    Boundary,
    /// The captures are not a value (an invalid date, an unknown count
    /// word, a title before a place name...).
    NotAValue,
    /// An overlapping candidate of rule `winner` was preferred.
    Overlap {
        /// Index of the winning rule in the rule set.
        winner: usize,
    },
}

/// Hears of every dropped match, with its rule index and span in the
/// normalised text.
pub(crate) trait Observer {
    /// Whether it hears anything. Extraction for an observer that does not
    /// (`Quiet`) has the scanner leave out the starts whose matches would
    /// all be dropped at a word boundary, and so never sees those drops.
    const HEARS: bool = true;

    /// A match of rule `rule` at `start..end` was dropped.
    fn dropped(&mut self, rule: usize, start: usize, end: usize, why: Dropped) {
        let _ = (rule, start, end, why);
    }
}

/// The observer of plain extraction: hears nothing.
pub(crate) struct Quiet;

impl Observer for Quiet {
    const HEARS: bool = false;
}
