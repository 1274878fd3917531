//! The scanner's NFAs: each pattern's looser copy (see [`super::widen`])
//! compiled on its own as the rule is compiled, then put side by side into
//! one NFA per lane of the scanner.
//!
//! Why not one regex-automata compile of all the patterns together: the
//! combined syntax trees of a language (tens of thousands of nodes) and the
//! compiler's builder for them were the peak of loading the rules, about 28
//! MB of a 38 MB peak. Compiled pattern by pattern, each tree is freed as
//! soon as its NFA is built, and the NFAs are kept in a compact form of
//! their own, which [`super::lazy_dfa`] determinizes.

use regex_automata::nfa::thompson::{self, State, WhichCaptures};
use regex_automata::util::look::Look;
use regex_syntax::hir::Hir;

/// Largest heap the compiler may take for one pattern's NFA: a rule whose
/// lexicon is a long list of names makes a large one, and a rule set should
/// not fail to load for its size alone.
const NFA_SIZE_LIMIT: usize = 512 << 20;

/// A state of an [`Nfa`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Reads one byte: the edges `edges[from..to]`, by byte range.
    Bytes { from: u32, to: u32 },
    /// Goes on to every state of `alternates[from..to]` without reading.
    Split { from: u32, to: u32 },
    /// Goes on to `next` where `look` holds.
    Look { look: Look, next: u32 },
    /// A match of pattern `pattern` ends here.
    Match { pattern: u32 },
    /// Goes nowhere.
    Fail,
}

/// An edge of a [`Step::Bytes`] state: the bytes `lo..=hi` lead to `next`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Edge {
    pub lo: u8,
    pub hi: u8,
    pub next: u32,
}

/// An NFA without captures, anchored at each pattern's start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Nfa {
    pub steps: Vec<Step>,
    pub edges: Vec<Edge>,
    pub alternates: Vec<u32>,
    /// The start state of each pattern, by pattern number.
    pub starts: Vec<u32>,
}

impl Nfa {
    /// Compiles one pattern (pattern 0 of the NFA).
    pub(crate) fn compile(hir: &Hir) -> Result<Nfa, String> {
        let compiled = thompson::Compiler::new()
            .configure(thompson::Config::new().which_captures(WhichCaptures::None).nfa_size_limit(Some(NFA_SIZE_LIMIT)))
            .build_from_hir(hir)
            .map_err(|e| e.to_string())?;
        Ok(Nfa::from_thompson(&compiled))
    }

    /// The compact form of a regex-automata NFA of one pattern.
    fn from_thompson(compiled: &thompson::NFA) -> Nfa {
        let mut nfa = Nfa::default();
        for state in compiled.states() {
            let step = match state {
                State::ByteRange { trans } => nfa.bytes([(trans.start, trans.end, trans.next.as_u32())]),
                State::Sparse(sparse) => {
                    nfa.bytes(sparse.transitions.iter().map(|t| (t.start, t.end, t.next.as_u32())))
                }
                State::Dense(dense) => {
                    // Runs of bytes with the same target, no-transition
                    // (state 0) left out.
                    let mut runs: Vec<(u8, u8, u32)> = Vec::new();
                    for (b, next) in (0..=255u8).zip(dense.transitions.iter().map(|id| id.as_u32())) {
                        match runs.last_mut() {
                            Some(run) if run.2 == next && run.1.checked_add(1) == Some(b) => run.1 = b,
                            _ => runs.push((b, b, next)),
                        }
                    }
                    nfa.bytes(runs.into_iter().filter(|run| run.2 != 0))
                }
                State::Look { look, next } => Step::Look { look: *look, next: next.as_u32() },
                State::Union { alternates } => nfa.split(alternates.iter().map(|id| id.as_u32())),
                State::BinaryUnion { alt1, alt2 } => nfa.split([alt1.as_u32(), alt2.as_u32()]),
                State::Capture { next, .. } => nfa.split([next.as_u32()]),
                State::Fail => Step::Fail,
                State::Match { .. } => Step::Match { pattern: 0 },
            };
            nfa.steps.push(step);
        }
        nfa.starts.push(compiled.start_anchored().as_u32());
        nfa
    }

    fn bytes(&mut self, edges: impl IntoIterator<Item = (u8, u8, u32)>) -> Step {
        let from = self.edges.len() as u32;
        self.edges.extend(edges.into_iter().map(|(lo, hi, next)| Edge { lo, hi, next }));
        Step::Bytes { from, to: self.edges.len() as u32 }
    }

    fn split(&mut self, alternates: impl IntoIterator<Item = u32>) -> Step {
        let from = self.alternates.len() as u32;
        self.alternates.extend(alternates);
        Step::Split { from, to: self.alternates.len() as u32 }
    }

    /// The patterns of `parts` side by side, numbered in order.
    pub(crate) fn merge<'a>(parts: impl IntoIterator<Item = &'a Nfa> + Clone) -> Nfa {
        // Sized exactly: the merged NFAs are kept for the whole run.
        let total = |len: fn(&Nfa) -> usize| parts.clone().into_iter().map(len).sum::<usize>();
        let mut nfa = Nfa {
            steps: Vec::with_capacity(total(|n| n.steps.len())),
            edges: Vec::with_capacity(total(|n| n.edges.len())),
            alternates: Vec::with_capacity(total(|n| n.alternates.len())),
            starts: Vec::with_capacity(total(|n| n.starts.len())),
        };
        for part in parts {
            let (base, edge_base, alt_base) =
                (nfa.steps.len() as u32, nfa.edges.len() as u32, nfa.alternates.len() as u32);
            let pattern_base = nfa.starts.len() as u32;
            nfa.steps.extend(part.steps.iter().map(|&step| match step {
                Step::Bytes { from, to } => Step::Bytes { from: from + edge_base, to: to + edge_base },
                Step::Split { from, to } => Step::Split { from: from + alt_base, to: to + alt_base },
                Step::Look { look, next } => Step::Look { look, next: next + base },
                Step::Match { pattern } => Step::Match { pattern: pattern + pattern_base },
                Step::Fail => Step::Fail,
            }));
            nfa.edges.extend(part.edges.iter().map(|e| Edge { next: e.next + base, ..*e }));
            nfa.alternates.extend(part.alternates.iter().map(|&a| a + base));
            nfa.starts.extend(part.starts.iter().map(|&s| s + base));
        }
        nfa
    }

    /// Whether some pattern may match the empty string (look-arounds taken
    /// as holding).
    pub(crate) fn can_match_empty(&self) -> bool {
        let mut seen = vec![false; self.steps.len()];
        let mut stack = self.starts.clone();
        while let Some(s) = stack.pop() {
            if std::mem::replace(&mut seen[s as usize], true) {
                continue;
            }
            match self.steps[s as usize] {
                Step::Match { .. } => return true,
                Step::Split { from, to } => stack.extend(&self.alternates[from as usize..to as usize]),
                Step::Look { next, .. } => stack.push(next),
                Step::Bytes { .. } | Step::Fail => {}
            }
        }
        false
    }

    /// Bytes after which a byte class ends: the ends of every edge's
    /// range, so that all bytes of a class lead to the same states, and
    /// `\n` and `\r` on their own, which the line anchors look behind for.
    pub(crate) fn class_ends(&self) -> [bool; 256] {
        let mut ends = [false; 256];
        for e in &self.edges {
            ends[usize::from(e.hi)] = true;
            if let Some(before) = e.lo.checked_sub(1) {
                ends[usize::from(before)] = true;
            }
        }
        for b in [b'\n', b'\r'] {
            ends[usize::from(b)] = true;
            ends[usize::from(b - 1)] = true;
        }
        ends[255] = true;
        ends
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(pattern: &str) -> Nfa {
        Nfa::compile(&regex_syntax::parse(pattern).expect("parses")).expect("compiles")
    }

    /// Merging renumbers the second pattern's states, edges, alternates and
    /// match, and keeps the first as it was.
    #[test]
    fn merging_offsets_the_later_patterns() {
        let (a, b) = (compile("ab|c"), compile("[0-9]+x"));
        let merged = Nfa::merge([&a, &b]);
        assert_eq!(merged.steps.len(), a.steps.len() + b.steps.len());
        assert_eq!(&merged.steps[..a.steps.len()], &a.steps[..]);
        assert_eq!(merged.starts, [a.starts[0], b.starts[0] + a.steps.len() as u32]);
        let matches: Vec<u32> = merged
            .steps
            .iter()
            .filter_map(|s| match s {
                Step::Match { pattern } => Some(*pattern),
                _ => None,
            })
            .collect();
        assert_eq!(matches, [0, 1]);
        let edge_base = a.edges.len();
        for (e, original) in merged.edges[edge_base..].iter().zip(&b.edges) {
            assert_eq!(e.next, original.next + a.steps.len() as u32);
        }
    }

    #[test]
    fn empty_matches_are_seen_through_alternations_and_looks() {
        assert!(compile(r"(?:\d+%)?").can_match_empty());
        assert!(compile(r"\b|x").can_match_empty());
        assert!(!compile(r"\bx*y").can_match_empty());
    }

    /// The class boundaries fall around every edge's range and isolate the
    /// line ends.
    #[test]
    fn class_ends_split_at_edges_and_line_ends() {
        let ends = compile("[b-d]").class_ends();
        let at: Vec<usize> = (0..256).filter(|&b| ends[b]).collect();
        assert_eq!(at, [9, 10, 12, 13, usize::from(b'a'), usize::from(b'd'), 255]);
    }
}
