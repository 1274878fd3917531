//! The one pass over a text: where each pattern and gazetteer alias of a rule
//! set matches.
//!
//! Decision: the `pattern` rules of each group (in a rule set, a kind and a
//! language) go into one lazy DFA that reports *all* matches (each pattern,
//! at each offset where one of its matches ends), and the gazetteers'
//! aliases into one Aho-Corasick automaton. The DFAs of the text's language
//! and of all languages walk the text together, each stepped over a byte in
//! turn (see [`walk`]), and the aliases' automaton walks it once more, so a
//! scan costs the same whatever the number of rules. A pattern that never
//! ends anywhere costs nothing more; for one that does, a reverse lazy DFA
//! (anchored per pattern) walks back from each such end over the match only,
//! which gives every offset where a match of that pattern starts, and how
//! far the furthest match from each start reaches. The engine then asks the
//! rule's own regex for its captures at exactly those starts, reading no
//! further than that reach. An alias is a literal, so its start is its end
//! minus its length.
//!
//! Why one DFA per group and not one for all: a DFA state is the set of
//! partial matches alive at a byte, and the partial matches of different
//! kinds (a count, a name, a month) are alive at once and independently, so
//! one automaton for all builds a state for each combination of them. Split
//! by kind, the states add up instead of multiplying: over the scale corpus
//! the forward states take half the memory, and the smaller automata walk
//! faster than the one they replace. The same holds, less strongly, between
//! the rules of two languages. The aliases, literals that thousands of
//! texts contain, are cheaper still in Aho-Corasick, which needs no cache.
//! Stepped with the groups' DFAs, the aliases would make the scan a third
//! faster, but as an Aho-Corasick DFA they take 22 MB more and 30 ms more to
//! load, and as a trie in a lazy DFA of their own about 16 MB more per
//! thread: the states of an automaton of a thousand names are many.
//!
//! The scanner matches what its patterns match, exactly; the rule set gives
//! it looser copies of the rules' patterns (see [`widen`]), so the ends and
//! starts it finds are those of the rules' matches and maybe a few more,
//! where the rule's regex then finds no match. The forward DFAs are built
//! without each pattern's optional lead ([`widen::ends_only`]), which
//! changes no end and spares them a partial match of it at every byte.
//!
//! This replaces "one `RegexSet` pass, then each firing rule's regex again over
//! the whole text" (one pass per firing rule): the text is read a fixed
//! number of times, whatever the number of rules, and the other work is
//! proportional to the matches.
//!
//! The automata are built lazily while texts are scanned; their caches (and
//! the buffers of a scan) live in a pool, one per thread that uses the set.
//!
//! Limit: the states of a forward DFA are the combinations of partial
//! matches the text brings about at once, and their number grows with the
//! rules faster than the rules do. While they fit in the cache ([`CACHE_CAPACITY`]
//! per DFA and thread) a scan costs one DFA step per byte; when a rule set needs more,
//! the cache would be cleared and rebuilt over and over, far slower than
//! searching rule by rule. So the DFA gives up when its cache has been
//! cleared a few times and it builds a state every few bytes; the scan then
//! fails, this thread's scratch remembers it, and the engine searches each
//! rule on its own from then on (the plain algorithm the scan replaces,
//! with the same results).

use aho_corasick::AhoCorasick;
use rayon::prelude::*;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::hybrid::LazyStateID;
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::{Pool, PoolGuard};
use regex_automata::{Anchored, Input, MatchKind, PatternID};
use regex_syntax::hir::Hir;

use super::widen;
use crate::article::Language;

/// Lazy DFA cache size: states are built as texts need them, so this bounds
/// memory per DFA and thread without costing it up front. The bundled rules'
/// automata reach about 18 MB of states per thread over the scale corpus,
/// most of it within the first 10 MB; the benches' set ten times larger
/// needs several times that, and with smaller caches it gave up and searched
/// rule by rule at a fraction of the speed. Memory is cheaper than that
/// fallback.
const CACHE_CAPACITY: usize = 256 << 20;

/// Give up on a DFA whose cache has been cleared this many times...
const GIVE_UP_CLEARS: usize = 3;

/// ... and that reads fewer bytes than this per state it builds.
const GIVE_UP_BYTES_PER_STATE: usize = 10;

/// Largest heap an automaton of the scanner may take while it compiles. The
/// reverse automaton holds every pattern of the set: the benches' set ten
/// times the bundled one needs more than 64 MB there (the bundled set about
/// 8 MB), and a rule set should not fail to load for its size alone.
const NFA_SIZE_LIMIT: usize = 512 << 20;

/// A group of patterns: a key, and the language of the texts they apply to
/// (`None`: all).
pub(crate) type Group = (usize, Option<Language>);

type MakeScratch = Box<dyn Fn() -> Scratch + Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>;

/// The compiled one-pass automata of a rule set.
pub(crate) struct Scanner {
    /// One DFA per group of patterns, "all matches" semantics...
    forward: Vec<DFA>,
    /// ... the set-wide index of each one's patterns...
    forward_patterns: Vec<Vec<usize>>,
    /// ... and the language of the texts it walks (`None`: all).
    forward_language: Vec<Option<Language>>,
    /// The patterns reversed, anchored per pattern.
    reverse: DFA,
    /// The aliases, all matches.
    gazetteer: AhoCorasick,
    patterns: usize,
    /// Byte length of each alias.
    alias_lens: Vec<usize>,
    pool: Pool<Scratch, MakeScratch>,
}

impl std::fmt::Debug for Scanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scanner")
            .field("patterns", &self.patterns)
            .field("groups", &self.forward.len())
            .field("aliases", &self.alias_lens.len())
            .finish()
    }
}

/// Per-thread state of a scan: DFA caches and reusable buffers.
#[derive(Debug)]
pub(crate) struct Scratch {
    /// One cache per forward DFA.
    forward: Vec<Cache>,
    reverse: Cache,
    /// Pattern matches found by the forward pass: (pattern, end), sorted.
    pub pattern_ends: Vec<(usize, usize)>,
    /// Alias matches found by the forward pass: (end, alias), sorted.
    pub alias_ends: Vec<(usize, usize)>,
    /// Starts of one pattern's matches, sorted and unique, each with the
    /// furthest end of a match from it: (start, furthest end).
    pub starts: Vec<(usize, usize)>,
    /// Set once a forward DFA gave up on this thread: scans fail at once.
    gave_up: bool,
}

/// A scan could not be completed; the caller searches another way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ScanFailed;

impl From<regex_automata::MatchError> for ScanFailed {
    fn from(_: regex_automata::MatchError) -> ScanFailed {
        ScanFailed
    }
}

impl From<regex_automata::hybrid::CacheError> for ScanFailed {
    fn from(_: regex_automata::hybrid::CacheError) -> ScanFailed {
        ScanFailed
    }
}

impl Scanner {
    /// Compiles the patterns (parsed), each in the group `groups[i]` names
    /// (see [`Group`]), and the aliases (literal text).
    pub(crate) fn new(patterns: Vec<Hir>, groups: &[Group], aliases: &[&str]) -> Result<Scanner, String> {
        let gazetteer = AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(aliases)
            .map_err(|e| e.to_string())?;
        let mut members: Vec<(Group, Vec<usize>)> = Vec::new();
        for (i, &g) in groups.iter().enumerate().take(patterns.len()) {
            match members.iter_mut().find(|(k, _)| *k == g) {
                Some((_, m)) => m.push(i),
                None => members.push((g, vec![i])),
            }
        }
        let build = |pats: &[&Hir], reverse: bool| {
            let nfa = thompson::Compiler::new()
                .configure(
                    thompson::Config::new()
                        .which_captures(WhichCaptures::None)
                        .nfa_size_limit(Some(NFA_SIZE_LIMIT))
                        .reverse(reverse),
                )
                .build_many_from_hir(pats)
                .map_err(|e| e.to_string())?;
            DFA::builder()
                .configure(
                    DFA::config()
                        .match_kind(MatchKind::All)
                        .cache_capacity(CACHE_CAPACITY)
                        .skip_cache_capacity_check(true)
                        .minimum_cache_clear_count(Some(GIVE_UP_CLEARS))
                        .minimum_bytes_per_state(Some(GIVE_UP_BYTES_PER_STATE))
                        .starts_for_each_pattern(reverse),
                )
                .build_from_nfa(nfa)
                .map_err(|e| e.to_string())
        };
        // The reverse automaton first, from the whole patterns; then the
        // patterns are taken apart for the forward ones, without copying
        // their syntax trees: copies took nearly as long as building the
        // forward automata.
        let reverse = build(&patterns.iter().collect::<Vec<_>>(), true)?;
        let count = patterns.len();
        let mut patterns: Vec<Option<Hir>> = patterns.into_iter().map(Some).collect();
        let members: Vec<(Vec<Hir>, Vec<usize>)> = members
            .into_iter()
            .map(|(_, ids)| (ids.iter().filter_map(|&i| patterns[i].take()).map(widen::ends_only).collect(), ids))
            .collect();
        let forward = members
            .into_par_iter()
            .map(|(ends, ids)| {
                let dfa = build(&ends.iter().collect::<Vec<_>>(), false);
                ends.into_iter().for_each(widen::dismantle);
                dfa.map(|dfa| (dfa, ids))
            })
            .collect::<Result<Vec<_>, String>>()?;
        let (forward, forward_patterns): (Vec<DFA>, Vec<Vec<usize>>) = forward.into_iter().unzip();
        let forward_language = forward_patterns.iter().map(|ids| ids.first().and_then(|&i| groups[i].1)).collect();
        let make: MakeScratch = {
            let (f, r): (Vec<DFA>, DFA) = (forward.clone(), reverse.clone());
            Box::new(move || Scratch {
                forward: f.iter().map(DFA::create_cache).collect(),
                reverse: r.create_cache(),
                pattern_ends: Vec::new(),
                alias_ends: Vec::new(),
                starts: Vec::new(),
                gave_up: false,
            })
        };
        Ok(Scanner {
            forward,
            forward_patterns,
            forward_language,
            reverse,
            gazetteer,
            patterns: count,
            alias_lens: aliases.iter().map(|a| a.len()).collect(),
            pool: Pool::new(make),
        })
    }

    /// This thread's scratch space.
    pub(crate) fn scratch(&self) -> PoolGuard<'_, Scratch, MakeScratch> {
        self.pool.get()
    }

    /// The byte length of alias `alias`.
    pub(crate) fn alias_len(&self, alias: usize) -> usize {
        self.alias_lens[alias]
    }

    /// Walks `text` once and fills `scratch.pattern_ends` (sorted by pattern,
    /// then end) and `scratch.alias_ends` (sorted by end, then alias: the
    /// order an Aho-Corasick overlapping search reports them in).
    ///
    /// Only the patterns for texts of `language` and for all texts are
    /// searched (all of them when `language` is `None`).
    pub(crate) fn scan(&self, text: &str, language: Option<Language>, scratch: &mut Scratch) -> Result<(), ScanFailed> {
        if scratch.gave_up {
            return Err(ScanFailed);
        }
        let scanned = self.scan_forward(text, language, scratch);
        scratch.gave_up = scanned.is_err();
        scanned
    }

    fn scan_forward(&self, text: &str, language: Option<Language>, scratch: &mut Scratch) -> Result<(), ScanFailed> {
        scratch.pattern_ends.clear();
        scratch.alias_ends.clear();
        let hay = text.as_bytes();
        // The DFAs that apply walk the text together, a few at a time (see
        // `walk`).
        let applies = |g: &usize| language.is_none() || self.forward_language[*g].is_none_or(|l| Some(l) == language);
        let mut together = [0; WALK_TOGETHER];
        let mut n = 0;
        for g in (0..self.forward.len()).filter(applies) {
            together[n] = g;
            n += 1;
            if n == WALK_TOGETHER {
                self.walk_groups(&together, hay, scratch)?;
                n = 0;
            }
        }
        if n > 0 {
            self.walk_groups(&together[..n], hay, scratch)?;
        }
        for m in self.gazetteer.find_overlapping_iter(hay) {
            scratch.alias_ends.push((m.end(), m.pattern().as_usize()));
        }
        scratch.pattern_ends.sort_unstable();
        scratch.alias_ends.sort_unstable();
        Ok(())
    }

    /// Walks `hay` with the forward DFAs of `groups` (1 to [`WALK_TOGETHER`]
    /// distinct ones) together, adding their matches to `scratch`.
    fn walk_groups(&self, groups: &[usize], hay: &[u8], scratch: &mut Scratch) -> Result<(), ScanFailed> {
        match *groups {
            [a] => self.walk_n([a], hay, scratch),
            [a, b] => self.walk_n([a, b], hay, scratch),
            [a, b, c] => self.walk_n([a, b, c], hay, scratch),
            [a, b, c, d] => self.walk_n([a, b, c, d], hay, scratch),
            _ => Err(ScanFailed),
        }
    }

    fn walk_n<const N: usize>(&self, groups: [usize; N], hay: &[u8], scratch: &mut Scratch) -> Result<(), ScanFailed> {
        // `groups` are in increasing order: their caches, in the same order.
        let caches: Vec<&mut Cache> =
            scratch.forward.iter_mut().enumerate().filter(|(g, _)| groups.contains(g)).map(|(_, c)| c).collect();
        let caches: [&mut Cache; N] = caches.try_into().map_err(|_| ScanFailed)?;
        let ends = &mut scratch.pattern_ends;
        let mut found =
            |k: usize, pattern: usize, end: usize| ends.push((self.forward_patterns[groups[k]][pattern], end));
        walk(groups.map(|g| &self.forward[g]), caches, hay, &mut found)
    }

    /// Fills `scratch.starts` with every offset at which a match of `pattern`
    /// starts, given `ends`, the offsets where its matches end (from
    /// [`Scanner::scan`]), each with the furthest end of a match from it:
    /// every match from that start, the leftmost-first one included, ends
    /// there or before, so the rule's regex need read no further.
    ///
    /// Returns `Ok(false)` without finishing when walking back would read
    /// more than `budget` bytes: a pattern that matches almost everywhere
    /// (`[^\n]+`) is then cheaper to search forward, once.
    pub(crate) fn starts(
        &self,
        text: &str,
        pattern: usize,
        ends: impl Iterator<Item = usize>,
        budget: usize,
        scratch: &mut Scratch,
    ) -> Result<bool, ScanFailed> {
        scratch.starts.clear();
        let (dfa, cache) = (&self.reverse, &mut scratch.reverse);
        let hay = text.as_bytes();
        let pid = PatternID::new(pattern).map_err(|_| ScanFailed)?;
        let mut spent = 0;
        for end in ends {
            let input = Input::new(hay).range(..end).anchored(Anchored::Pattern(pid));
            let mut sid = dfa.start_state_reverse(cache, &input)?;
            let mut at = end;
            let mut dead = false;
            cache.search_start(end);
            while at > 0 {
                at -= 1;
                cache.search_update(at);
                sid = dfa.next_state(cache, sid, hay[at])?;
                if sid.is_tagged() {
                    if sid.is_match() {
                        scratch.starts.push((at + 1, end));
                    } else if sid.is_dead() {
                        dead = true;
                        break;
                    } else if sid.is_quit() {
                        return Err(ScanFailed);
                    }
                }
            }
            if !dead {
                sid = dfa.next_eoi_state(cache, sid)?;
                if sid.is_match() {
                    scratch.starts.push((0, end));
                }
            }
            cache.search_finish(at);
            spent += end - at;
            if spent > budget {
                return Ok(false);
            }
        }
        // One entry per start, with its furthest end: sorted by start and,
        // for one start, furthest end first.
        scratch.starts.sort_unstable_by_key(|&(start, end)| (start, std::cmp::Reverse(end)));
        scratch.starts.dedup_by_key(|&mut (start, _)| start);
        Ok(true)
    }
}

/// How many forward DFAs [`walk`] steps together at most: those of one
/// language's texts take two walks.
const WALK_TOGETHER: usize = 4;

/// Walks `hay` once through `N` forward DFAs side by side, calling
/// `found(dfa, pattern, end)` for each match of one of their patterns
/// (pattern numbered within its DFA).
///
/// Why side by side: a DFA step is two dependent loads (the byte's class,
/// then the transition), so one DFA walking a text waits on memory at every
/// byte; the steps of different DFAs do not depend on each other, and the
/// processor overlaps them. Stepping each group's DFA over a byte in turn
/// costs far less than walking the text once per group.
fn walk<const N: usize>(
    dfas: [&DFA; N],
    caches: [&mut Cache; N],
    hay: &[u8],
    found: &mut impl FnMut(usize, usize, usize),
) -> Result<(), ScanFailed> {
    let mut sids = [LazyStateID::default(); N];
    for k in 0..N {
        sids[k] = dfas[k].start_state_forward(caches[k], &Input::new(hay))?;
        // Progress marks let each DFA measure how many bytes it reads per
        // state it builds, to give up when that is too few.
        caches[k].search_start(0);
    }
    let report = |k: usize, cache: &Cache, sid, at: usize, found: &mut dyn FnMut(usize, usize, usize)| {
        for i in 0..dfas[k].match_len(cache, sid) {
            found(k, dfas[k].match_pattern(cache, sid, i).as_usize(), at);
        }
    };
    // The loop of `hybrid::search::find_overlapping_fwd` for each DFA, with
    // a fast inner loop while every DFA stays in untagged states (no match,
    // nothing to compute): most bytes of news text take only that loop. A
    // match state means a match ended just before the byte that led to it
    // (DFA matches are delayed by one byte).
    let mut at = 0;
    while at < hay.len() {
        if sids.iter().all(|sid| !sid.is_tagged()) {
            while at < hay.len() {
                let mut next = sids;
                let mut tagged = false;
                for k in 0..N {
                    next[k] = dfas[k].next_state_untagged(caches[k], sids[k], hay[at]);
                    tagged |= next[k].is_tagged();
                }
                if tagged {
                    break;
                }
                sids = next;
                at += 1;
            }
            if at == hay.len() {
                break;
            }
        }
        // At least one DFA needs more than a table lookup for this byte.
        for k in 0..N {
            if sids[k].is_dead() {
                // No match can end from here on: a pattern anchored at the
                // start of the text (`\A`) that did not match there.
                continue;
            }
            if !sids[k].is_tagged() {
                let next = dfas[k].next_state_untagged(caches[k], sids[k], hay[at]);
                if !next.is_tagged() {
                    sids[k] = next;
                    continue;
                }
            }
            caches[k].search_update(at);
            sids[k] = dfas[k].next_state(caches[k], sids[k], hay[at])?;
            if sids[k].is_match() {
                report(k, caches[k], sids[k], at, found);
            } else if sids[k].is_quit() {
                // Cannot happen without quit bytes; stop rather than report
                // a partial scan.
                return Err(ScanFailed);
            }
        }
        at += 1;
    }
    for k in 0..N {
        if sids[k].is_dead() {
            continue;
        }
        caches[k].search_update(hay.len());
        sids[k] = dfas[k].next_eoi_state(caches[k], sids[k])?;
        caches[k].search_finish(hay.len());
        if sids[k].is_match() {
            report(k, caches[k], sids[k], hay.len(), found);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every (pattern, end) of `patterns` in `hay`, each pattern searched on
    /// its own with regex-automata's overlapping search: what the walk of
    /// all the groups together must report.
    fn one_by_one(patterns: &[&str], hay: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            let dfa = DFA::builder()
                .configure(DFA::config().match_kind(MatchKind::All))
                .build(p)
                .expect("the test pattern compiles");
            let mut cache = dfa.create_cache();
            let mut state = regex_automata::hybrid::dfa::OverlappingState::start();
            let input = Input::new(hay);
            loop {
                dfa.try_search_overlapping_fwd(&mut cache, &input, &mut state).expect("no quit bytes");
                match state.get_match() {
                    Some(m) => out.push((i, m.offset())),
                    None => break,
                }
            }
        }
        out.sort_unstable();
        out
    }

    const PATTERNS: [&str; 7] = [
        r"\A[0-9]+",
        r"(?:at\s+least\s+)?\d+ (?:killed|dead)",
        r"\p{Lu}\p{Ll}+",
        r"ngày \d{1,2}/\d{1,2}",
        r"(?P<role>(?:Foreign\s+)?Minister\s+)?(?:Lavrov|Bayramov)",
        r"[0-9]{4}",
        r"e\x{301}|é",
    ];

    proptest! {
        /// Seven groups (more than walk together, so two walks, one with a
        /// DFA that dies after the first bytes, two built without their
        /// optional leads) find, pattern by pattern, the ends each whole
        /// pattern's own DFA finds; a scan for one language, those of the
        /// groups for it and for all languages.
        #[test]
        fn walking_together_finds_what_each_dfa_finds(parts in prop::collection::vec(prop_oneof![
            prop::sample::select(vec!["20 killed", "at least", "Foreign Minister", "Lavrov", "ngày 21/10", "2020", "é", "e\u{301}", " ", "Moskva"])
                .prop_map(str::to_string),
            any::<String>(),
        ], 0..8)) {
            let hay = parts.concat();
            let hirs: Vec<Hir> = PATTERNS.iter().map(|p| regex_syntax::parse(p).expect("parses")).collect();
            let language = |i: usize| match PATTERNS[i] {
                p if p.contains("ngày") => Some(Language::Vi),
                p if p.contains("Lavrov") || p.contains("killed") => Some(Language::En),
                _ => None,
            };
            let groups: Vec<(usize, Option<Language>)> = (0..PATTERNS.len()).map(|i| (i, language(i))).collect();
            let scanner = Scanner::new(hirs, &groups, &[]).expect("the test patterns compile");
            let mut scratch = scanner.scratch();
            scanner.scan(&hay, None, &mut scratch).expect("the scan completes");
            let all = one_by_one(&PATTERNS, &hay);
            prop_assert_eq!(&scratch.pattern_ends, &all);
            for lang in [Language::En, Language::Vi] {
                scanner.scan(&hay, Some(lang), &mut scratch).expect("the scan completes");
                let applies = |&&(i, _): &&(usize, usize)| language(i).is_none_or(|l| l == lang);
                let expected: Vec<(usize, usize)> = all.iter().filter(applies).copied().collect();
                prop_assert_eq!(&scratch.pattern_ends, &expected, "{:?}", lang);
            }
        }
    }
}
