//! The engine: from an article and a compiled rule set to facts.
//!
//! Steps, in order: normalise the text to NFC; find candidates in one pass of
//! the pattern set and one pass of the gazetteer automaton; check word
//! boundaries after matching (a `\b` inside the multi-pattern DFA would make
//! it give up on Vietnamese); turn each candidate into a draft value and drop
//! the ones that are not real values; settle overlaps; find the article's
//! date; resolve dates; group mentions into facts with spans in the original
//! text.
//!
//! The engine never reads files, goldens or YAML: it gets a [`RuleSet`] and an
//! [`Article`] and is a pure function of them.

mod normalize;
mod observe;
mod overlap;
mod replay;
mod value;

use rapidfuzz::distance::levenshtein;
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input};
use std::borrow::Cow;

use crate::article::{Article, PartialDate};
use crate::fact::{Fact, FactKey, Kind, Mention, Value};
use crate::rules::{is_word, Boundaries, Matcher, Rule, RuleSet, Scratch, Starts};
use crate::Extraction;
use normalize::Normalized;
pub(crate) use observe::{Dropped, Observer, Quiet};
pub(crate) use replay::Valued;
use value::{DateFields, Draft};

/// A [`FactKey`] borrowed from a draft. Its order is `FactKey`'s: the same
/// fields, compared in the same order (`Count` before `Text`, as in
/// [`Value`]).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct KeyRef<'a> {
    kind: Kind,
    value: ValueRef<'a>,
    role: Option<&'a str>,
    represents: Option<&'a str>,
    qualifier: Option<&'a str>,
    outcome: Option<&'a str>,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum ValueRef<'a> {
    Count(u64),
    Text(Cow<'a, str>),
}

impl KeyRef<'_> {
    fn to_owned(&self) -> FactKey {
        let value = match &self.value {
            ValueRef::Count(n) => Value::Count(*n),
            ValueRef::Text(t) => Value::Text(t.to_string()),
        };
        FactKey {
            kind: self.kind,
            value,
            role: self.role.map(str::to_string),
            represents: self.represents.map(str::to_string),
            qualifier: self.qualifier.map(str::to_string),
            outcome: self.outcome.map(str::to_string),
        }
    }
}

/// A match that made a valid draft.
#[derive(Debug, Clone)]
pub(crate) struct Candidate<'s> {
    pub rule: usize,
    /// Span in the normalised text.
    pub start: usize,
    pub end: usize,
    pub draft: Draft<'s>,
}

/// The kept candidates of one article, with what is needed to build facts.
pub(crate) struct Run<'a> {
    text: Normalized<'a>,
    pub kept: Vec<Candidate<'a>>,
    pub article_date: Option<PartialDate>,
}

/// Extracts the facts of one article.
pub(crate) fn extract(set: &RuleSet, article: &Article) -> Extraction {
    let run = run(set, article, &mut Quiet);
    Extraction { article: article.id.clone(), facts: run.facts(set, &article.text) }
}

/// The count a phrase stands for (see [`RuleSet::count_value`]).
pub(crate) fn count_value(set: &RuleSet, text: &str, language: crate::article::Language) -> Option<u64> {
    value::parse_count(&Normalized::new(text).text, &set.lexicons, language)
}

/// Finds, checks and settles the matches of one article.
///
/// `observer` hears of every match that is dropped, and why; [`Quiet`]
/// compiles to nothing.
pub(crate) fn run<'a>(set: &'a RuleSet, article: &'a Article, observer: &mut impl Observer) -> Run<'a> {
    run_with(set, article, observer, Search::Scan)
}

/// [`run`] without the one-pass scanner: each rule searched on its own.
///
/// For the rule examples checked when a set loads: each is a few words, on
/// which the scanner's DFA would build states (costly for a large automaton,
/// and memory kept for the whole run) that no article may ever reach again.
/// The matches are the same by construction (the scanner only says where to
/// look); the golden suite and a test compare the two over the corpus.
pub(crate) fn run_rule_by_rule<'a>(set: &'a RuleSet, article: &'a Article, observer: &mut impl Observer) -> Run<'a> {
    run_with(set, article, observer, Search::RuleByRule)
}

/// How candidates are searched for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Search {
    /// One pass of the scanner, then each firing rule at the starts it found.
    Scan,
    /// Each rule and alias searched over the whole text on its own.
    RuleByRule,
}

fn run_with<'a>(set: &'a RuleSet, article: &'a Article, observer: &mut impl Observer, search: Search) -> Run<'a> {
    let text = Normalized::new(&article.text);
    let candidates = find_candidates(set, &text.text, article, observer, search);
    let mut kept = overlap::resolve(set, candidates, observer);
    unify_envoy_titles(&mut kept);
    let article_date = article.published.or_else(|| {
        kept.iter().filter(|c| set.rules[c.rule].article_date).find_map(|c| match &c.draft {
            Draft::Date(value::DateExpr::Calendar { year: Some(year), month, day }, None) => {
                PartialDate::new(*year, *month, *day)
            }
            _ => None,
        })
    });
    Run { text, kept, article_date }
}

fn candidates<'s>(set: &'s RuleSet, text: &str, article: &Article, observer: &mut impl Observer) -> Vec<Candidate<'s>> {
    find_candidates(set, text, article, observer, Search::Scan)
}

fn find_candidates<'s, O: Observer>(
    set: &'s RuleSet,
    text: &str,
    article: &Article,
    observer: &mut O,
    search: Search,
) -> Vec<Candidate<'s>> {
    let mut out = Vec::new();
    let scanner = set.scanner.get().filter(|_| search == Search::Scan);
    let scanned = scanner.is_some_and(|scanner| {
        let mut scratch = scanner.scratch();
        let scratch = &mut *scratch;
        let starts = if O::HEARS { Starts::All } else { Starts::Counted };
        if scanner.scan(text, Some(article.language), starts, scratch).is_err() {
            return false;
        }
        scanned_candidates(set, scratch, text, article, observer, &mut out);
        true
    });
    if !scanned {
        // Asked for, or the scanner is not built yet or gave up on this
        // rule set (see `Scanner`): search each rule and alias on its own.
        for &ri in &set.pattern_rules {
            if applies(&set.rules[ri], article) {
                pattern_candidates(set, ri, text, article, None, observer, &mut out);
            }
        }
        for (end, alias) in alias_ends_slowly(set, text) {
            alias_candidate(set, text, article, alias, set.alias_texts[alias].len(), end, observer, &mut out);
        }
    }
    out
}

/// See [`RuleSet::scan_matches`].
pub(crate) fn scan_matches(set: &RuleSet, article: &Article) -> Option<usize> {
    let scanner = set.scanner.get()?;
    let mut scratch = scanner.scratch();
    scanner.scan(&article.text, Some(article.language), Starts::Counted, &mut scratch).ok()?;
    Some(scratch.matches.len() + scratch.alias_ends.len())
}

fn applies(rule: &Rule, article: &Article) -> bool {
    rule.language.is_none_or(|l| l == article.language)
}

/// The candidates of one scan: each firing rule read at the starts the
/// scanner found, then each alias match.
fn scanned_candidates<'s>(
    set: &'s RuleSet,
    scratch: &Scratch,
    text: &str,
    article: &Article,
    observer: &mut impl Observer,
    out: &mut Vec<Candidate<'s>>,
) {
    for group in scratch.matches.chunk_by(|a, b| a.0 == b.0) {
        let ri = set.pattern_rules[group[0].0];
        if applies(&set.rules[ri], article) {
            pattern_candidates(set, ri, text, article, Some(group), observer, out);
        }
    }
    for &(end, alias) in &scratch.alias_ends {
        alias_candidate(set, text, article, alias, set.alias_texts[alias].len(), end, observer, out);
    }
}

/// The candidate of an alias match ending at `end`, if its rule applies and
/// it sits on word boundaries.
#[allow(clippy::too_many_arguments)] // the state of one match, passed flat on the hot path
fn alias_candidate<'s>(
    set: &'s RuleSet,
    text: &str,
    article: &Article,
    alias: usize,
    len: usize,
    end: usize,
    observer: &mut impl Observer,
    out: &mut Vec<Candidate<'s>>,
) {
    let (ri, ei) = set.alias_targets[alias];
    let rule = &set.rules[ri];
    if !applies(rule, article) {
        return;
    }
    let start = end - len;
    if !on_boundaries(text, start, end, rule) {
        observer.dropped(ri, start, end, Dropped::Boundary);
        return;
    }
    let Matcher::Gazetteer(entries) = &rule.matcher else { return };
    let entry = &entries[ei];
    let draft = if rule.suppress {
        Draft::Suppress
    } else {
        match rule.kind {
            Kind::Envoy => Draft::Envoy {
                name: Cow::Borrowed(&entry.name),
                role: entry.role.as_deref().or(rule.set.role.as_deref()).map(Cow::Borrowed),
                represents: entry.represents.as_deref().or(rule.set.represents.as_deref()).map(Cow::Borrowed),
                titled: false,
            },
            Kind::Location => Draft::Location(Cow::Borrowed(&entry.name)),
            // Gazetteers of dates or counts are unusual but well defined:
            // the canonical name is the value.
            Kind::Date => match crate::article::PartialDate::parse(&entry.name) {
                Some(d) => {
                    Draft::Date(value::DateExpr::Calendar { year: Some(d.year), month: d.month, day: d.day }, None)
                }
                None => return,
            },
            Kind::Casualty => return,
        }
    };
    out.push(Candidate { rule: ri, start, end, draft });
}

/// The leftmost-first matches of pattern rule `ri`, one after the other, as
/// its regex finds them searching on from the end of the previous one.
///
/// `starts`, when given, holds every offset where a match of the rule
/// starts, and maybe others (the scanner searches a looser pattern), each
/// with the furthest end of a match from it, as the scanner reports them:
/// (pattern, start, furthest end), sorted by start. The search from an
/// offset then tries each such start at or after it in turn, and the first
/// that has a match has exactly the match a search from the offset would
/// find, read no further than that end.
fn pattern_candidates<'s>(
    set: &'s RuleSet,
    ri: usize,
    text: &str,
    article: &Article,
    starts: Option<&[(usize, usize, usize)]>,
    observer: &mut impl Observer,
    out: &mut Vec<Candidate<'s>>,
) {
    let rule = &set.rules[ri];
    let Matcher::Pattern(pattern) = &rule.matcher else { return };
    let re = pattern.regex();
    let mut captures = re.create_captures();
    let mut at = 0;
    let mut next = 0;
    while at < text.len() {
        // With the starts known, the match searched from `at` is the one
        // at the first start from `at` on: ask for it there, anchored.
        let input = match starts {
            Some(starts) => {
                next += starts[next..].partition_point(|&(_, s, _)| s < at);
                match starts.get(next) {
                    // The search reads only up to the furthest end of a
                    // match from `s`: short enough for the bounded
                    // backtracker, with no forward DFA pass to find the end.
                    Some(&(_, s, e)) => Input::new(text).range(s..e).anchored(Anchored::Yes),
                    None => break,
                }
            }
            None => Input::new(text).range(at..),
        };
        re.search_captures(&input, &mut captures);
        let Some(m) = captures.get_match() else {
            match starts.and_then(|starts| starts.get(next)) {
                // No match here after all: try the next start.
                Some(&(_, s, _)) => {
                    at = next_char(text, s);
                    continue;
                }
                None => break,
            }
        };
        if on_boundaries(text, m.start(), m.end(), rule) {
            // One fact per conjunct: "killed 207 Armenian and 80
            // Azerbaijani servicemen" states two counts (see `Caps`).
            let caps = Caps { text, captures: &captures, second: false };
            let (start, end) = caps.span("first").unwrap_or((m.start(), m.end()));
            match pattern_draft(set, rule, &caps, article) {
                Some(draft) => out.push(Candidate { rule: ri, start, end, draft }),
                None => observer.dropped(ri, start, end, Dropped::NotAValue),
            }
            if let Some((start, end)) = caps.span("second") {
                match pattern_draft(set, rule, &Caps { second: true, ..caps }, article) {
                    Some(draft) => out.push(Candidate { rule: ri, start, end, draft }),
                    None => observer.dropped(ri, start, end, Dropped::NotAValue),
                }
            }
            at = m.end().max(next_char(text, m.start()));
        } else {
            // A match inside a word: look again from the next character,
            // as a `\b`-anchored pattern would.
            observer.dropped(ri, m.start(), m.end(), Dropped::Boundary);
            at = next_char(text, m.start());
        }
    }
}

/// Every (end, alias) match of every alias, without the scanner.
fn alias_ends_slowly(set: &RuleSet, text: &str) -> Vec<(usize, usize)> {
    let mut ends: Vec<(usize, usize)> = match set.alias_automaton() {
        Some(ac) => ac.find_overlapping_iter(text).map(|m| (m.end(), m.pattern().as_usize())).collect(),
        // No automaton (too large to build): each alias on its own, at
        // every place it occurs, overlapping ones included.
        None => {
            let mut ends = Vec::new();
            for (alias, name) in set.alias_texts.iter().enumerate() {
                let mut at = 0;
                while let Some(i) = text.get(at..).and_then(|rest| rest.find(name.as_str())) {
                    ends.push((at + i + name.len(), alias));
                    at = next_char(text, at + i);
                }
            }
            ends
        }
    };
    ends.sort_unstable();
    ends
}

fn next_char(text: &str, at: usize) -> usize {
    at + text[at..].chars().next().map_or(1, char::len_utf8)
}

/// Whether a match sits on word boundaries, in the sense of `\b`: an edge
/// whose own character is a letter or digit must not touch another one. At
/// the end, one of the rule's `glue` words run into the match also counts as
/// a boundary, and so does any lower-case word run into a listed diplomat's
/// full name ("Ceyhun Bayramovsat"): feeds run words together, and a first
/// name and surname together are not the start of some longer word.
fn on_boundaries(text: &str, start: usize, end: usize, rule: &Rule) -> bool {
    let check_start = matches!(rule.boundaries, Boundaries::Both | Boundaries::Start);
    let check_end = matches!(rule.boundaries, Boundaries::Both | Boundaries::End);
    let m = &text[start..end];
    let start_ok = !check_start
        || !m.chars().next().is_some_and(is_word)
        || !text[..start].chars().next_back().is_some_and(is_word);
    let after = &text[end..];
    let end_ok = !check_end
        || !m.chars().next_back().is_some_and(is_word)
        || !after.chars().next().is_some_and(is_word)
        || rule
            .glue
            .iter()
            .any(|g| after.strip_prefix(g.as_str()).is_some_and(|rest| !rest.chars().next().is_some_and(is_word)))
        || (rule.kind == Kind::Envoy
            && matches!(rule.matcher, Matcher::Gazetteer(_))
            && m.contains(' ')
            && after.chars().next().is_some_and(char::is_lowercase));
    start_ok && end_ok
}

/// The captures of one match, read from reused capture locations.
///
/// A pattern may state two facts joined by a conjunction: its groups `first`
/// and `second` span the two mentions, and in the second fact a group `X2`,
/// where the pattern has one, stands for `X` (`count2`, `qualifier2`); the
/// groups without such a twin (an `outcome` after both) are shared.
#[derive(Clone, Copy)]
struct Caps<'t> {
    text: &'t str,
    captures: &'t Captures,
    /// Read the second fact's groups.
    second: bool,
}

impl<'t> Caps<'t> {
    /// The text of group `name`, if the pattern has it and it took part.
    fn name(&self, name: &str) -> Option<&'t str> {
        let group = self.index(name)?;
        self.group(group)
    }

    /// The byte span of group `name`, if it took part (no twin lookup).
    fn span(&self, name: &str) -> Option<(usize, usize)> {
        let group = self.position(|n| n == name)?;
        self.captures.get_group(group).map(|span| (span.start, span.end))
    }

    /// The index of the group that `name` reads (its twin `name2` for the
    /// second fact, when the pattern has one).
    fn index(&self, name: &str) -> Option<usize> {
        if self.second {
            if let Some(twin) = self.position(|n| n.strip_suffix('2') == Some(name)) {
                return Some(twin);
            }
        }
        self.position(|n| n == name)
    }

    fn position(&self, is: impl Fn(&str) -> bool) -> Option<usize> {
        // A pattern has a handful of groups: comparing names beats hashing.
        self.captures.group_info().pattern_names(regex_automata::PatternID::ZERO).position(|n| n.is_some_and(&is))
    }

    /// The text of group `group` (0: the whole match).
    fn group(&self, group: usize) -> Option<&'t str> {
        self.captures.get_group(group).map(|span| &self.text[span.range()])
    }
}

/// The draft of a pattern match, or `None` when its captures are not a value.
fn pattern_draft<'s>(set: &'s RuleSet, rule: &'s Rule, caps: &Caps, article: &Article) -> Option<Draft<'s>> {
    if rule.suppress {
        return Some(Draft::Suppress);
    }
    let cap = |name: &str| caps.name(name);
    let lex = &set.lexicons;
    match rule.kind {
        Kind::Date => {
            let f = DateFields {
                year: cap("year"),
                month: cap("month"),
                day: cap("day"),
                end_year: cap("end_year"),
                end_month: cap("end_month"),
                end_day: cap("end_day"),
                weekday: cap("weekday"),
                relative: cap("relative"),
                decade: cap("decade"),
            };
            value::date_draft(&f, lex, rule.set.direction)
        }
        Kind::Casualty => {
            let count = value::parse_count(cap("count")?, lex, article.language)?;
            let qualifier = match cap("qualifier") {
                Some(q) => lex.lookup("qualifier", q)?,
                None => rule.set.qualifier.as_deref().unwrap_or("exact"),
            };
            let outcome = match cap("outcome") {
                Some(o) => lex.lookup("outcome", o)?,
                None => rule.set.outcome.as_deref()?,
            };
            Some(Draft::Casualty { count, qualifier: Cow::Borrowed(qualifier), outcome: Cow::Borrowed(outcome) })
        }
        Kind::Envoy => {
            let written = collapse(cap("name").unwrap_or_else(|| caps.group(0).unwrap_or("")));
            // "các ngoại trưởng Armenia và Azerbaijan", "một đặc phái viên Liên
            // Hợp Quốc": a title before a place or a party an envoy speaks for
            // is not an envoy.
            if set.entry(Kind::Location, &written).is_some() || lex.lookup("represents", &written).is_some() {
                return None;
            }
            // What the text says of the person, which outranks what the
            // gazetteer lists: "Deputy Foreign Minister Abbas Araghchi".
            let titled_role = match cap("role") {
                Some(r) => Some(lex.lookup("role", r)?),
                None => None,
            };
            let titled_represents = match cap("represents") {
                Some(r) => Some(
                    lex.lookup("represents", r).or_else(|| set.entry(Kind::Location, r).map(|e| e.name.as_str()))?,
                ),
                None => None,
            };
            // A known name, perhaps with a glue word run into it
            // ("Foreign Minister Elmar Mammadyarovtold").
            let known = set
                .entry(Kind::Envoy, &written)
                .or_else(|| set.entry(Kind::Envoy, strip_glue(&written, &rule.glue)?))
                .or_else(|| run_into_listed_name(set, &written));
            let (name, listed_role, listed_represents) = match known {
                Some(entry) => (Cow::Borrowed(entry.name.as_str()), entry.role.as_deref(), entry.represents.as_deref()),
                None => {
                    let name = strip_rare_glue(&written, &rule.glue).map_or(written.clone(), str::to_string);
                    (Cow::Owned(name), None, None)
                }
            };
            Some(Draft::Envoy {
                name,
                role: titled_role.or(listed_role).or(rule.set.role.as_deref()).map(Cow::Borrowed),
                represents: titled_represents
                    .or(listed_represents)
                    .or(rule.set.represents.as_deref())
                    .map(Cow::Borrowed),
                titled: titled_role.is_some(),
            })
        }
        Kind::Location => {
            let written = collapse(cap("name").unwrap_or_else(|| caps.group(0).unwrap_or("")));
            let name = match set.entry(Kind::Location, &written) {
                Some(e) => Cow::Borrowed(e.name.as_str()),
                None => Cow::Owned(written),
            };
            Some(Draft::Location(name))
        }
    }
}

/// `written` without one of `glue` run into its last word, if it ends so.
fn strip_glue<'w>(written: &'w str, glue: &[String]) -> Option<&'w str> {
    strip_glue_of(written, glue.iter().map(String::as_str))
}

fn strip_glue_of<'w, 'g>(written: &'w str, mut glue: impl Iterator<Item = &'g str>) -> Option<&'w str> {
    let last = written.rsplit(' ').next()?;
    glue.find_map(|g| {
        let stem = written.strip_suffix(g)?;
        // The word must keep more than the glue: "Tom" is not "T" + "om".
        (last.len() > g.len() + 2).then_some(stem)
    })
}

/// The listed diplomat whose full name `written` begins with, a lower-case
/// word run into it and the name perhaps reaching into the next word
/// ("Toivo Klaarurge Baku" is Toivo Klaar): the longest such name.
fn run_into_listed_name<'s>(set: &'s RuleSet, written: &str) -> Option<&'s crate::rules::Entry> {
    written
        .char_indices()
        .rev()
        .filter(|&(i, c)| c.is_lowercase() && written[..i].contains(' ') && written[..i].ends_with(char::is_lowercase))
        .find_map(|(i, _)| set.entry(Kind::Envoy, &written[..i]))
}

/// `written` without a glue word run into it, for a name nobody lists: only
/// glue no name is likely to end with is cut ("David Zalkalianiwho"), never
/// "and", "in" or "on" (Ferdinand, Putin, Gordon). The glued word may be
/// followed by words the name pattern took in ("Jeenbek Kulubaevsaid
/// Bishkek"): the name ends at the first glued word after its first.
fn strip_rare_glue<'w>(written: &'w str, glue: &[String]) -> Option<&'w str> {
    let rare = || glue.iter().map(String::as_str).filter(|g| *g == "who" || g.len() >= 4);
    let mut end = 0;
    for (i, word) in written.split(' ').enumerate() {
        end += word.len();
        if i > 0 {
            if let Some(stem) = strip_glue_of(&written[..end], rare()) {
                return Some(stem);
            }
        }
        end += 1;
    }
    None
}

/// One person, one role within an article: where the text titles a person
/// ("Deputy Foreign Minister Abbas Araghchi"), their other, untitled mentions
/// ("Araghchi said") take the first such title's role and country instead of
/// the gazetteer's.
fn unify_envoy_titles(kept: &mut [Candidate]) {
    /// A titled person: name, role, country.
    type Title<'s> = (Cow<'s, str>, Option<Cow<'s, str>>, Option<Cow<'s, str>>);
    let mut titles: Vec<Title> = Vec::new();
    for c in kept.iter() {
        if let Draft::Envoy { name, role, represents, titled: true } = &c.draft {
            if !titles.iter().any(|(n, _, _)| n == name) {
                titles.push((name.clone(), role.clone(), represents.clone()));
            }
        }
    }
    if titles.is_empty() {
        return;
    }
    for c in kept.iter_mut() {
        if let Draft::Envoy { name, role, represents, titled: false } = &mut c.draft {
            if let Some((_, r, p)) = titles.iter().find(|(n, _, _)| n == name) {
                role.clone_from(r);
                if p.is_some() {
                    represents.clone_from(p);
                }
            }
        }
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl RuleSet {
    /// The gazetteer entry a written name stands for, if any gazetteer of
    /// that kind lists it.
    ///
    /// A pattern's name capture may run on into the next capitalised word
    /// ("Sergei Lavrov Tuesday"): the longest leading run of words that a
    /// gazetteer lists wins.
    fn entry(&self, kind: Kind, written: &str) -> Option<&crate::rules::Entry> {
        thread_local! {
            static BUFFERS: std::cell::RefCell<(String, String)> = const {
                std::cell::RefCell::new((String::new(), String::new()))
            };
        }
        let words = written.split_whitespace().count();
        let exact = BUFFERS.with(|buffers| {
            let mut fresh = (String::new(), String::new());
            let mut guard = buffers.try_borrow_mut();
            let (prefix, key) = match &mut guard {
                Ok(buffers) => &mut **buffers,
                Err(_) => &mut fresh,
            };
            (1..=words).rev().find_map(|n| {
                prefix.clear();
                for (i, word) in written.split_whitespace().take(n).enumerate() {
                    if i > 0 {
                        prefix.push(' ');
                    }
                    prefix.push_str(word);
                }
                crate::rules::lexicon_key_into(prefix, key);
                // The map is keyed by (kind, String): lend it the buffer
                // for the probe instead of allocating a key.
                let probe = (kind, std::mem::take(key));
                let found = self.names.get(&probe).copied();
                *key = probe.1;
                let (ri, ei) = found?;
                self.gazetteer_entry(ri, ei)
            })
        });
        exact.or_else(|| self.near_entry(kind, &crate::rules::lexicon_key(written)))
    }

    fn gazetteer_entry(&self, ri: usize, ei: usize) -> Option<&crate::rules::Entry> {
        match &self.rules[ri].matcher {
            Matcher::Gazetteer(entries) => entries.get(ei),
            Matcher::Pattern(_) => None,
        }
    }

    /// A full name one typo away from a listed alias ("Antony Blinkin",
    /// "Zohrab Mnatsakayan"): one edit in a name of at least eight
    /// characters, two from sixteen, same first letter; only when exactly
    /// one alias is that close. Only names a title introduced are looked up
    /// this way, so a stray capitalised word never becomes a diplomat.
    fn near_entry(&self, kind: Kind, key: &str) -> Option<&crate::rules::Entry> {
        let len = key.chars().count();
        let budget = match len {
            0..=7 => return None,
            8..=15 => 1,
            _ => 2,
        };
        let first = key.chars().next()?;
        let mut best: Option<(usize, &(usize, usize))> = None;
        let mut tied = false;
        // One written name against many aliases: the comparator encodes it
        // once, and the cutoff stops each comparison as soon as it exceeds
        // the budget (most aliases are far from the name).
        let written = levenshtein::BatchComparator::new(key.chars());
        let within = levenshtein::Args::default().score_cutoff(budget);
        // The names of this kind with the same first letter (the outcome
        // does not depend on the order they are tried in).
        for (chars, alias, target) in self.names_by_initial.get(&(kind, first)).into_iter().flatten() {
            if chars.abs_diff(len) > budget {
                continue;
            }
            let Some(d) = written.distance_with_args(alias.chars(), &within) else { continue };
            if d == 0 {
                continue;
            }
            match best {
                Some((bd, bt)) if d > bd || (d == bd && bt == target) => {}
                Some((bd, _)) if d == bd => tied = true,
                _ => {
                    best = Some((d, target));
                    tied = false;
                }
            }
        }
        let (_, &(ri, ei)) = best.filter(|_| !tied)?;
        self.gazetteer_entry(ri, ei)
    }
}

impl Run<'_> {
    /// The fact key of a kept candidate, or `None` for a suppressing match or
    /// a date that cannot be resolved.
    fn key(&self, set: &RuleSet, c: &Candidate) -> Option<FactKey> {
        self.key_ref(set, c).map(|k| k.to_owned())
    }

    /// The fact key of a kept candidate, borrowed from its draft: building
    /// facts compares and groups keys for every mention, but needs an owned
    /// key only once per fact.
    fn key_ref<'k>(&self, set: &RuleSet, c: &'k Candidate) -> Option<KeyRef<'k>> {
        let kind = set.rules[c.rule].kind;
        let key = |value| KeyRef { kind, value, role: None, represents: None, qualifier: None, outcome: None };
        Some(match &c.draft {
            Draft::Suppress => return None,
            Draft::Date(start, end) => {
                let s = value::resolve_date(start, self.article_date)?;
                let v = match end {
                    Some(e) => format!("{s}/{}", value::resolve_date(e, self.article_date)?),
                    None => s,
                };
                key(ValueRef::Text(Cow::Owned(v)))
            }
            Draft::Envoy { name, role, represents, .. } => KeyRef {
                role: role.as_deref(),
                represents: represents.as_deref(),
                ..key(ValueRef::Text(Cow::Borrowed(name)))
            },
            Draft::Casualty { count, qualifier, outcome } => {
                KeyRef { qualifier: Some(qualifier), outcome: Some(outcome), ..key(ValueRef::Count(*count)) }
            }
            Draft::Location(name) => key(ValueRef::Text(Cow::Borrowed(name))),
        })
    }

    /// The facts: one per key, mentions in text order, spans in the original.
    pub(crate) fn facts(&self, set: &RuleSet, original: &str) -> Vec<Fact> {
        // Sorting (key, index) pairs groups the mentions of each fact and
        // orders the facts as `FactKey` does.
        let mut keyed: Vec<(KeyRef, usize)> =
            self.kept.iter().enumerate().filter_map(|(i, c)| Some((self.key_ref(set, c)?, i))).collect();
        keyed.sort_unstable();
        keyed
            .chunk_by(|a, b| a.0 == b.0)
            .map(|group| {
                let mut mentions: Vec<Mention> = group
                    .iter()
                    .map(|&(_, i)| {
                        let c = &self.kept[i];
                        let (start, end) = (self.text.original_start(c.start), self.text.original_end(c.end));
                        Mention {
                            text: original[start..end].to_string(),
                            start,
                            end,
                            rule: set.rules[c.rule].id.clone(),
                        }
                    })
                    .collect();
                // Mentions come in text order; they are sorted by surface
                // text first only when a fact is written several ways.
                if !mentions.is_sorted() {
                    mentions.sort();
                }
                Fact { key: group[0].0.to_owned(), mentions }
            })
            .collect()
    }

    /// What rule `ri` contributed, as short descriptions (for example checks).
    pub(crate) fn outcomes_of(&self, set: &RuleSet, ri: usize) -> Vec<String> {
        self.kept
            .iter()
            .filter(|c| c.rule == ri)
            .filter_map(|c| match &c.draft {
                Draft::Suppress => self.describe(set, c),
                _ => self.key(set, c).map(|k| k.to_string()),
            })
            .collect()
    }

    /// The fact keys rule `ri` contributed.
    pub(crate) fn facts_of(&self, set: &RuleSet, ri: usize) -> Vec<FactKey> {
        self.kept.iter().filter(|c| c.rule == ri).filter_map(|c| self.key(set, c)).collect()
    }

    /// Everything the set contributed, with rule ids.
    pub(crate) fn all_outcomes(&self, set: &RuleSet) -> Vec<String> {
        self.kept
            .iter()
            .filter_map(|c| self.describe(set, c).map(|d| format!("{d} via {}", set.rules[c.rule].id)))
            .collect()
    }

    fn describe(&self, set: &RuleSet, c: &Candidate) -> Option<String> {
        match &c.draft {
            Draft::Suppress => Some(format!("claims {:?}", &self.text.text[c.start..c.end])),
            _ => match self.key(set, c) {
                Some(k) => Some(k.to_string()),
                None => Some(format!("an unresolved date {:?}", &self.text.text[c.start..c.end])),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scale::{generate, ScaleConfig};
    use std::path::Path;

    /// Every dropped match, sorted: the two searches may report them in a
    /// different order, never different ones.
    #[derive(Default)]
    struct Drops(Vec<(usize, usize, usize, String)>);

    impl Observer for Drops {
        fn dropped(&mut self, rule: usize, start: usize, end: usize, why: Dropped) {
            self.0.push((rule, start, end, format!("{why:?}")));
        }
    }

    fn outcome(set: &RuleSet, article: &Article, search: Search) -> (Vec<(usize, usize, usize, String)>, Drops) {
        let mut drops = Drops::default();
        let run = run_with(set, article, &mut drops, search);
        drops.0.sort();
        (kept(&run), drops)
    }

    fn kept(run: &Run) -> Vec<(usize, usize, usize, String)> {
        run.kept.iter().map(|c| (c.rule, c.start, c.end, format!("{:?}", c.draft))).collect()
    }

    /// The kept matches of plain extraction, whose scan leaves out the
    /// starts inside words.
    fn quiet_outcome(set: &RuleSet, article: &Article) -> Vec<(usize, usize, usize, String)> {
        kept(&run_with(set, article, &mut Quiet, Search::Scan))
    }

    /// The scanner only tells the engine where to look: over the corpus and
    /// the scale corpus built from it, its matches, drafts and drops must be
    /// those of searching each rule on its own (the plain algorithm), and
    /// plain extraction, which hears of no drops and so has the scanner
    /// skip the starts inside words, must keep the same matches.
    #[test]
    fn the_scanner_finds_what_searching_rule_by_rule_finds() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let set = bundled();
        let corpus = crate::Corpus::load(&[root.join("corpus")]).expect("the bundled corpus loads");
        let scale = generate(&corpus.articles, ScaleConfig { bytes: 300_000, seed: 11 });
        for article in corpus.articles.iter().chain(&scale) {
            let (kept, drops) = outcome(set, article, Search::Scan);
            let (plain_kept, plain_drops) = outcome(set, article, Search::RuleByRule);
            assert_eq!(kept, plain_kept, "{}", article.id);
            assert_eq!(drops.0, plain_drops.0, "{}", article.id);
            assert_eq!(quiet_outcome(set, article), plain_kept, "{}", article.id);
        }
    }

    /// The scanner searches a looser pattern (see `rules::widen`): "trướng"
    /// is "trưởng" to it, so it reports a start where the rule has no match.
    /// The engine must go on to the next start, not stop there.
    #[test]
    fn a_start_where_the_rule_has_no_match_is_passed_over() {
        let rules = r#"
kind: envoy
lexicons:
  role:
    foreign minister: [Ngoại trưởng]
rules:
  - id: envoy.vi.title
    pattern: '(?P<role>Ngoại trưởng)\s+(?P<name>\p{Lu}\p{Ll}+)'
"#;
        let set = RuleSet::from_sources(vec![("envoys.yaml".into(), rules.to_string())]).expect("the test rules load");
        let article = Article::from_text("a", "Ngoại trướng Lavrov gặp Ngoại trưởng Bayramov.".to_string());
        let (kept, drops) = outcome(&set, &article, Search::Scan);
        let (plain_kept, plain_drops) = outcome(&set, &article, Search::RuleByRule);
        assert_eq!((kept, drops.0), (plain_kept, plain_drops.0));
        let names: Vec<String> = set.extract(&article).facts.iter().map(|f| f.key.value.to_string()).collect();
        assert_eq!(names, ["Bayramov"]);
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// The same on any text, odd ones included (combining marks, text
        /// ending inside a possible match, matches inside words).
        #[test]
        fn the_scanner_agrees_on_any_text(parts in prop::collection::vec(prop_oneof![
            prop::sample::select(vec![
                "killed at least 400 people", "ngày 21/10", "Moskva", "Sergei Lavrov", " 20 và 21/10 ",
                "October 9, 2020", "e\u{301}", "Hovaevwho", "2020", " ", "\n",
            ]).prop_map(str::to_string),
            any::<String>(),
        ], 0..10)) {
            let set = bundled();
            let article = Article::from_text("p", parts.concat());
            let (kept, drops) = outcome(set, &article, Search::Scan);
            let (plain_kept, plain_drops) = outcome(set, &article, Search::RuleByRule);
            prop_assert_eq!(&kept, &plain_kept);
            prop_assert_eq!(drops.0, plain_drops.0);
            prop_assert_eq!(quiet_outcome(set, &article), plain_kept);
        }
    }

    /// A rule set of one gazetteer envoy and one title pattern.
    fn envoy_rules() -> RuleSet {
        let rules = r#"
kind: envoy
lexicons:
  role:
    foreign minister: [Foreign Minister]
    deputy foreign minister: [Deputy Foreign Minister]
rules:
  - id: envoy.known
    glue: &glue [told, said]
    gazetteer:
      - name: Abbas Araghchi
        aliases: [Araghchi]
        role: foreign minister
        represents: Iran
  - id: envoy.title
    glue: *glue
    priority: 1
    pattern: '(?P<role>Deputy Foreign Minister|Foreign Minister)\s+(?P<name>\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+)?)'
"#;
        RuleSet::from_sources(vec![("envoys.yaml".into(), rules.to_string())]).expect("the test rules load")
    }

    /// An envoy fact as `envoy_facts` lists it: name, role, number of mentions.
    fn fact(name: &str, role: &str, mentions: usize) -> (String, Option<String>, usize) {
        (name.to_string(), Some(role.to_string()), mentions)
    }

    fn envoy_facts(text: &str) -> Vec<(String, Option<String>, usize)> {
        let set = envoy_rules();
        let article = Article::from_text("a", text.to_string());
        set.extract(&article)
            .facts
            .iter()
            .map(|f| {
                let crate::fact::Value::Text(name) = &f.key.value else { panic!("an envoy is a name") };
                (name.clone(), f.key.role.clone(), f.mentions.len())
            })
            .collect()
    }

    #[test]
    fn a_title_in_the_text_gives_the_role_of_every_mention_of_the_person() {
        // Listed as foreign minister, titled deputy here: one fact, the deputy.
        let facts = envoy_facts("Deputy Foreign Minister Abbas Araghchi arrived. Later Araghchi said no.");
        assert_eq!(facts, vec![fact("Abbas Araghchi", "deputy foreign minister", 2)]);
        // Untitled, the gazetteer's role stands.
        let facts = envoy_facts("Araghchi said no.");
        assert_eq!(facts, vec![fact("Abbas Araghchi", "foreign minister", 1)]);
    }

    #[test]
    fn a_word_run_into_a_listed_full_name_still_names_the_person() {
        let facts = envoy_facts("Abbas Araghchisat down with the envoys.");
        assert_eq!(facts, vec![fact("Abbas Araghchi", "foreign minister", 1)]);
        let facts = envoy_facts("Foreign Minister Abbas Araghchiurge Tehran to act.");
        assert_eq!(facts, vec![fact("Abbas Araghchi", "foreign minister", 1)]);
        // A surname alone is not a full name: "Araghchian" is someone else.
        assert_eq!(envoy_facts("Araghchian said no."), vec![]);
    }

    #[test]
    fn a_titled_name_one_typo_from_a_listed_one_is_that_person() {
        // One edit in a name of eight characters or more.
        let facts = envoy_facts("Foreign Minister Abbas Araghchy arrived.");
        assert_eq!(facts, vec![fact("Abbas Araghchi", "foreign minister", 1)]);
        let facts = envoy_facts("Foreign Minister Araghchy arrived.");
        assert_eq!(facts, vec![fact("Abbas Araghchi", "foreign minister", 1)]);
        // Two edits, or one in a shorter name, is someone else.
        let facts = envoy_facts("Foreign Minister Abbas Arakhchy arrived.");
        assert_eq!(facts, vec![fact("Abbas Arakhchy", "foreign minister", 1)]);
        let facts = envoy_facts("Foreign Minister Aragchi arrived.");
        assert_eq!(facts, vec![fact("Aragchi", "foreign minister", 1)]);
    }

    #[test]
    fn only_rare_glue_is_cut_from_a_name_nobody_lists() {
        let glue: Vec<String> = ["who", "and", "told", "in"].map(String::from).to_vec();
        assert_eq!(strip_rare_glue("David Zalkalianiwho", &glue), Some("David Zalkaliani"));
        assert_eq!(strip_rare_glue("Jane Doetold", &glue), Some("Jane Doe"));
        assert_eq!(strip_rare_glue("Roland Ferdinand", &glue), None);
        assert_eq!(strip_rare_glue("Vladimir Putin", &glue), None);
        assert_eq!(strip_rare_glue("Jeenbek Kulubaevtold Bishkek", &glue), Some("Jeenbek Kulubaev"));
    }

    #[test]
    fn a_glue_word_run_into_a_titled_name_is_not_part_of_it() {
        let facts = envoy_facts("Foreign Minister Abbas Araghchitold reporters");
        assert_eq!(facts, vec![fact("Abbas Araghchi", "foreign minister", 1)]);
        // A name that merely ends like a glue word stays whole.
        let facts = envoy_facts("Foreign Minister Jan Harold");
        assert_eq!(facts, vec![fact("Jan Harold", "foreign minister", 1)]);
    }

    #[test]
    fn a_place_named_inside_a_title_or_a_casualty_statement_is_kept() {
        let article = Article::from_text(
            "a",
            "U.S. Secretary of State Antony Blinken spoke. One civilian, a man aged 76 from the village \
             Alibeyli, was killed."
                .to_string(),
        );
        let facts: Vec<(Kind, String)> = bundled()
            .extract(&article)
            .facts
            .iter()
            .map(|f| match &f.key.value {
                crate::fact::Value::Text(t) => (f.key.kind, t.clone()),
                crate::fact::Value::Count(n) => (f.key.kind, n.to_string()),
            })
            .collect();
        for want in [
            (Kind::Envoy, "Antony Blinken"),
            (Kind::Location, "United States"),
            (Kind::Casualty, "1"),
            (Kind::Location, "Alibeyli"),
        ] {
            assert!(facts.iter().any(|(k, v)| (*k, v.as_str()) == want), "{want:?} not in {facts:?}");
        }
    }

    fn bundled() -> &'static RuleSet {
        static SET: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
        SET.get_or_init(|| {
            RuleSet::load(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")).expect("the bundled rules load")
        })
    }
}
