//! Rules: reading YAML rule files, checking them, and compiling them into
//! matchers that cost about one pass over a text whatever their number.
//!
//! Decision: every `pattern` rule and every gazetteer alias of the set goes
//! into one automaton (the [`Scanner`]): one pass over a text tells where each
//! of them matches, and a rule's own regex then only reads its matches, for
//! their captures. A rule that does not fire on an article costs nothing but
//! its share of the automaton.
//!
//! This module owns the rule model; it never reads articles or goldens. The
//! one exception is checking each rule's `examples` and `counterexamples`,
//! which runs the compiled set over the example texts: a rule set whose
//! examples fail does not load.

mod compile;
mod error;
mod lazy_dfa;
pub(crate) mod lint;
mod locate;
mod nfa;
mod raw;
mod scanner;
mod widen;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::article::Language;
use crate::fact::Kind;

pub use error::{LoadError, Location, RuleError};
pub(crate) use raw::Boundaries;
pub(crate) use scanner::{is_word, Applies, Scanner, Scratch, Starts};

/// A compiled, checked rule set.
#[derive(Debug)]
pub struct RuleSet {
    pub(crate) rules: Vec<Rule>,
    pub(crate) lexicons: Lexicons,
    /// One pass over a text: where every pattern and alias matches. Built
    /// while the examples are checked (which search rule by rule), so that
    /// loading takes the longer of the two, not their sum.
    pub(crate) scanner: std::sync::OnceLock<Scanner>,
    /// Pattern index in `scanner` -> rule index.
    pub(crate) pattern_rules: Vec<usize>,
    /// Every gazetteer alias, in the scanner's alias order.
    pub(crate) alias_texts: Vec<String>,
    /// Every alias in one Aho-Corasick automaton, for searching rule by rule
    /// (the examples, or a set the scanner gave up on); built on first use.
    pub(crate) alias_automaton: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>>,
    /// Alias index in `scanner` -> (rule index, entry index).
    pub(crate) alias_targets: Vec<(usize, usize)>,
    /// Lower-cased alias -> (rule index, entry index), per kind: resolves a
    /// name captured by a pattern rule to its canonical gazetteer entry.
    pub(crate) names: HashMap<(Kind, String), (usize, usize)>,
    /// The same names, by kind and first letter, with their length in
    /// characters: the names one typo away from a written name are looked
    /// for among those alone.
    pub(crate) names_by_initial: NamesByInitial,
    /// The rule files, in load order.
    pub(crate) files: Vec<PathBuf>,
}

/// Names by (kind, first letter): (length in characters, name, (rule index,
/// entry index)).
pub(crate) type NamesByInitial = HashMap<(Kind, char), Vec<(usize, String, (usize, usize))>>;

/// One compiled rule.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub id: String,
    pub kind: Kind,
    pub language: Option<Language>,
    pub priority: i32,
    pub boundaries: Boundaries,
    /// Words that may be run into the end of a match (see `RawRule::glue`).
    pub glue: Vec<String>,
    pub suppress: bool,
    pub article_date: bool,
    pub set: Fields,
    pub matcher: Matcher,
    /// What the rule is for, as its author wrote it.
    #[allow(dead_code)] // read by reports that list rules
    pub description: Option<String>,
    /// Where the rule is written: its `id:` line.
    pub at: Location,
}

/// Constant fields a rule gives its facts (`set:`), already checked.
#[derive(Debug, Default, Clone)]
pub(crate) struct Fields {
    pub role: Option<String>,
    pub represents: Option<String>,
    pub qualifier: Option<String>,
    pub outcome: Option<String>,
    pub direction: Direction,
}

/// Which way a weekday without a date points from the article's date.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// The most recent such day, on or before the article date (reports
    /// mostly tell what happened).
    #[default]
    Past,
    /// The next such day, on or after the article date.
    Future,
}

#[derive(Debug, Clone)]
pub(crate) enum Matcher {
    Pattern(Pattern),
    Gazetteer(Vec<Entry>),
}

/// A compiled pattern: the expanded regex, a regex that reads its captures
/// and, until the set's [`Scanner`] takes it, the NFA of the looser pattern
/// that the scanner searches for (see [`widen`]).
///
/// The syntax tree is parsed once, when the rule is checked, and both are
/// made from it. The scanner's NFA is handed over, not kept: the scanner
/// keeps its own copy, merged with the other patterns'. The regex is a
/// `regex_automata` one so that the engine can ask for the match that
/// starts exactly where the scanner says one may (an anchored search),
/// instead of searching on and then back for its start.
#[derive(Clone)]
pub(crate) struct Pattern {
    source: String,
    scanned: Option<nfa::Nfa>,
    regex: regex_automata::meta::Regex,
}

/// The NFA the scanner searches with for a pattern parsed as `hir`: every
/// match of the pattern, and more (see [`widen`]). Compiled with the rule,
/// so that the looser copy's syntax tree is freed at once.
fn scanned_nfa(hir: regex_syntax::hir::Hir) -> Result<nfa::Nfa, String> {
    let widened = widen::widen(hir);
    let compiled = nfa::Nfa::compile(&widened);
    widen::dismantle(widened);
    compiled
}

/// Shows the pattern as written after expansion, as `regex::Regex` does:
/// tools compare rule definitions by their debug form.
impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Regex").field(&self.as_str()).finish()
    }
}

impl Pattern {
    /// Compiles a pattern already parsed from `source` (with the `regex`
    /// crate's default syntax); the error is the compiler's message.
    ///
    /// Without a lazy DFA: the scanner already knows where a match may start
    /// and how far it can reach, so the regex only reads captures over that
    /// short span (with the bounded backtracker). Leaving the DFA out saves
    /// compiling a reverse NFA per rule at load and its cache per thread.
    /// Searching rule by rule (examples, a set too large for the scanner)
    /// then runs on the NFA simulation, slower on long texts.
    pub(crate) fn new(source: String, hir: regex_syntax::hir::Hir, size_limit: usize) -> Result<Pattern, String> {
        let config = regex_automata::meta::Config::new()
            .nfa_size_limit(Some(size_limit))
            .onepass_size_limit(Some(size_limit))
            .hybrid(false);
        let regex =
            regex_automata::meta::Builder::new().configure(config).build_from_hir(&hir).map_err(|e| e.to_string())?;
        let scanned = scanned_nfa(hir)?;
        Ok(Pattern { source, scanned: Some(scanned), regex })
    }

    /// The pattern as compiled, macros expanded.
    pub(crate) fn as_str(&self) -> &str {
        &self.source
    }

    /// What the scanner searches for: every match of the pattern, and more
    /// (see [`widen`]). The NFA made at load is handed over; a pattern that
    /// has handed it over already (the rules of a [`RuleSet::subset`])
    /// parses its source again.
    pub(crate) fn take_scanned(&mut self) -> Result<nfa::Nfa, String> {
        match self.scanned.take() {
            Some(nfa) => Ok(nfa),
            None => {
                scanned_nfa(regex_syntax::ParserBuilder::new().build().parse(&self.source).map_err(|e| e.to_string())?)
            }
        }
    }

    pub(crate) fn regex(&self) -> &regex_automata::meta::Regex {
        &self.regex
    }

    /// Lets go of the regex's search caches (one per thread that searched
    /// with it), keeping the compiled regex.
    ///
    /// Why: checking the examples searches every rule over whole texts, and
    /// the caches it leaves behind (mostly the backtracker's visited sets)
    /// took 3.5 MB over the bundled rules, for good: extraction only reads
    /// short spans, and builds smaller ones.
    pub(crate) fn drop_caches(&mut self) {
        // A clone shares the compiled regex and starts with no caches.
        self.regex = self.regex.clone();
    }

    /// The names of the capture groups, `None` for unnamed ones (group 0
    /// first).
    pub(crate) fn capture_names(&self) -> impl Iterator<Item = Option<&str>> {
        self.regex.group_info().pattern_names(regex_automata::PatternID::ZERO)
    }
}

/// A gazetteer entry: a canonical name and what it stands for.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub name: String,
    pub aliases: Vec<String>,
    pub role: Option<String>,
    pub represents: Option<String>,
}

/// Word lists: lexicon name -> lower-cased NFC surface form -> canonical value.
#[derive(Debug, Default, Clone)]
pub(crate) struct Lexicons {
    pub map: HashMap<String, HashMap<String, String>>,
}

impl Lexicons {
    /// The canonical value of a surface form, ignoring case and spacing.
    pub fn lookup(&self, lexicon: &str, form: &str) -> Option<&str> {
        let map = self.map.get(lexicon)?;
        with_lexicon_key(form, |key| map.get(key).map(String::as_str))
    }

    /// Whether `value` is a canonical value of `lexicon`.
    pub fn has_canonical(&self, lexicon: &str, value: &str) -> Option<bool> {
        self.map.get(lexicon).map(|m| m.values().any(|v| v == value))
    }
}

/// The lookup key of a lexicon form: NFC, lower case, single spaces.
pub(crate) fn lexicon_key(form: &str) -> String {
    let mut key = String::new();
    lexicon_key_into(form, &mut key);
    key
}

/// Writes the [`lexicon_key`] of `form` into `key`, reusing its buffer.
///
/// Extraction looks a form up for nearly every match (months, counts,
/// qualifiers, names): the common ASCII case is lower-cased and spaced in
/// one pass, with no allocation once the buffer has grown.
pub(crate) fn lexicon_key_into(form: &str, key: &mut String) {
    key.clear();
    if form.is_ascii() {
        // NFC leaves ASCII alone, and lower-casing it is per byte.
        for word in form.split_whitespace() {
            if !key.is_empty() {
                key.push(' ');
            }
            key.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        }
        return;
    }
    use unicode_normalization::UnicodeNormalization;
    let lower: String = form.nfc().collect::<String>().to_lowercase();
    for word in lower.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(word);
    }
}

/// Calls `f` with the [`lexicon_key`] of `form`, built in a buffer kept per
/// thread (lookups happen on rayon's threads, one article at a time each).
pub(crate) fn with_lexicon_key<R>(form: &str, f: impl FnOnce(&str) -> R) -> R {
    thread_local! {
        static KEY: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    KEY.with(|key| match key.try_borrow_mut() {
        Ok(mut key) => {
            lexicon_key_into(form, &mut key);
            f(&key)
        }
        // Only if `f` itself looks a key up: never in this crate, but
        // correct all the same.
        Err(_) => f(&lexicon_key(form)),
    })
}

impl RuleSet {
    /// The automaton of all aliases (see `alias_automaton`), `None` when it
    /// cannot be built (far beyond the size of real gazetteers).
    pub(crate) fn alias_automaton(&self) -> Option<&aho_corasick::AhoCorasick> {
        self.alias_automaton
            .get_or_init(|| {
                let kind = aho_corasick::MatchKind::Standard;
                aho_corasick::AhoCorasick::builder().match_kind(kind).build(&self.alias_texts).ok()
            })
            .as_ref()
    }

    /// Loads every `*.yaml` file of a folder (sorted by name), checks the
    /// rules and their examples, and compiles them.
    ///
    /// Every problem is reported, each with its file, line, column and rule.
    pub fn load(dir: impl AsRef<Path>) -> Result<RuleSet, LoadError> {
        RuleSet::from_sources(RuleSet::read_sources(dir)?)
    }

    /// Reads every `*.yaml` file of a folder, sorted by name, as (path, text)
    /// pairs for [`RuleSet::from_sources`]; tools that look at the files as
    /// written (lint) read them once this way.
    pub fn read_sources(dir: impl AsRef<Path>) -> Result<Vec<(PathBuf, String)>, LoadError> {
        let dir = dir.as_ref();
        let one = |e| LoadError { errors: vec![e] };
        let io = |e: std::io::Error| one(RuleError::Io { path: dir.to_owned(), message: e.to_string() });
        let mut paths: Vec<PathBuf> =
            std::fs::read_dir(dir).map_err(io)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>().map_err(io)?;
        paths.retain(|p| p.is_file() && p.extension().is_some_and(|e| e == "yaml" || e == "yml"));
        paths.sort();
        if paths.is_empty() {
            return Err(one(RuleError::NoRuleFiles { path: dir.to_owned() }));
        }
        let mut sources = Vec::new();
        let mut errors = Vec::new();
        for path in paths {
            match std::fs::read(&path) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => sources.push((path, text)),
                    Err(e) => errors.push(RuleError::Io {
                        path,
                        message: format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
                    }),
                },
                Err(e) => errors.push(RuleError::Io { path, message: e.to_string() }),
            }
        }
        if errors.is_empty() {
            Ok(sources)
        } else {
            Err(LoadError { errors })
        }
    }

    /// Compiles rule files given as (path, text) pairs; the paths are only
    /// used to locate errors.
    pub fn from_sources(sources: Vec<(PathBuf, String)>) -> Result<RuleSet, LoadError> {
        compile::compile(sources)
    }

    /// The number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether the set has no rule.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rule files the set was loaded from.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// The rule ids, in load order.
    pub fn rule_ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.id.as_str())
    }

    /// The rule file each rule is written in, in load order.
    pub fn rule_files(&self) -> impl Iterator<Item = &Path> {
        self.rules.iter().map(|r| r.at.path.as_path())
    }

    /// A set of only the rules for which `keep(id, file)` holds, with the
    /// same macros and lexicons, compiled anew into its own matchers.
    ///
    /// This is how one rule file is timed alone, or one rule's worth is
    /// measured by leaving it out. The examples are not checked again: a
    /// subset's examples may rely on the rules left out.
    pub fn subset(&self, keep: impl Fn(&str, &Path) -> bool) -> Result<RuleSet, LoadError> {
        let rules: Vec<Rule> = self.rules.iter().filter(|r| keep(&r.id, &r.at.path)).cloned().collect();
        compile::assemble(rules, self.lexicons.clone(), self.files.clone()).map_err(|errors| LoadError { errors })
    }
}
