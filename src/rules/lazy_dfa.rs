//! A lazy DFA whose states all threads share.
//!
//! Decision: regex-automata's lazy DFA keeps its states in a cache that a
//! search writes to, so every thread needs a cache of its own, and every
//! thread built the same states again: about 9 MB a thread over the bundled
//! rules, most of a run's memory. Here the transition table is one for all
//! threads. A transition is read with one atomic load, without a lock;
//! only a transition not yet known takes the lock, computes the state it
//! leads to (building it if it is new) and publishes it. States are built
//! in the first second of a run and rarely after, so threads almost never
//! wait.
//!
//! The table is allocated zeroed at its full capacity once: the operating
//! system maps its pages only as states are written to them, so it holds
//! the memory of the states built, and states never move (readers need no
//! lock against the table growing); a system that will not reserve that
//! much address space gets a smaller table. (This needs the allocator to
//! map a large zeroed block on its own, as glibc does above its mmap
//! threshold, which the command line fixes at 128 KB; served from a heap,
//! the block would be cleared, and so held, in full.) Its cells are 16 bits wide (see
//! [`Cell`]), half the memory of 32-bit ones, enough to number 32,767
//! states: the bundled rules' DFAs build 7,700 and 4,900 over the scale
//! corpus, the benches' set ten times larger 12,500. A rule set that needs
//! more fills the table, and the scanner moves to a DFA of 32-bit cells
//! ([`TABLE_CAPACITY`]); when that one is full too, the scanner gives up and
//! the caller searches another way.
//!
//! What it matches: every match (regex-automata's "all" match kind) of each
//! pattern from the position a walk starts at (anchored). Look-arounds are
//! decided exactly where they look behind the start of a walk (`\A`, `^`
//! with or without `(?m)`: the walk's start state depends on the byte
//! before it); everywhere else they are taken as holding, so that the DFA
//! matches what its patterns match and more. The scanner only needs that
//! (see [`super::widen`]): each rule's own regex then reads the span.

use std::sync::atomic::{AtomicU16, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use regex_automata::util::look::Look;

use super::nfa::{Nfa, Step};

/// Bytes of transition table a DFA of 32-bit cells may fill (it takes only
/// what it fills): about 140,000 states of 118 classes.
pub(crate) const TABLE_CAPACITY: usize = 64 << 20;

/// The smallest table tried when the system refuses a larger one.
const TABLE_MINIMUM: usize = 1 << 20;

/// A table entry not computed yet.
const UNKNOWN: u32 = 0;

/// The DFA is full: no more states can be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Full;

/// A state of the DFA: the number of its row in the table, [`Cell::MATCH`]
/// set if a match ends in it.
pub(crate) type StateId = u32;

/// A cell of the transition table, holding a [`StateId`].
pub(crate) trait Cell: Zeroable + Send + Sync + Sized + 'static {
    /// Set on the id of a state where a match ends; the rows are numbered
    /// below it.
    const MATCH: u32;
    fn load(&self, order: Ordering) -> u32;
    fn store(&self, id: u32, order: Ordering);
}

impl Cell for AtomicU16 {
    const MATCH: u32 = 1 << 15;
    #[inline]
    fn load(&self, order: Ordering) -> u32 {
        u32::from(AtomicU16::load(self, order))
    }
    #[inline]
    fn store(&self, id: u32, order: Ordering) {
        // Ids stay below 2^16: rows below MATCH, the flag at bit 15.
        AtomicU16::store(self, id as u16, order);
    }
}

impl Cell for AtomicU32 {
    const MATCH: u32 = 1 << 31;
    #[inline]
    fn load(&self, order: Ordering) -> u32 {
        AtomicU32::load(self, order)
    }
    #[inline]
    fn store(&self, id: u32, order: Ordering) {
        AtomicU32::store(self, id, order);
    }
}

/// What lies behind a position: the start of the text or a byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Behind {
    Text,
    Byte(u8),
}

/// See the module documentation.
pub(crate) struct LazyDfa<C: Cell> {
    /// The byte class of each byte.
    classes: [u8; 256],
    /// Cells a row has: one per class.
    stride: usize,
    /// Row by row, the next state by class (or [`UNKNOWN`]).
    table: Box<[C]>,
    /// First, for each row of a match state, where its match list starts in
    /// this same block; then the match lists, a length and that many
    /// pattern numbers.
    lists: Box<[AtomicU32]>,
    /// Start states by the byte before the start (index 256: the start of
    /// the text).
    starts: Box<[StateId; 257]>,
    /// The dead state: no pattern can go on.
    dead: StateId,
    builder: Mutex<Builder>,
}

/// What building states needs, behind the lock.
struct Builder {
    nfa: Arc<Nfa>,
    /// A byte of each class.
    representatives: Vec<u8>,
    /// The NFA states (those that read a byte or match, sorted) of each
    /// row, and the state of each such set.
    sets: Vec<Arc<[u32]>>,
    states: std::collections::HashMap<Arc<[u32]>, StateId>,
    /// Rows used and the most there can be, and where the next match list
    /// goes in `lists`.
    rows: usize,
    max_rows: usize,
    lists_used: usize,
    /// Scratch: the states a byte leads to, those seen, visited and still
    /// to visit while following their closure, and the closure.
    roots: Vec<u32>,
    seen: Vec<bool>,
    visited: Vec<u32>,
    stack: Vec<u32>,
    set: Vec<u32>,
}

impl<C: Cell> std::fmt::Debug for LazyDfa<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazyDfa").field("classes", &self.stride).field("states", &self.state_count()).finish()
    }
}

impl<C: Cell> LazyDfa<C> {
    /// The DFA of `nfa`'s patterns, matches reported by pattern number,
    /// with a table of at most `bytes` bytes (and at most as many rows as
    /// its cells can number).
    pub(crate) fn new(nfa: Arc<Nfa>, bytes: usize) -> Result<LazyDfa<C>, String> {
        let ends = nfa.class_ends();
        let mut classes = [0u8; 256];
        let mut representatives = vec![0u8];
        for b in 0..256 {
            classes[b] = (representatives.len() - 1) as u8;
            if ends[b] && b < 255 {
                representatives.push(b as u8 + 1);
            }
        }
        let stride = representatives.len();
        let row_bytes = stride * std::mem::size_of::<C>();
        let most_rows = (C::MATCH as usize).min(bytes / row_bytes);
        // Each row may need a list start, and match lists are short.
        let reserve = |rows: usize| Some((zeroed::<C>(rows * stride)?, zeroed::<AtomicU32>(rows * 2 + 64)?, rows));
        let (table, lists, max_rows) = std::iter::successors(Some(most_rows), |r| Some(r / 2))
            .take_while(|&r| r >= (TABLE_MINIMUM / row_bytes).min(most_rows).max(4))
            .find_map(reserve)
            .ok_or("could not reserve memory for the scanner's automaton")?;
        let nfa_len = nfa.steps.len();
        let mut builder = Builder {
            nfa,
            representatives,
            sets: Vec::new(),
            states: std::collections::HashMap::new(),
            // Row 0 is never used: its number would read as unknown.
            rows: 1,
            max_rows,
            lists_used: max_rows,
            roots: Vec::new(),
            seen: vec![false; nfa_len],
            visited: Vec::new(),
            stack: Vec::new(),
            set: Vec::new(),
        };
        builder.sets.push(Arc::from([]));
        let full = |_| "the scanner's automaton is too large".to_string();
        let dead = builder.state::<C>(&lists).map_err(full)?;
        let mut starts = Box::new([0; 257]);
        let mut by_behind = std::collections::HashMap::new();
        for (i, start) in starts.iter_mut().enumerate() {
            let behind = match u8::try_from(i) {
                Ok(b) => Behind::Byte(b),
                Err(_) => Behind::Text,
            };
            // Only what the line anchors tell apart makes starts differ.
            let key = match behind {
                Behind::Byte(b) if b != b'\n' && b != b'\r' => Behind::Byte(0),
                other => other,
            };
            *start = match by_behind.get(&key) {
                Some(&id) => id,
                None => {
                    let roots = builder.nfa.starts.clone();
                    builder.closure(&roots, behind);
                    let id = builder.state::<C>(&lists).map_err(full)?;
                    by_behind.insert(key, id);
                    id
                }
            };
        }
        Ok(LazyDfa { classes, stride, table, lists, starts, dead, builder: Mutex::new(builder) })
    }

    /// The state a walk starts in, after `behind` (`None`: the start of
    /// the text).
    #[inline]
    pub(crate) fn start(&self, behind: Option<u8>) -> StateId {
        self.starts[behind.map_or(256, usize::from)]
    }

    #[inline]
    pub(crate) fn is_dead(&self, id: StateId) -> bool {
        id == self.dead
    }

    #[inline]
    pub(crate) fn is_match(id: StateId) -> bool {
        id & C::MATCH != 0
    }

    /// The state after reading `byte` in state `id`.
    #[inline]
    pub(crate) fn next(&self, id: StateId, byte: u8) -> Result<StateId, Full> {
        let class = usize::from(self.classes[usize::from(byte)]);
        let at = (id & !C::MATCH) as usize * self.stride + class;
        // Acquire: a state published by another thread is seen with its
        // match list.
        match self.table[at].load(Ordering::Acquire) {
            UNKNOWN => self.build(at),
            next => Ok(next),
        }
    }

    /// The patterns whose matches end in state `id`.
    pub(crate) fn matches(&self, id: StateId) -> impl Iterator<Item = usize> + '_ {
        let (at, len) = match LazyDfa::<C>::is_match(id) {
            true => {
                let at = self.lists[(id & !C::MATCH) as usize].load(Ordering::Relaxed) as usize;
                (at + 1, self.lists[at].load(Ordering::Relaxed) as usize)
            }
            false => (0, 0),
        };
        self.lists[at..at + len].iter().map(|p| p.load(Ordering::Relaxed) as usize)
    }

    /// Computes table entry `at`.
    #[cold]
    fn build(&self, at: usize) -> Result<StateId, Full> {
        let mut builder = self.builder.lock().unwrap_or_else(PoisonError::into_inner);
        // Another thread may have computed it while this one waited.
        let known = self.table[at].load(Ordering::Relaxed);
        if known != UNKNOWN {
            return Ok(known);
        }
        builder.step(at / self.stride, at % self.stride);
        let next = builder.state::<C>(&self.lists)?;
        // Release: pairs with the Acquire in `next`.
        self.table[at].store(next, Ordering::Release);
        Ok(next)
    }

    /// States built so far (the dead state included).
    pub(crate) fn state_count(&self) -> usize {
        self.builder.lock().unwrap_or_else(PoisonError::into_inner).rows - 1
    }
}

impl Builder {
    /// Fills `self.set` with the states reached from those of `row` by
    /// reading a byte of class `class`.
    fn step(&mut self, row: usize, class: usize) {
        let byte = self.representatives[class];
        let mut roots = std::mem::take(&mut self.roots);
        roots.clear();
        for &s in self.sets[row].iter() {
            if let Step::Bytes { from, to } = self.nfa.steps[s as usize] {
                let edges = &self.nfa.edges[from as usize..to as usize];
                roots.extend(edges.iter().filter(|e| e.lo <= byte && byte <= e.hi).map(|e| e.next));
            }
        }
        self.closure(&roots, Behind::Byte(byte));
        self.roots = roots;
    }

    /// Fills `self.set` with the NFA states reached from `roots` without
    /// reading a byte, where `behind` lies behind the position: those that
    /// read a byte or match, sorted.
    fn closure(&mut self, roots: &[u32], behind: Behind) {
        self.set.clear();
        self.stack.clear();
        self.stack.extend(roots.iter().rev());
        while let Some(s) = self.stack.pop() {
            if std::mem::replace(&mut self.seen[s as usize], true) {
                continue;
            }
            self.visited.push(s);
            match self.nfa.steps[s as usize] {
                Step::Bytes { .. } | Step::Match { .. } => self.set.push(s),
                Step::Split { from, to } => {
                    self.stack.extend(self.nfa.alternates[from as usize..to as usize].iter().rev());
                }
                Step::Look { look, next } => {
                    if holds(look, behind) {
                        self.stack.push(next);
                    }
                }
                Step::Fail => {}
            }
        }
        for s in self.visited.drain(..) {
            self.seen[s as usize] = false;
        }
        self.set.sort_unstable();
    }

    /// The state of `self.set`, built if it is new (its match list
    /// written to `lists`).
    fn state<C: Cell>(&mut self, lists: &[AtomicU32]) -> Result<StateId, Full> {
        if let Some(&id) = self.states.get(&self.set[..]) {
            return Ok(id);
        }
        let row = self.rows;
        if row >= self.max_rows {
            return Err(Full);
        }
        let patterns: Vec<u32> = self
            .set
            .iter()
            .filter_map(|&s| match self.nfa.steps[s as usize] {
                Step::Match { pattern } => Some(pattern),
                _ => None,
            })
            .collect();
        let mut id = row as StateId;
        if !patterns.is_empty() {
            let at = self.lists_used;
            if at + 1 + patterns.len() > lists.len() {
                return Err(Full);
            }
            lists[at].store(patterns.len() as u32, Ordering::Relaxed);
            for (slot, &p) in lists[at + 1..].iter().zip(&patterns) {
                slot.store(p, Ordering::Relaxed);
            }
            self.lists_used = at + 1 + patterns.len();
            lists[row].store(at as u32, Ordering::Relaxed);
            id |= C::MATCH;
        }
        self.rows += 1;
        let set: Arc<[u32]> = Arc::from(&self.set[..]);
        self.sets.push(Arc::clone(&set));
        self.states.insert(set, id);
        Ok(id)
    }
}

/// Whether `look` is taken to hold at a position with `behind` behind it:
/// the anchors that look only behind are decided, the rest hold (the DFA
/// matches more, never less).
fn holds(look: Look, behind: Behind) -> bool {
    match look {
        Look::Start => behind == Behind::Text,
        Look::StartLF => matches!(behind, Behind::Text | Behind::Byte(b'\n')),
        Look::StartCRLF => matches!(behind, Behind::Text | Behind::Byte(b'\n' | b'\r')),
        _ => true,
    }
}

/// `len` zeroed cells. Allocated zeroed, a large block is mapped by the
/// operating system page by page as it is written.
fn zeroed<T: Zeroable>(len: usize) -> Option<Box<[T]>> {
    if len == 0 {
        return None;
    }
    let layout = std::alloc::Layout::array::<T>(len).ok()?;
    // SAFETY: the layout is not zero-sized (len > 0); all-zero bytes are a
    // valid `T` (see `Zeroable`); the box frees the memory with the same
    // layout, that of `[T]` of `len`.
    unsafe {
        let ptr = std::alloc::alloc_zeroed(layout).cast::<T>();
        if ptr.is_null() {
            return None;
        }
        Some(Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len)))
    }
}

/// Types for which all-zero bytes are a valid value.
///
/// # Safety
///
/// Implement only for such types: [`zeroed`] relies on it.
pub(crate) unsafe trait Zeroable {}

// SAFETY: atomic integers have the size, bit validity and alignment of
// their integer, for which zero is valid.
unsafe impl Zeroable for AtomicU16 {}
// SAFETY: as above.
unsafe impl Zeroable for AtomicU32 {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The DFA of `patterns`, one per `;`.
    fn dfa<C: Cell>(patterns: &str, bytes: usize) -> LazyDfa<C> {
        let nfas: Vec<Nfa> = patterns
            .split(';')
            .map(|p| Nfa::compile(&regex_syntax::parse(p).expect("parses")).expect("compiles"))
            .collect();
        LazyDfa::new(Arc::new(Nfa::merge(&nfas)), bytes).expect("builds")
    }

    /// Walks `hay` from its start: the ends of the matches, or where the
    /// DFA gave up.
    fn walk<C: Cell>(dfa: &LazyDfa<C>, hay: &[u8]) -> Result<Vec<usize>, Full> {
        let mut id = dfa.start(None);
        let mut ends = Vec::new();
        for (i, &b) in hay.iter().enumerate() {
            if LazyDfa::<C>::is_match(id) {
                ends.push(i);
            }
            id = dfa.next(id, b)?;
            if dfa.is_dead(id) {
                return Ok(ends);
            }
        }
        if LazyDfa::<C>::is_match(id) {
            ends.push(hay.len());
        }
        Ok(ends)
    }

    /// A match ends in the state reached after its last byte, every match
    /// of every pattern is reported, and the walk ends where no match can
    /// go on.
    #[test]
    fn every_end_of_a_walk_is_reported() {
        fn check<C: Cell>() {
            let dfa = dfa::<C>("a+;ab", TABLE_CAPACITY);
            assert_eq!(walk(&dfa, b"aaab"), Ok(vec![1, 2, 3]));
            assert_eq!(walk(&dfa, b"ab"), Ok(vec![1, 2]));
            let after_a = dfa.next(dfa.start(None), b'a').expect("room");
            assert_eq!(dfa.matches(after_a).collect::<Vec<_>>(), [0]);
            let after_ab = dfa.next(after_a, b'b').expect("room");
            assert_eq!(dfa.matches(after_ab).collect::<Vec<_>>(), [1]);
            let after_aa = dfa.next(after_a, b'a').expect("room");
            assert_eq!(dfa.matches(after_aa).collect::<Vec<_>>(), [0]);
            assert_eq!(walk(&dfa, b"ba"), Ok(vec![]));
        }
        check::<AtomicU16>();
        check::<AtomicU32>();
    }

    /// A 16-bit cell holds the highest row with its match flag.
    #[test]
    fn a_narrow_cell_holds_the_last_row_flagged() {
        let cell = AtomicU16::new(0);
        let id = (AtomicU16::MATCH - 1) | AtomicU16::MATCH;
        Cell::store(&cell, id, Ordering::Relaxed);
        assert_eq!(Cell::load(&cell, Ordering::Relaxed), id);
        assert!(LazyDfa::<AtomicU16>::is_match(id));
    }

    /// With no room for the states a text needs, the DFA says so rather
    /// than search wrongly; the states it has keep working.
    #[test]
    fn a_full_table_gives_up() {
        let stride = dfa::<AtomicU16>("abcdef", TABLE_CAPACITY).stride;
        // The unused row, the dead state, the start and one more.
        let small = dfa::<AtomicU16>("abcdef", 4 * stride * 2);
        assert_eq!(walk(&small, b"abcdef"), Err(Full));
        assert_eq!(small.next(small.start(None), b'a').map(|id| small.is_dead(id)), Ok(false));
        assert_eq!(walk(&dfa::<AtomicU16>("abcdef", TABLE_CAPACITY), b"abcdef"), Ok(vec![6]));
    }

    /// The start state depends on the byte before the start only through
    /// the anchors that look behind.
    #[test]
    fn starts_differ_only_where_an_anchor_looks_behind() {
        let dfa = dfa::<AtomicU16>(r"(?m)^x|\Ay", TABLE_CAPACITY);
        assert_eq!(walk(&dfa, b"x"), Ok(vec![1]));
        assert_eq!(walk(&dfa, b"y"), Ok(vec![1]));
        let after = |b: u8, hay: &[u8]| {
            let id = dfa.next(dfa.start(Some(b)), hay[0]).expect("room");
            LazyDfa::<AtomicU16>::is_match(id)
        };
        assert!(after(b'\n', b"x") && !after(b'\n', b"y"));
        assert!(!after(b'a', b"x") && !after(b'a', b"y"));
        assert_eq!(dfa.start(Some(b'a')), dfa.start(Some(b'z')));
    }
}
