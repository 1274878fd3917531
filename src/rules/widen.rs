//! The looser copies of the patterns that the scanner's automata are built
//! from.
//!
//! Decision: the scanner need not match exactly what a rule's regex matches,
//! only everything it matches. The scanner says where matches may start and
//! how far they reach; the rule's own regex then reads each start, anchored,
//! and finds the exact match or none (see `engine::pattern_candidates`). So
//! the scanner may search for a larger language, as long as that language
//! costs less to search.
//!
//! What costs is memory. The scanner's lazy DFAs build their states as the
//! text needs them, and each state holds one transition per byte class of
//! its automaton. The rules' letter classes (`{upper}`, `{lower}`: Latin
//! letters with diacritics, one case only) alternate case codepoint by
//! codepoint through Latin Extended-A and the Vietnamese block, so their
//! UTF-8 automata split the continuation bytes into dozens of classes;
//! every state then had more than 128 transitions, rounded up to 256 by the
//! DFAs of the time. [`widen`] replaces the non-ASCII part of every class
//! and literal by whole runs of the 64 codepoints that share all but their
//! last UTF-8 byte.
//! ASCII, where English text and the rules' words live, stays exact. Over the
//! scale corpus the automata fell from about 160 byte classes to about 100
//! and their states to half the memory, and no fact changed.

use regex_syntax::hir::{Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Literal, Repetition};

/// A pattern that matches every span `hir` matches, and more, with fewer
/// byte classes: the non-ASCII codepoints of each class and literal widen to
/// the runs of 64 they fall in, and alternations share their common
/// prefixes (a lexicon of words becomes a trie of them, which the automata
/// walk with fewer states).
///
/// Look-arounds, repetitions and ASCII are kept as they are.
pub(crate) fn widen(hir: Hir) -> Hir {
    // By value: the tree is taken apart and put together again, and its
    // nodes' lists are reused, which keeps load time down.
    match hir.into_kind() {
        HirKind::Literal(Literal(bytes)) => match std::str::from_utf8(&bytes) {
            Ok(text) if !text.is_ascii() => Hir::concat(text.chars().map(widen_char).collect()),
            _ => Hir::literal(bytes),
        },
        HirKind::Class(Class::Unicode(class)) => Hir::class(Class::Unicode(widen_class(&class))),
        HirKind::Repetition(Repetition { min, max, greedy, sub }) => {
            Hir::repetition(Repetition { min, max, greedy, sub: Box::new(widen(*sub)) })
        }
        HirKind::Capture(Capture { index, name, sub }) => {
            Hir::capture(Capture { index, name, sub: Box::new(widen(*sub)) })
        }
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(widen).collect()),
        HirKind::Alternation(subs) => share_prefixes(subs.into_iter().map(|sub| atoms(widen(sub))).collect()),
        kind => rebuild(kind),
    }
}

/// Drops `hir` node by node. A syntax tree's own drop takes each node's
/// children out by putting an empty tree in their place, which allocates:
/// for the scanner's large trees that was a tenth of the load's work. Taken
/// apart with `into_kind`, the nodes are freed without allocating.
pub(crate) fn dismantle(hir: Hir) {
    match hir.into_kind() {
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.into_iter().for_each(dismantle),
        HirKind::Repetition(rep) => dismantle(*rep.sub),
        HirKind::Capture(cap) => dismantle(*cap.sub),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => {}
    }
}

/// The pattern of a syntax tree's top node (what `Hir::into_kind` took apart).
fn rebuild(kind: HirKind) -> Hir {
    match kind {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(Literal(bytes)) => Hir::literal(bytes),
        HirKind::Class(class) => Hir::class(class),
        HirKind::Look(look) => Hir::look(look),
        HirKind::Repetition(rep) => Hir::repetition(rep),
        HirKind::Capture(cap) => Hir::capture(cap),
        HirKind::Concat(subs) => Hir::concat(subs),
        HirKind::Alternation(subs) => Hir::alternation(subs),
    }
}

/// The class of the 64 codepoints around `c` (one codepoint if ASCII).
fn widen_char(c: char) -> Hir {
    if c.is_ascii() {
        Hir::literal(c.to_string().into_bytes())
    } else {
        Hir::class(Class::Unicode(ClassUnicode::new([run_of_64(c, c)])))
    }
}

/// `class` with its ASCII ranges as they are and the rest widened to runs
/// of 64 codepoints.
fn widen_class(class: &ClassUnicode) -> ClassUnicode {
    let mut ranges = Vec::with_capacity(class.ranges().len().min(16));
    for range in class.ranges() {
        let (start, end) = (range.start(), range.end());
        if start.is_ascii() {
            ranges.push(ClassUnicodeRange::new(start, end.min('\x7F')));
        }
        if !end.is_ascii() {
            ranges.push(run_of_64(start.max('\u{80}'), end));
        }
    }
    ClassUnicode::new(ranges)
}

/// The codepoints from the start of `start`'s run of 64 to the end of
/// `end`'s: those that UTF-8 writes with the same bytes but the last, whose
/// low six bits are the run's.
///
/// Surrogates, which are not characters, are never crossed: they form whole
/// runs of their own (U+D800 to U+DFFF), so a run that starts or ends next to
/// them stops short of them.
fn run_of_64(start: char, end: char) -> ClassUnicodeRange {
    let start = char::from_u32(u32::from(start) & !0x3F).unwrap_or(start);
    let end = char::from_u32(u32::from(end) | 0x3F).unwrap_or(end);
    ClassUnicodeRange::new(start, end)
}

/// What a match of `hir` goes through, last first: [`first_atom`] takes
/// them off the end.
fn atoms(hir: Hir) -> Vec<Hir> {
    let mut atoms = match hir.into_kind() {
        HirKind::Concat(subs) => subs,
        HirKind::Empty => Vec::new(),
        kind => vec![rebuild(kind)],
    };
    atoms.reverse();
    atoms
}

/// Takes the first atom off `atoms` (from [`atoms`]): the first character
/// of a literal, so that two words that begin alike share it.
fn first_atom(atoms: &mut Vec<Hir>) -> Option<Hir> {
    let first = atoms.pop()?;
    if let HirKind::Literal(Literal(bytes)) = first.kind() {
        if let Some(c) = std::str::from_utf8(bytes).ok().and_then(|text| text.chars().next()) {
            let rest = &bytes[c.len_utf8()..];
            if !rest.is_empty() {
                atoms.push(Hir::literal(rest));
                return Some(Hir::literal(c.to_string().into_bytes()));
            }
        }
    }
    Some(first)
}

/// The alternation of the sequences (from [`atoms`]), each group of them
/// with the same first atom written as that atom, then the alternation of
/// the rests: a trie.
///
/// The alternatives are regrouped, so which one a leftmost-first search
/// prefers may change; the language does not, and the scanner reports all
/// matches.
fn share_prefixes(sequences: Vec<Vec<Hir>>) -> Hir {
    let mut groups: Vec<(Option<Hir>, Vec<Vec<Hir>>)> = Vec::new();
    for mut sequence in sequences {
        let first = first_atom(&mut sequence);
        match groups.iter_mut().find(|(head, _)| *head == first) {
            Some((_, rests)) => rests.push(sequence),
            None => groups.push((first, vec![sequence])),
        }
    }
    let branches = groups.into_iter().map(|(first, mut rests)| match (first, rests.len()) {
        (None, _) => Hir::empty(),
        (Some(first), 1) => {
            let mut sequence = rests.pop().unwrap_or_default();
            sequence.push(first);
            sequence.reverse();
            Hir::concat(sequence)
        }
        (Some(first), _) => Hir::concat(vec![first, share_prefixes(rests)]),
    });
    Hir::alternation(branches.collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use regex_automata::meta::Regex;
    use regex_automata::{Anchored, Input};

    /// Patterns of the shapes the bundled rules use: letter classes of one
    /// case, lexicons ignoring case, Vietnamese words, optional prefixes.
    const PATTERNS: [&str; 6] = [
        r"[\p{Lu}&&[A-ZÀ-ÞĀ-ɏḀ-ỿ]][\p{Ll}&&[a-zß-ÿĀ-ɏəḀ-ỿ]]+(?:[ \t]+[\p{Lu}&&[A-ZĀ-ɏḀ-ỿ]][a-zà-ỹ]+){1,2}",
        r"(?i:one|once|two|twenty|twelve|hai|hai mươi|mười)\s+(?:people\s+)?(?:killed|chết|dead)",
        r"(?:(?:at\s+least|khoảng)\s+)?[0-9]{1,3}(?:[.,\x{A0}][0-9]{3})*\s+người",
        r"ngày\s+\d{1,2}(?:/\d{1,2})?|tháng\s+(?:giêng|một|hai|chạp)",
        r"(?:Foreign\s+|Ngoại\s+)?(?:Minister|trưởng)\s+\p{Lu}\p{Ll}+",
        r"\bé+\b|[^\n]{2}x",
    ];

    fn regex(hir: &Hir) -> Regex {
        Regex::builder().build_from_hir(hir).expect("the test pattern compiles")
    }

    /// Whether `re`, built by [`whole`], matches all of `hay[start..end]`.
    fn spans(re: &Regex, hay: &str, start: usize, end: usize) -> bool {
        re.is_match(Input::new(&hay[..end]).range(start..).anchored(Anchored::Yes))
    }

    fn parse(pattern: &str) -> Hir {
        regex_syntax::parse(pattern).expect("the test pattern parses")
    }

    /// Full-span matching: the pattern, then the end of the text.
    fn whole(hir: &Hir) -> Regex {
        regex(&Hir::concat(vec![hir.clone(), Hir::look(regex_syntax::hir::Look::End)]))
    }

    /// Full-span regexes of `pattern` and of `transform` applied to it.
    fn exact_and(pattern: &str, transform: fn(Hir) -> Hir) -> (Regex, Regex) {
        let hir = parse(pattern);
        (whole(&hir), whole(&transform(hir)))
    }

    fn boundaries(hay: &str) -> Vec<usize> {
        (0..=hay.len()).filter(|&i| hay.is_char_boundary(i)).collect()
    }

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                prop::sample::select(vec![
                    "Twenty",
                    "hai mươi",
                    "Ngoại trưởng",
                    "Minister",
                    "Lavrov",
                    "Đặng Văn",
                    "Ōsaka",
                    "at least",
                    "1,200",
                    "người",
                    "ngày",
                    "21/10",
                    "chạp",
                    " ",
                    "\n",
                    "é",
                    "killed",
                    "chết",
                    "Mnatsakanyan",
                ])
                .prop_map(str::to_string),
                "[a-zA-Z0-9 àáạảãăắằẳẵặâấầẩẫậđèéẹẻẽêếềểễệĐÀÉƠƯơưỳỹ\u{A0}ǅ]{0,6}",
            ],
            0..7,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        /// Every span a pattern matches, its widened form matches.
        #[test]
        fn the_widened_pattern_matches_all_the_pattern_does(hay in text()) {
            for pattern in PATTERNS {
                let (exact, wide) = exact_and(pattern, widen);
                for &start in &boundaries(&hay) {
                    for &end in boundaries(&hay).iter().filter(|&&end| end >= start) {
                        if spans(&exact, &hay, start, end) {
                            prop_assert!(spans(&wide, &hay, start, end), "{pattern} on {:?}", &hay[start..end]);
                        }
                    }
                }
            }
        }

        /// Over ASCII text, where widening changes no class, the widened
        /// pattern matches exactly the spans the pattern does: sharing the
        /// prefixes of alternatives keeps the language.
        #[test]
        fn over_ascii_the_widened_pattern_matches_the_same(hay in "[a-zA-Z0-9 ,.\n]{0,24}", words in prop::collection::vec("[a-c]{0,3}", 1..6)) {
            let lexicon = format!("(?i:{})(?:x|y|xz)?", words.join("|"));
            for pattern in PATTERNS.iter().copied().chain([lexicon.as_str()]) {
                let (exact, wide) = exact_and(pattern, widen);
                for start in 0..=hay.len() {
                    for end in start..=hay.len() {
                        prop_assert_eq!(spans(&exact, &hay, start, end), spans(&wide, &hay, start, end), "{} on {:?}", pattern, &hay[start..end]);
                    }
                }
            }
        }
    }

    /// The letter classes of the rules widen to ASCII plus a few runs: the
    /// alternating cases of Latin Extended-A and of the Vietnamese block are
    /// what split an automaton's bytes into many classes.
    #[test]
    fn a_class_of_one_case_widens_to_whole_runs() {
        let HirKind::Class(Class::Unicode(upper)) = parse(r"[\p{Lu}&&[A-ZĀ-ſḀ-ỿ]]").into_kind() else {
            panic!("a class parses to a class")
        };
        assert!(upper.ranges().len() > 100, "one range per capital: {}", upper.ranges().len());
        let wide: Vec<(char, char)> = widen_class(&upper).ranges().iter().map(|r| (r.start(), r.end())).collect();
        assert_eq!(wide, [('A', 'Z'), ('\u{100}', '\u{17F}'), ('\u{1E00}', '\u{1EFF}')]);
    }

    /// A word with diacritics widens letter by letter; ASCII letters stay.
    #[test]
    fn a_literal_widens_only_its_non_ascii_letters() {
        let wide = regex(&widen(parse("ngày")));
        assert!(wide.is_match("ngày"));
        assert!(wide.is_match("ngáy"), "á is in the run of à");
        assert!(!wide.is_match("ngaày"));
        assert!(!wide.is_match("nhày"), "ASCII is exact");
    }

    /// The parser allows groups nested 250 deep; the recursive walks over
    /// the tree must not run out of stack on such a pattern.
    #[test]
    fn the_deepest_pattern_the_parser_allows_widens_and_drops() {
        let deep = format!("{}x{}", "(?:a|".repeat(124), ")".repeat(124));
        let wide = widen(parse(&deep));
        assert!(regex(&wide).is_match("aax"));
        dismantle(wide);
    }
}
