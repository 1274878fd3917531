//! The one pass over a text: where each match of each pattern and gazetteer
//! alias of a rule set starts and ends.
//!
//! Decision: the `pattern` rules that apply to texts of a language (its own
//! and those for all languages) go into one lazy DFA with all-matches
//! semantics, and that DFA is walked *anchored* from each character of the
//! text: the walk from offset `s` reports every pattern, at every offset
//! where one of its matches from `s` ends, and stops where no pattern can go
//! on, which for most offsets is the first or second byte (no pattern starts
//! with that character). So the scan gives each match's start and ends
//! directly; the engine asks the rule's own regex for its captures at those
//! starts, reading no further than the furthest end. The gazetteers'
//! aliases go into one Aho-Corasick automaton, walked once; an alias is a
//! literal, so its start is its end minus its length.
//!
//! Why anchored walks and not one unanchored pass: a DFA state is the set of
//! partial matches alive at a byte. Unanchored, those are the partial
//! matches started at every offset before it, and the states are their
//! combinations: over the scale corpus the unanchored DFAs took 12 MB a
//! thread, even split ten ways by kind and language to keep the
//! combinations apart, and finding where their matches start took a reverse
//! DFA of 6 MB more and a walk back over every match. From one offset, the
//! partial matches alive are those of one stretch of text: the two anchored
//! DFAs take 8.5 MB a thread, and the starts come for free. The walks cost
//! about three DFA steps per byte of text, against one per DFA and byte
//! unanchored (six or seven DFAs a text), plus the walks back.
//!
//! Walks from inside a word are left out where they cannot count: a rule
//! whose matches must start on a word boundary (the default) drops every
//! match that starts between two letters or digits, so extraction has the
//! scanner walk from the first character of each word and from the
//! characters between words only: over the scale corpus, 5 to 17% less
//! time on one thread, with the same facts. (Tools that report dropped matches ask for
//! every start, and see those drops.)
//!
//! The scanner matches what its patterns match, exactly; the rule set gives
//! it looser copies of the rules' patterns (see [`widen`]), so the starts it
//! reports are those of the rules' matches and maybe a few more, where the
//! rule's regex then finds no match.
//!
//! This replaces "one `RegexSet` pass, then each firing rule's regex again over
//! the whole text" (one pass per firing rule): the work is the same whatever
//! the number of rules, apart from the matches.
//!
//! The automata are built lazily while texts are scanned; their caches (and
//! the buffers of a scan) live in a pool, one per thread that uses the set.
//!
//! Limits. A pattern that can run on from almost any character (one that
//! starts with `[^\n]+`) would make each walk run to the end of its line,
//! and a scan cost the square of a line's length: a scan that takes more
//! than [`WALK_BUDGET`] steps per byte stops, and that text is searched rule
//! by rule. And the states of a DFA grow with the rules: while they fit in
//! the cache ([`CACHE_CAPACITY`] per DFA and thread) a step is a table
//! lookup; when a rule set needs more, the cache would be cleared and
//! rebuilt over and over, far slower than searching rule by rule. So the DFA
//! gives up when its cache has been cleared a few times and it builds a
//! state every few bytes; the scan then fails, this thread's scratch
//! remembers it, and the engine searches each rule on its own from then on
//! (the plain algorithm the scan replaces, with the same results).

use aho_corasick::AhoCorasick;
use rayon::prelude::*;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::hybrid::LazyStateID;
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::{Pool, PoolGuard};
use regex_automata::util::start;
use regex_automata::{Anchored, MatchKind};
use regex_syntax::hir::Hir;

use super::widen;
use crate::article::Language;

/// Lazy DFA cache size: states are built as texts need them, so this bounds
/// memory per DFA and thread without costing it up front. The bundled rules'
/// automata reach about 8.5 MB of states per thread over the scale corpus,
/// most of it within the first 10 MB; the benches' set ten times larger
/// needs several times that, and with smaller caches it gave up and searched
/// rule by rule at a fraction of the speed. Memory is cheaper than that
/// fallback.
const CACHE_CAPACITY: usize = 256 << 20;

/// Give up on a DFA whose cache has been cleared this many times...
const GIVE_UP_CLEARS: usize = 3;

/// ... and that reads fewer bytes than this per state it builds.
const GIVE_UP_BYTES_PER_STATE: usize = 10;

/// Largest heap an automaton of the scanner may take while it compiles: an
/// automaton holds the patterns of a whole language, and the benches' set
/// ten times the bundled one needs more than 64 MB there. A rule set should
/// not fail to load for its size alone.
const NFA_SIZE_LIMIT: usize = 512 << 20;

/// Most DFA steps a scan may take per byte of text before it stops (the
/// bundled rules take about three).
const WALK_BUDGET: usize = 64;

type MakeScratch = Box<dyn Fn() -> Scratch + Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>;

/// The compiled automata of a rule set.
pub(crate) struct Scanner {
    /// One anchored DFA per language, "all matches" semantics (two when
    /// some patterns count at word starts only and others anywhere).
    lanes: Vec<Lane>,
    /// The aliases, all matches: the rule set's own automaton, shared.
    gazetteer: AhoCorasick,
    patterns: usize,
    pool: Pool<Scratch, MakeScratch>,
}

/// What the scanner needs to know of a pattern besides its syntax: where
/// its matches count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Applies {
    /// The language of the texts the pattern applies to (`None`: all).
    pub language: Option<Language>,
    /// Whether its matches count only when they do not start inside a word
    /// (its rule checks the word boundary at the start).
    pub word_start: bool,
}

/// Which starts a scan reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Starts {
    /// Every start of every match.
    All,
    /// Those that can count: for the patterns whose matches count only at
    /// word starts, none inside a word (between two [`is_word`]
    /// characters).
    Counted,
}

/// A letter, digit or combining mark: what a word boundary separates (as
/// `\b` does in Unicode, where a combining mark belongs to its word).
///
/// Asked of nearly every character of a text (by the scan, to leave out
/// starts inside words), so the characters of the scripts the articles
/// are written in (up to U+1FFF: Latin with its Vietnamese block, Greek,
/// Cyrillic, Armenian, Georgian) are looked up in a table; the standard
/// library's test searches the Unicode tables each time.
pub(crate) fn is_word(c: char) -> bool {
    const TABLE_END: usize = 0x2000;
    static TABLE: std::sync::OnceLock<Box<[u64; TABLE_END / 64]>> = std::sync::OnceLock::new();
    let cp = c as usize;
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if cp < TABLE_END {
        let table = TABLE.get_or_init(|| {
            let mut table = Box::new([0u64; TABLE_END / 64]);
            for c in (0..TABLE_END as u32).filter_map(char::from_u32).filter(|&c| is_word_slowly(c)) {
                table[c as usize / 64] |= 1 << (c as usize % 64);
            }
            table
        });
        table[cp / 64] >> (cp % 64) & 1 == 1
    } else {
        is_word_slowly(c)
    }
}

fn is_word_slowly(c: char) -> bool {
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
}

/// The patterns for texts of one language, and their DFA.
struct Lane {
    language: Language,
    /// Whether every pattern's matches count only at word starts, and none
    /// can be empty (an empty match starts no word): with
    /// [`Starts::Counted`], the walks from inside words are left out.
    word_starts: bool,
    dfa: DFA,
    /// The set-wide index of each of the DFA's patterns.
    patterns: Vec<usize>,
}

impl std::fmt::Debug for Scanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scanner")
            .field("patterns", &self.patterns)
            .field("languages", &self.lanes.iter().map(|l| l.language).collect::<Vec<_>>())
            .field("aliases", &self.gazetteer.patterns_len())
            .finish()
    }
}

/// Per-thread state of a scan: DFA caches and reusable buffers.
#[derive(Debug)]
pub(crate) struct Scratch {
    /// One cache per lane...
    caches: Vec<Cache>,
    /// ... and its start states, by the byte before the start (the last
    /// for the start of the text), with the cache's clear count they are
    /// valid for: a cleared cache forgets its states.
    starts: Vec<Option<(usize, Box<[LazyStateID; 257]>)>>,
    /// Pattern matches: (pattern, start, furthest end), sorted, one for each
    /// pattern and start. Every match of that pattern from that start, the
    /// leftmost-first one included, ends there or before.
    pub matches: Vec<(usize, usize, usize)>,
    /// Alias matches: (end, alias), sorted.
    pub alias_ends: Vec<(usize, usize)>,
    /// Set once a DFA gave up on this thread: scans fail at once.
    gave_up: bool,
}

/// A scan could not be completed; the caller searches another way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ScanFailed;

/// Why a scan stopped.
enum Stop {
    /// A DFA gave up (or could not search at all): for good, on this thread.
    GaveUp,
    /// The walks took more than [`WALK_BUDGET`] steps a byte: this text only.
    OverBudget,
}

impl From<regex_automata::MatchError> for Stop {
    fn from(_: regex_automata::MatchError) -> Stop {
        Stop::GaveUp
    }
}

impl From<regex_automata::hybrid::CacheError> for Stop {
    fn from(_: regex_automata::hybrid::CacheError) -> Stop {
        Stop::GaveUp
    }
}

impl From<regex_automata::hybrid::StartError> for Stop {
    fn from(_: regex_automata::hybrid::StartError) -> Stop {
        Stop::GaveUp
    }
}

impl Scanner {
    /// Compiles the patterns (parsed), `applies[i]` saying where pattern
    /// `i`'s matches count, and takes the automaton of the aliases (literal
    /// text, "standard" match kind).
    pub(crate) fn new(patterns: Vec<Hir>, applies: &[Applies], gazetteer: AhoCorasick) -> Result<Scanner, String> {
        Scanner::with_cache(patterns, applies, gazetteer, CACHE_CAPACITY, Some(GIVE_UP_CLEARS))
    }

    /// [`Scanner::new`] with DFA caches of `capacity` bytes that give up
    /// after `give_up` clears (never if `None`).
    fn with_cache(
        patterns: Vec<Hir>,
        applies: &[Applies],
        gazetteer: AhoCorasick,
        capacity: usize,
        give_up: Option<usize>,
    ) -> Result<Scanner, String> {
        // A pattern that may match the empty string goes with those whose
        // matches count anywhere.
        let word_start: Vec<bool> = (0..patterns.len())
            .map(|i| applies.get(i).is_some_and(|a| a.word_start) && patterns[i].properties().minimum_len() != Some(0))
            .collect();
        let groups: Vec<(Language, bool, Vec<usize>)> = Language::ALL
            .into_iter()
            .flat_map(|language| [(language, true), (language, false)])
            .map(|(language, starts)| {
                let ids: Vec<usize> = (0..patterns.len())
                    .filter(|&i| applies.get(i).and_then(|a| a.language).is_none_or(|l| l == language))
                    .filter(|&i| word_start[i] == starts)
                    .collect();
                (language, starts, ids)
            })
            .filter(|(_, _, ids)| !ids.is_empty())
            .collect();
        let lanes = groups
            .into_par_iter()
            .map(|(language, word_starts, ids)| {
                let hirs: Vec<&Hir> = ids.iter().map(|&i| &patterns[i]).collect();
                let nfa = thompson::Compiler::new()
                    .configure(
                        thompson::Config::new()
                            .which_captures(WhichCaptures::None)
                            .nfa_size_limit(Some(NFA_SIZE_LIMIT)),
                    )
                    .build_many_from_hir(&hirs)
                    .map_err(|e| e.to_string())?;
                let dfa = DFA::builder()
                    .configure(
                        DFA::config()
                            .match_kind(MatchKind::All)
                            .cache_capacity(capacity)
                            .skip_cache_capacity_check(true)
                            .minimum_cache_clear_count(give_up)
                            .minimum_bytes_per_state(Some(GIVE_UP_BYTES_PER_STATE)),
                    )
                    .build_from_nfa(nfa)
                    .map_err(|e| e.to_string())?;
                Ok(Lane { language, word_starts, dfa, patterns: ids })
            })
            .collect::<Result<Vec<Lane>, String>>()?;
        let count = patterns.len();
        patterns.into_iter().for_each(widen::dismantle);
        let make: MakeScratch = {
            let dfas: Vec<DFA> = lanes.iter().map(|lane| lane.dfa.clone()).collect();
            Box::new(move || Scratch {
                caches: dfas.iter().map(DFA::create_cache).collect(),
                starts: vec![None; dfas.len()],
                matches: Vec::new(),
                alias_ends: Vec::new(),
                gave_up: false,
            })
        };
        Ok(Scanner { lanes, gazetteer, patterns: count, pool: Pool::new(make) })
    }

    /// This thread's scratch space.
    pub(crate) fn scratch(&self) -> PoolGuard<'_, Scratch, MakeScratch> {
        self.pool.get()
    }

    /// Fills `scratch.matches` and `scratch.alias_ends` for `text`, with the
    /// patterns for texts of `language` and of all languages (all patterns
    /// when `language` is `None`), at `starts`.
    pub(crate) fn scan(
        &self,
        text: &str,
        language: Option<Language>,
        starts: Starts,
        scratch: &mut Scratch,
    ) -> Result<(), ScanFailed> {
        if scratch.gave_up {
            return Err(ScanFailed);
        }
        scratch.matches.clear();
        scratch.alias_ends.clear();
        for (li, lane) in self.lanes.iter().enumerate() {
            if language.is_none_or(|l| l == lane.language) {
                let word_starts = lane.word_starts && starts == Starts::Counted;
                if let Err(stop) = self.walk_lane(li, text, word_starts, scratch) {
                    scratch.gave_up = matches!(stop, Stop::GaveUp);
                    return Err(ScanFailed);
                }
            }
        }
        for m in self.gazetteer.find_overlapping_iter(text) {
            scratch.alias_ends.push((m.end(), m.pattern().as_usize()));
        }
        // One entry per pattern and start, with its furthest end: sorted by
        // pattern and start, and for one start furthest end first. (A
        // pattern for all languages is found once by each lane when
        // `language` is `None`.)
        scratch.matches.sort_unstable_by_key(|&(pattern, start, end)| (pattern, start, std::cmp::Reverse(end)));
        scratch.matches.dedup_by_key(|&mut (pattern, start, _)| (pattern, start));
        scratch.alias_ends.sort_unstable();
        Ok(())
    }

    /// Walks lane `li`'s DFA from every character of `text`, or only from
    /// those that start no word or start one (`word_starts`).
    fn walk_lane(&self, li: usize, text: &str, word_starts: bool, scratch: &mut Scratch) -> Result<(), Stop> {
        let lane = &self.lanes[li];
        let hay = text.as_bytes();
        let (dfa, cache, saved) = (&lane.dfa, &mut scratch.caches[li], &mut scratch.starts[li]);
        let budget = WALK_BUDGET * hay.len() + 1024;
        let mut steps = 0;
        let mut starts = *start_states(dfa, cache, saved)?;
        let mut after_word = false;
        for s in 0..hay.len() {
            // A match starts on a character, not inside one.
            if hay[s] & 0xC0 == 0x80 {
                continue;
            }
            if word_starts {
                // Inside a word the rules would drop every match: about
                // three characters in four of a text.
                let word = match hay[s] {
                    b if b.is_ascii() => b.is_ascii_alphanumeric(),
                    _ => text[s..].chars().next().is_some_and(is_word),
                };
                let inside = after_word && word;
                after_word = word;
                if inside {
                    continue;
                }
            }
            let sid = if s == 0 { starts[256] } else { starts[usize::from(hay[s - 1])] };
            // Most walks end at their first byte: no pattern starts with it.
            if !sid.is_tagged() && dfa.next_state_untagged(cache, sid, hay[s]).is_dead() {
                steps += 1;
                continue;
            }
            let clears = cache.clear_count();
            steps += walk_from(dfa, cache, hay, s, sid, &mut |pattern, end| {
                scratch.matches.push((lane.patterns[pattern], s, end));
            })?;
            if steps > budget {
                return Err(Stop::OverBudget);
            }
            if cache.clear_count() != clears {
                starts = *start_states(dfa, cache, saved)?;
            }
        }
        Ok(())
    }
}

/// The anchored start states of `dfa` by the byte before the start (index
/// 256: the start of the text), from `saved` while `cache` has not been
/// cleared since they were computed.
fn start_states<'a>(
    dfa: &DFA,
    cache: &mut Cache,
    saved: &'a mut Option<(usize, Box<[LazyStateID; 257]>)>,
) -> Result<&'a [LazyStateID; 257], Stop> {
    if saved.as_ref().is_none_or(|(clears, _)| *clears != cache.clear_count()) {
        // Computing a start state may build it, and a build may clear the
        // cache: compute them all again until none was lost.
        loop {
            let clears = cache.clear_count();
            let mut states = Box::new([LazyStateID::default(); 257]);
            for (b, state) in states.iter_mut().enumerate() {
                let look_behind = u8::try_from(b).ok();
                *state =
                    dfa.start_state(cache, &start::Config::new().anchored(Anchored::Yes).look_behind(look_behind))?;
            }
            if clears == cache.clear_count() {
                *saved = Some((clears, states));
                break;
            }
        }
    }
    saved.as_ref().map(|(_, states)| &**states).ok_or(Stop::GaveUp)
}

/// Walks `dfa` from `sid`, its start state at `hay[s]`, until no pattern can
/// go on, calling `found(pattern, end)` for each match (pattern numbered
/// within the DFA). Returns the number of steps taken.
fn walk_from(
    dfa: &DFA,
    cache: &mut Cache,
    hay: &[u8],
    s: usize,
    mut sid: LazyStateID,
    found: &mut impl FnMut(usize, usize),
) -> Result<usize, Stop> {
    let mut report = |cache: &Cache, sid: LazyStateID, end: usize| {
        for i in 0..dfa.match_len(cache, sid) {
            found(dfa.match_pattern(cache, sid, i).as_usize(), end);
        }
    };
    // Progress marks let the DFA measure how many bytes it reads per state
    // it builds, to give up when that is too few.
    cache.search_start(s);
    let mut at = s;
    while at < hay.len() {
        if !sid.is_tagged() {
            let next = dfa.next_state_untagged(cache, sid, hay[at]);
            if !next.is_tagged() {
                sid = next;
                at += 1;
                continue;
            }
        }
        // A state to build, or one that is not a plain table lookup.
        cache.search_update(at);
        sid = dfa.next_state(cache, sid, hay[at])?;
        at += 1;
        if sid.is_tagged() {
            if sid.is_match() {
                // DFA matches are delayed by one byte: this one ended
                // before the byte that led to it.
                report(cache, sid, at - 1);
            } else if sid.is_dead() {
                cache.search_finish(at);
                return Ok(at - s);
            } else if sid.is_quit() {
                // Cannot happen without quit bytes; stop rather than report
                // a partial scan.
                return Err(Stop::GaveUp);
            }
        }
    }
    sid = dfa.next_eoi_state(cache, sid)?;
    if sid.is_match() {
        report(cache, sid, hay.len());
    }
    cache.search_finish(hay.len());
    Ok(at - s + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use regex_automata::Input;

    /// Every (pattern, start, furthest end) of `patterns` in `hay`, each
    /// pattern searched on its own from each character with
    /// regex-automata's anchored overlapping search, for the patterns and
    /// starts `keep(pattern, start)` keeps: what the scan must report.
    fn one_by_one(patterns: &[&str], hay: &str, keep: impl Fn(usize, usize) -> bool) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            let dfa = DFA::builder()
                .configure(DFA::config().match_kind(MatchKind::All))
                .build(p)
                .expect("the test pattern compiles");
            let mut cache = dfa.create_cache();
            for s in (0..hay.len()).filter(|&s| hay.is_char_boundary(s) && keep(i, s)) {
                let mut state = regex_automata::hybrid::dfa::OverlappingState::start();
                let input = Input::new(hay).range(s..).anchored(Anchored::Yes);
                let mut furthest = None;
                loop {
                    dfa.try_search_overlapping_fwd(&mut cache, &input, &mut state).expect("no quit bytes");
                    match state.get_match() {
                        Some(m) => furthest = furthest.max(Some(m.offset())),
                        None => break,
                    }
                }
                if let Some(end) = furthest {
                    out.push((i, s, end));
                }
            }
        }
        out.sort_unstable();
        out
    }

    const PATTERNS: [&str; 9] = [
        r"\A[0-9]+",
        r"(?:at\s+least\s+)?\d+ (?:killed|dead)",
        r"\p{Lu}\p{Ll}+",
        r"(?m)^ngày \d{1,2}/\d{1,2}",
        r"(?P<role>(?:Foreign\s+)?Minister\s+)?(?:Lavrov|Bayramov)",
        r"[0-9]{4}",
        r"e\x{301}|é",
        // Can match the empty string, which starts no word: its starts
        // inside words count.
        r"(?:\d+%)?",
        // Starts with no word character: counts right after a word too.
        r"\(\d+\)",
    ];

    /// Where the matches of `PATTERNS[i]` count: all but the second at word
    /// starts only.
    fn applies(i: usize) -> Applies {
        let language = match PATTERNS[i] {
            p if p.contains("ngày") => Some(Language::Vi),
            p if p.contains("Lavrov") || p.contains("killed") => Some(Language::En),
            _ => None,
        };
        Applies { language, word_start: i != 1 }
    }

    /// Whether a scan at `starts` reports the starts of `PATTERNS[i]` at `s`.
    fn reported(hay: &str, i: usize, s: usize, starts: Starts) -> bool {
        let inside_word =
            hay[..s].chars().next_back().is_some_and(is_word) && hay[s..].chars().next().is_some_and(is_word);
        let can_be_empty = i == 7;
        starts == Starts::All || !applies(i).word_start || can_be_empty || !inside_word
    }

    /// The table is the test it stands for, everywhere it applies and
    /// beyond.
    #[test]
    fn the_word_table_agrees_with_the_unicode_test() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            assert_eq!(is_word(c), is_word_slowly(c), "{c:?} U+{:04X}", c as u32);
        }
    }

    fn no_aliases() -> AhoCorasick {
        AhoCorasick::new([""; 0]).expect("an empty automaton builds")
    }

    fn test_patterns() -> Vec<Hir> {
        PATTERNS.iter().map(|p| regex_syntax::parse(p).expect("parses")).collect()
    }

    proptest! {
        /// The scan finds, pattern by pattern, the starts and furthest ends
        /// each pattern's own anchored search finds; a scan for one
        /// language, those of the patterns for it and for all languages;
        /// a scan for the counted starts, none inside a word for the
        /// patterns that count only word starts.
        #[test]
        fn the_scan_finds_what_each_pattern_finds(parts in prop::collection::vec(prop_oneof![
            prop::sample::select(vec!["20 killed", "at least", "Foreign Minister", "Lavrov", "ngày 21/10", "\nngày 1/2", "2020", "é", "e\u{301}", " ", "Moskva", "x", "5%", "(12)"])
                .prop_map(str::to_string),
            any::<String>(),
        ], 0..8)) {
            let hay = parts.concat();
            let all: Vec<Applies> = (0..PATTERNS.len()).map(applies).collect();
            let scanner = Scanner::new(test_patterns(), &all, no_aliases()).expect("the test patterns compile");
            let mut scratch = scanner.scratch();
            for starts in [Starts::All, Starts::Counted] {
                scanner.scan(&hay, None, starts, &mut scratch).expect("the scan completes");
                let expected = one_by_one(&PATTERNS, &hay, |i, s| reported(&hay, i, s, starts));
                prop_assert_eq!(&scratch.matches, &expected, "{:?}", starts);
                for lang in Language::ALL {
                    scanner.scan(&hay, Some(lang), starts, &mut scratch).expect("the scan completes");
                    let expected = one_by_one(&PATTERNS, &hay, |i, s| {
                        applies(i).language.is_none_or(|l| l == lang) && reported(&hay, i, s, starts)
                    });
                    prop_assert_eq!(&scratch.matches, &expected, "{:?} {:?}", lang, starts);
                }
            }
        }
    }

    proptest! {
        /// With caches so small that they are cleared over and over, the
        /// scan finds the same: a clear forgets the start states, which
        /// are computed again.
        #[test]
        fn a_scan_with_its_cache_cleared_finds_the_same(parts in prop::collection::vec(prop_oneof![
            prop::sample::select(vec!["20 killed", "at least 3 dead", "Foreign Minister Lavrov", "ngày 21/10", "\nngày 1/2", "2020", "é", " "])
                .prop_map(str::to_string),
            "[a-zA-Z0-9 \n]{0,12}",
        ], 0..12)) {
            let hay = parts.concat();
            let anywhere = [Applies { language: None, word_start: false }; PATTERNS.len()];
            let scanner = Scanner::with_cache(test_patterns(), &anywhere, no_aliases(), 0, None).expect("the test patterns compile");
            let mut scratch = scanner.scratch();
            scanner.scan(&hay, None, Starts::Counted, &mut scratch).expect("the scan completes");
            prop_assert_eq!(&scratch.matches, &one_by_one(&PATTERNS, &hay, |_, _| true));
        }
    }

    /// A pattern that runs on from any character makes the walks cost the
    /// square of the text's length: the scan stops instead, for this text
    /// only.
    #[test]
    fn a_scan_over_its_budget_stops_for_that_text_only() {
        let hirs = vec![regex_syntax::parse(r"[^\n]+x").expect("parses")];
        let anywhere = [Applies { language: None, word_start: false }];
        let scanner = Scanner::new(hirs, &anywhere, no_aliases()).expect("compiles");
        let mut scratch = scanner.scratch();
        assert_eq!(scanner.scan(&"a".repeat(20_000), None, Starts::Counted, &mut scratch), Err(ScanFailed));
        scanner.scan("abcx", None, Starts::Counted, &mut scratch).expect("a short text is scanned");
        assert_eq!(scratch.matches, [(0, 0, 4), (0, 1, 4), (0, 2, 4)]);
    }
}
