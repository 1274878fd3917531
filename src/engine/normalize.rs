//! NFC normalisation with a map back to the original text.
//!
//! Rules are written in NFC; articles arrive in NFC or NFD (Vietnamese from
//! some feeds is decomposed). The engine matches on the NFC text and reports
//! spans in the original, so a mention's `text` is always what the article
//! says.
//!
//! Decision: the text is cut before every character that is a starter
//! (canonical combining class 0) and cannot compose with what precedes it
//! (NFC quick check Yes). Such a cut never changes the normal form, so each
//! piece is normalised alone and the pieces' offsets map one to one. Text that
//! is already NFC (the common case, found by the quick check) is borrowed and
//! needs no map.

use std::borrow::Cow;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// A text in NFC and the way back to the original offsets.
#[derive(Debug)]
pub(crate) struct Normalized<'a> {
    pub text: Cow<'a, str>,
    /// Piece starts as (normalised offset, original offset), ascending, with a
    /// final (normalised length, original length). Empty when `text` is the
    /// original itself.
    pieces: Vec<(usize, usize)>,
}

impl<'a> Normalized<'a> {
    pub(crate) fn new(original: &'a str) -> Normalized<'a> {
        if is_nfc(original) {
            return Normalized { text: Cow::Borrowed(original), pieces: Vec::new() };
        }
        let mut text = String::with_capacity(original.len());
        let mut pieces = Vec::new();
        let mut piece_start = 0;
        for (i, c) in original.char_indices() {
            if i > 0 && is_stable_starter(c) {
                pieces.push((text.len(), piece_start));
                text.extend(original[piece_start..i].nfc());
                piece_start = i;
            }
        }
        pieces.push((text.len(), piece_start));
        text.extend(original[piece_start..].nfc());
        pieces.push((text.len(), original.len()));
        Normalized { text: Cow::Owned(text), pieces }
    }

    /// The original offset of a normalised start offset (rounded down to the
    /// start of its piece).
    pub(crate) fn original_start(&self, offset: usize) -> usize {
        if self.pieces.is_empty() {
            return offset;
        }
        let i = self.pieces.partition_point(|&(n, _)| n <= offset);
        self.pieces[i.saturating_sub(1)].1
    }

    /// The original offset of a normalised end offset (rounded up to the end
    /// of its piece).
    pub(crate) fn original_end(&self, offset: usize) -> usize {
        if self.pieces.is_empty() {
            return offset;
        }
        let i = self.pieces.partition_point(|&(n, _)| n < offset);
        self.pieces.get(i).map_or_else(|| self.pieces.last().map_or(offset, |p| p.1), |p| p.1)
    }
}

/// Whether `text` is certainly NFC, by the quick check.
///
/// The quick check restarts after every stable starter (a character of
/// combining class 0 that is NFC as it stands): checking each run of text
/// between such characters alone gives the answer of checking the whole
/// text. ASCII letters, the accented letters of Latin scripts (Vietnamese
/// included) and general punctuation are stable starters, known by their
/// code point; so the ASCII bulk of a text is skipped sixteen bytes at a time
/// and only the rare other characters (combining marks above all) go
/// through the quick check's tables.
fn is_nfc(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        while at + 16 <= bytes.len() && bytes[at..at + 16].is_ascii() {
            at += 16;
        }
        while at < bytes.len() && bytes[at].is_ascii() {
            at += 1;
        }
        let run = at;
        while at < bytes.len() && !bytes[at].is_ascii() {
            at += 1;
        }
        // `run..at` starts and ends next to ASCII bytes (or the ends of the
        // text): char boundaries.
        let mut unknown = None;
        for (i, c) in text[run..at].char_indices() {
            if known_stable_starter(c) {
                if let Some(start) = unknown.take() {
                    if is_nfc_quick(text[run + start..run + i].chars()) != IsNormalized::Yes {
                        return false;
                    }
                }
            } else if unknown.is_none() {
                unknown = Some(i);
            }
        }
        if let Some(start) = unknown {
            if is_nfc_quick(text[run + start..at].chars()) != IsNormalized::Yes {
                return false;
            }
        }
    }
    true
}

/// Code point ranges made only of stable starters (pinned by a test): Latin-1
/// and the Latin extensions, IPA and spacing modifiers; Latin Extended
/// Additional (Vietnamese letters with two diacritics); general punctuation
/// after the two quads (U+2000 and U+2001 decompose to other spaces).
fn known_stable_starter(c: char) -> bool {
    matches!(c, '\0'..='\u{2FF}' | '\u{1E00}'..='\u{1EFF}' | '\u{2002}'..='\u{206F}')
}

fn is_stable_starter(c: char) -> bool {
    canonical_combining_class(c) == 0 && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_check_by_runs_agrees_with_the_whole_text() {
        let nfd: String = "Ngoại trưởng".nfd().collect();
        let texts =
            ["", "ascii", "Ngoại trưởng", "a\u{301}", "\u{301}", "x \u{1e09} y", "é\u{301}", "ệ\u{323}", "\u{2000}"];
        for text in texts.iter().copied().chain([nfd.as_str()]) {
            assert_eq!(is_nfc(text), is_nfc_quick(text.chars()) == IsNormalized::Yes, "{text:?}");
        }
    }

    #[test]
    fn known_stable_starters_are_stable_starters() {
        for c in ('\0'..='\u{2FFF}').filter(|&c| known_stable_starter(c)) {
            assert!(is_stable_starter(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn nfc_text_is_borrowed() {
        let n = Normalized::new("Ngoại trưởng");
        assert!(matches!(n.text, Cow::Borrowed(_)));
        assert_eq!((n.original_start(3), n.original_end(5)), (3, 5));
    }

    #[test]
    fn nfd_vietnamese_maps_back_to_original_spans() {
        let original: String = "ông Lavrov ở Moskva ngày 21/10".nfd().collect();
        let n = Normalized::new(&original);
        assert_eq!(n.text, "ông Lavrov ở Moskva ngày 21/10");
        let start = n.text.find("Moskva").unwrap();
        let end = start + "Moskva".len();
        let (s, e) = (n.original_start(start), n.original_end(end));
        assert_eq!(&original[s..e], "Moskva");
        let start = n.text.find("ngày").unwrap();
        let (s, e) = (n.original_start(start), n.original_end(start + "ngày".len()));
        assert_eq!(original[s..e].nfc().collect::<String>(), "ngày");
    }
}
