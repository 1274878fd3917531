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
//! DFAs take 3 MB of table over the scale corpus, shared by all threads,
//! and the starts come for free. The walks cost about three DFA steps per
//! byte of text, against one per DFA and byte unanchored (six or seven DFAs
//! a text), plus the walks back.
//!
//! Walks from inside a word are left out where they cannot count: a rule
//! whose matches must start on a word boundary (the default) drops every
//! match that starts between two letters or digits, so extraction has the
//! scanner walk from the first character of each word and from the
//! characters between words only: over the scale corpus, 5 to 17% less
//! time on one thread, with the same facts. (Tools that report dropped matches ask for
//! every start, and see those drops.)
//!
//! The scanner matches what its patterns match, and more: the rule set gives
//! it looser copies of the rules' patterns (see [`widen`]), and its DFAs
//! take the look-arounds they cannot decide as holding (see [`lazy_dfa`]).
//! So the starts it reports are those of the rules' matches and maybe a few
//! more, where the rule's regex then finds no match.
//!
//! This replaces "one `RegexSet` pass, then each firing rule's regex again over
//! the whole text" (one pass per firing rule): the work is the same whatever
//! the number of rules, apart from the matches.
//!
//! The automata are built lazily while texts are scanned, and their states
//! are shared by every thread that scans (see [`lazy_dfa`]); the buffers of
//! a scan live in a pool, one per thread.
//!
//! Limits. A pattern that can run on from almost any character (one that
//! starts with `[^\n]+`) would make each walk run to the end of its line,
//! and a scan cost the square of a line's length: a scan that takes more
//! than [`WALK_BUDGET`] steps per byte stops, and that text is searched rule
//! by rule. And the states of a DFA grow with the rules: each lane starts
//! with a DFA of 16-bit cells and moves to one of 32-bit cells when the
//! first is full; when a rule set needs more states than that one holds,
//! the scan fails and the engine searches each rule on its own from then on
//! (the plain algorithm the scan replaces, with the same results).

use aho_corasick::AhoCorasick;
use rayon::prelude::*;
use regex_automata::util::pool::{Pool, PoolGuard};

use std::sync::atomic::{AtomicBool, AtomicU16, AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

use super::lazy_dfa::{self, Cell, LazyDfa};
use super::nfa::Nfa;
use crate::article::Language;

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
    /// The DFA of 16-bit cells, while its states fit...
    narrow: LazyDfa<AtomicU16>,
    narrow_full: AtomicBool,
    /// ... and the one of 32-bit cells after, built when first needed.
    wide: OnceLock<Result<LazyDfa<AtomicU32>, String>>,
    nfa: Arc<Nfa>,
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

/// Per-thread state of a scan: reusable buffers.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// Pattern matches: (pattern, start, furthest end), sorted, one for each
    /// pattern and start. Every match of that pattern from that start, the
    /// leftmost-first one included, ends there or before.
    pub matches: Vec<(usize, usize, usize)>,
    /// Alias matches: (end, alias), sorted.
    pub alias_ends: Vec<(usize, usize)>,
    /// Set once a DFA gave up: scans fail at once.
    gave_up: bool,
}

/// A scan could not be completed; the caller searches another way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ScanFailed;

/// Why a scan stopped.
enum Stop {
    /// A DFA is full: for good.
    Full,
    /// The walks took more than [`WALK_BUDGET`] steps a byte: this text only.
    OverBudget,
}

impl From<lazy_dfa::Full> for Stop {
    fn from(_: lazy_dfa::Full) -> Stop {
        Stop::Full
    }
}

impl Scanner {
    /// Puts the patterns (compiled one by one) into automata, `applies[i]`
    /// saying where pattern `i`'s matches count, and takes the automaton of
    /// the aliases (literal text, "standard" match kind).
    pub(crate) fn new(patterns: Vec<Nfa>, applies: &[Applies], gazetteer: AhoCorasick) -> Result<Scanner, String> {
        Scanner::with_narrow_table(patterns, applies, gazetteer, usize::MAX)
    }

    /// [`Scanner::new`] with narrow tables of at most `narrow_bytes`.
    fn with_narrow_table(
        patterns: Vec<Nfa>,
        applies: &[Applies],
        gazetteer: AhoCorasick,
        narrow_bytes: usize,
    ) -> Result<Scanner, String> {
        // A pattern that may match the empty string goes with those whose
        // matches count anywhere.
        let word_start: Vec<bool> = (0..patterns.len())
            .map(|i| applies.get(i).is_some_and(|a| a.word_start) && !patterns[i].can_match_empty())
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
                let nfa = Arc::new(Nfa::merge(ids.iter().map(|&i| &patterns[i])));
                let narrow = LazyDfa::new(Arc::clone(&nfa), narrow_bytes)?;
                let (narrow_full, wide) = (AtomicBool::new(false), OnceLock::new());
                Ok(Lane { language, word_starts, narrow, narrow_full, wide, nfa, patterns: ids })
            })
            .collect::<Result<Vec<Lane>, String>>()?;
        let count = patterns.len();
        let make: MakeScratch = Box::new(Scratch::default);
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
                    scratch.gave_up = matches!(stop, Stop::Full);
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
        if !lane.narrow_full.load(Ordering::Relaxed) {
            let found = scratch.matches.len();
            match walk_dfa(&lane.narrow, &lane.patterns, text, word_starts, scratch) {
                Err(Stop::Full) => {
                    // This text again, and all after it, on the wide DFA.
                    lane.narrow_full.store(true, Ordering::Relaxed);
                    scratch.matches.truncate(found);
                }
                done => return done,
            }
        }
        let wide = lane.wide.get_or_init(|| LazyDfa::new(Arc::clone(&lane.nfa), lazy_dfa::TABLE_CAPACITY));
        match wide {
            Ok(wide) => walk_dfa(wide, &lane.patterns, text, word_starts, scratch),
            Err(_) => Err(Stop::Full),
        }
    }
}

/// Walks `dfa` (whose pattern `i` is the set's `patterns[i]`) from every
/// character of `text`, or only from those that start no word or start one
/// (`word_starts`).
fn walk_dfa<C: Cell>(
    dfa: &LazyDfa<C>,
    patterns: &[usize],
    text: &str,
    word_starts: bool,
    scratch: &mut Scratch,
) -> Result<(), Stop> {
    let hay = text.as_bytes();
    let budget = WALK_BUDGET * hay.len() + 1024;
    let mut steps = 0;
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
        let start = dfa.start(s.checked_sub(1).map(|b| hay[b]));
        steps += walk_from(dfa, hay, s, start, &mut |pattern, end| {
            scratch.matches.push((patterns[pattern], s, end));
        })?;
        if steps > budget {
            return Err(Stop::OverBudget);
        }
    }
    Ok(())
}

/// Walks `dfa` from `start`, its start state at `hay[s]`, until no pattern
/// can go on, calling `found(pattern, end)` for each match (pattern
/// numbered within the DFA). Returns the number of steps taken.
#[inline]
fn walk_from<C: Cell>(
    dfa: &LazyDfa<C>,
    hay: &[u8],
    s: usize,
    start: lazy_dfa::StateId,
    found: &mut impl FnMut(usize, usize),
) -> Result<usize, Stop> {
    let mut id = start;
    if LazyDfa::<C>::is_match(id) {
        dfa.matches(id).for_each(|p| found(p, s));
    }
    let mut at = s;
    while at < hay.len() {
        id = dfa.next(id, hay[at])?;
        at += 1;
        if LazyDfa::<C>::is_match(id) {
            dfa.matches(id).for_each(|p| found(p, at));
        } else if dfa.is_dead(id) {
            break;
        }
    }
    Ok(at - s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use regex_automata::hybrid::dfa::DFA;
    use regex_automata::{Anchored, Input, MatchKind};

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

    fn compile(pattern: &str) -> Nfa {
        Nfa::compile(&regex_syntax::parse(pattern).expect("parses")).expect("compiles")
    }

    fn test_patterns() -> Vec<Nfa> {
        PATTERNS.iter().map(|p| compile(p)).collect()
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
        /// Threads that scan at once share the DFAs' states, and find what
        /// each finds alone: whichever thread builds a state, the others
        /// read it whole; a scan that fills a narrow table starts again on
        /// the wide one.
        #[test]
        fn threads_sharing_the_states_find_the_same(texts in prop::collection::vec(prop::collection::vec(prop::sample::select(vec![
            "20 killed", "at least 3 dead", "Foreign Minister Lavrov", "ngày 21/10", "\nngày 1/2", "2020", "é", " ", "x", "(12)",
        ]), 0..12).prop_map(|parts| parts.concat()), 1..16)) {
            let all: Vec<Applies> = (0..PATTERNS.len()).map(applies).collect();
            let expected: Vec<_> = texts.iter().map(|hay| one_by_one(&PATTERNS, hay, |i, s| reported(hay, i, s, Starts::Counted))).collect();
            // Also with narrow tables so small that the threads fill them
            // and move to the wide ones while others still walk them.
            for narrow_bytes in [usize::MAX, 2_000] {
            let scanner = Scanner::with_narrow_table(test_patterns(), &all, no_aliases(), narrow_bytes).expect("the test patterns compile");
            let found: Vec<_> = std::thread::scope(|scope| {
                let threads: Vec<_> = (0..4)
                    .map(|t| {
                        let (scanner, texts) = (&scanner, &texts);
                        scope.spawn(move || {
                            // Each thread takes the texts in its own order.
                            let mut order: Vec<usize> = (0..texts.len()).collect();
                            order.rotate_left(t * texts.len() / 4);
                            let mut scratch = Scratch::default();
                            let mut found = vec![Vec::new(); texts.len()];
                            for i in order {
                                scanner.scan(&texts[i], None, Starts::Counted, &mut scratch).expect("the scan completes");
                                found[i] = scratch.matches.clone();
                            }
                            found
                        })
                    })
                    .collect();
                threads.into_iter().map(|t| t.join().expect("the thread ends")).collect()
            });
            for per_thread in found {
                prop_assert_eq!(&per_thread, &expected, "narrow tables of {} bytes", narrow_bytes);
            }
            }
        }
    }

    /// A rule set that needs more states than a narrow table holds moves
    /// to a wide one, for the text that filled it and all after.
    #[test]
    fn a_full_narrow_table_moves_the_scan_to_a_wide_one() {
        let hay = "Foreign Minister Lavrov: at least 20 killed, ngày 21/10 (12) 2020";
        let anywhere = [Applies { language: None, word_start: false }; PATTERNS.len()];
        let scanner =
            Scanner::with_narrow_table(test_patterns(), &anywhere, no_aliases(), 2_000).expect("the patterns compile");
        let mut scratch = scanner.scratch();
        scanner.scan(hay, None, Starts::All, &mut scratch).expect("the scan completes");
        assert!(scanner.lanes.iter().all(|lane| lane.narrow_full.load(Ordering::Relaxed)));
        assert_eq!(scratch.matches, one_by_one(&PATTERNS, hay, |_, _| true));
        scanner.scan(hay, None, Starts::All, &mut scratch).expect("the scan completes");
        assert_eq!(scratch.matches, one_by_one(&PATTERNS, hay, |_, _| true));
    }

    /// Look-arounds the DFA cannot decide (any but the anchors that look
    /// behind the start) are taken as holding: the scan reports every
    /// match of the pattern, and the extra starts and ends where the
    /// assertion fails, which the rule's own regex then rejects.
    #[test]
    fn look_arounds_past_the_start_match_more_never_less() {
        let patterns = [r"\d+(?-u:\b)", r"x$", r"(?m)a\n^b"];
        let hay = "12ab 34 x y x\na\nb";
        let anywhere = [Applies { language: None, word_start: false }; 3];
        let scanner = Scanner::new(patterns.iter().map(|p| compile(p)).collect(), &anywhere, no_aliases())
            .expect("the patterns compile");
        let mut scratch = scanner.scratch();
        scanner.scan(hay, None, Starts::All, &mut scratch).expect("the scan completes");
        let exact = one_by_one(&patterns, hay, |_, _| true);
        for m in &exact {
            assert!(scratch.matches.contains(m), "{m:?} missing from {:?}", scratch.matches);
        }
        // `\d+\b` from "1" of "12ab": no word boundary after 12, yet reported.
        assert!(scratch.matches.contains(&(0, 0, 2)));
        assert!(!exact.contains(&(0, 0, 2)));
        // `x$` at the first x, not at the end of the text.
        assert!(scratch.matches.contains(&(1, 8, 9)));
        // The line anchor after a newline the walk read is decided.
        assert!(exact.contains(&(2, 14, 17)) && scratch.matches.contains(&(2, 14, 17)));
    }

    /// A pattern that runs on from any character makes the walks cost the
    /// square of the text's length: the scan stops instead, for this text
    /// only.
    #[test]
    fn a_scan_over_its_budget_stops_for_that_text_only() {
        let anywhere = [Applies { language: None, word_start: false }];
        let scanner = Scanner::new(vec![compile(r"[^\n]+x")], &anywhere, no_aliases()).expect("compiles");
        let mut scratch = scanner.scratch();
        assert_eq!(scanner.scan(&"a".repeat(20_000), None, Starts::Counted, &mut scratch), Err(ScanFailed));
        scanner.scan("abcx", None, Starts::Counted, &mut scratch).expect("a short text is scanned");
        assert_eq!(scratch.matches, [(0, 0, 4), (0, 1, 4), (0, 2, 4)]);
    }
}
