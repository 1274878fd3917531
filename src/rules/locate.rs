//! Finding the line and column of a rule, a key or an example in a rule file.
//!
//! serde_yaml gives a location only for errors it finds itself. Errors found
//! later (an invalid regex, a failing example) are located here by reading
//! the source text: rule `n` of a file is the `n`-th `id:` line, and a field
//! of a rule is the first line with that key inside the rule's block. This
//! reads block-style YAML, the style of every bundled file; for anything it
//! cannot find it falls back to the nearest enclosing place it did find.

use regex::Regex;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::error::Location;

/// A rule file's text, with the positions of its rules.
pub(crate) struct Source {
    path: PathBuf,
    text: String,
    /// Byte offset of the start of each `id:` line, in file order.
    rule_starts: Vec<usize>,
    /// Byte offset of the start of each line: a location is asked for every
    /// rule at load, and counting lines from the top each time made the
    /// load's work grow with the square of a file's length.
    line_starts: Vec<usize>,
}

fn id_line() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?m)^[ \t]*(?:-[ \t]+)?id:[ \t]*").expect("valid regex"))
}

impl Source {
    pub(crate) fn new(path: &Path, text: String) -> Source {
        let rule_starts = id_line().find_iter(&text).map(|m| m.start()).collect();
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Source { path: path.to_owned(), text, rule_starts, line_starts }
    }

    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The location of a byte offset.
    pub(crate) fn at(&self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        // The lines that start at or before `offset`; the first starts at 0.
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line - 1];
        let column = 1 + self.text[line_start..offset].chars().count();
        Location { path: self.path.clone(), line, column }
    }

    /// A 1-based line and column from the YAML parser.
    pub(crate) fn line_column(&self, line: usize, column: usize) -> Location {
        Location { path: self.path.clone(), line, column }
    }

    /// The byte range of rule `index`'s block.
    fn block(&self, index: usize) -> (usize, usize) {
        match self.rule_starts.get(index) {
            Some(&start) => (start, self.rule_starts.get(index + 1).copied().unwrap_or(self.text.len())),
            None => (0, self.text.len()),
        }
    }

    /// Where rule `index` starts (its `id:` line, at the id).
    pub(crate) fn rule(&self, index: usize) -> Location {
        let (start, _) = self.block(index);
        self.at(self.value_start(start))
    }

    /// Where `key:` is written inside rule `index` (at its value), or the rule.
    pub(crate) fn field(&self, index: usize, key: &str) -> Location {
        match self.find_key(self.block(index), key) {
            Some(offset) => self.at(self.value_start(offset)),
            None => self.rule(index),
        }
    }

    /// Where item `n` of the list under `key:` is, inside rule `index`.
    pub(crate) fn item(&self, index: usize, key: &str, n: usize) -> Location {
        let (start, end) = self.block(index);
        let Some(list) = self.find_key((start, end), key) else { return self.rule(index) };
        let body_start = self.text[list..end].find('\n').map_or(end, |i| list + i + 1);
        let indent = |line: &str| line.len() - line.trim_start().len();
        let key_indent = indent(&self.text[self.line_start(list)..list + 1]);
        let mut offset = body_start;
        let mut seen = 0;
        for line in self.text[body_start..end].split_inclusive('\n') {
            let trimmed = line.trim_start();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                if indent(line) <= key_indent && !trimmed.starts_with('-') {
                    break;
                }
                if trimmed.starts_with("- ") || trimmed == "-\n" {
                    if seen == n {
                        return self.at(offset + indent(line) + 2);
                    }
                    seen += 1;
                }
            }
            offset += line.len();
        }
        self.field(index, key)
    }

    /// Where a top-level `section:` entry `name:` is defined.
    pub(crate) fn section_key(&self, section: &str, name: &str) -> Location {
        let Some(sec) = self.find_key((0, self.text.len()), section) else { return self.at(0) };
        // The first indented line `name:` (the name maybe quoted) after it.
        let mut offset = sec;
        for line in self.text[sec..].split_inclusive('\n') {
            let body = line.trim_start_matches([' ', '\t']);
            let indent = line.len() - body.len();
            let unquoted = body.strip_prefix(['"', '\'']).unwrap_or(body);
            let is_entry = indent > 0
                && unquoted.strip_prefix(name).is_some_and(|rest| {
                    let rest = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
                    rest.trim_start_matches([' ', '\t']).starts_with(':')
                });
            if is_entry {
                return self.at(offset + indent);
            }
            offset += line.len();
        }
        self.at(sec)
    }

    /// Where the surface form `form` is written under `section:` after `name:`.
    pub(crate) fn form(&self, section: &str, name: &str, form: &str) -> Location {
        let key = self.section_key(section, name);
        let from = self.offset_of(&key);
        match self.text[from..].find(form) {
            Some(i) => self.at(from + i),
            None => key,
        }
    }

    fn offset_of(&self, loc: &Location) -> usize {
        self.text.split_inclusive('\n').take(loc.line - 1).map(str::len).sum()
    }

    fn line_start(&self, offset: usize) -> usize {
        self.text[..offset].rfind('\n').map_or(0, |i| i + 1)
    }

    /// The first line in `range` that writes `key:` (maybe after `- `).
    ///
    /// Read line by line rather than with a regex built per key: every rule
    /// asks for the place of its fields as it compiles.
    fn find_key(&self, (start, end): (usize, usize), key: &str) -> Option<usize> {
        let mut offset = start;
        for line in self.text[start..end].split_inclusive('\n') {
            let mut body = line.trim_start_matches([' ', '\t']);
            if let Some(item) = body.strip_prefix('-') {
                let after = item.trim_start_matches([' ', '\t']);
                if after.len() < item.len() {
                    body = after;
                }
            }
            if body.strip_prefix(key).is_some_and(|rest| rest.starts_with(':')) {
                return Some(offset + line.len() - body.len());
            }
            offset += line.len();
        }
        None
    }

    /// From the start of `key:`, the offset of the value after the colon.
    fn value_start(&self, offset: usize) -> usize {
        let rest = &self.text[offset..];
        let line_end = rest.find('\n').unwrap_or(rest.len());
        let line = &rest[..line_end];
        let line = line.trim_start_matches([' ', '\t', '-']);
        let skipped = rest[..line_end].len() - line.len();
        match line.find(':') {
            Some(colon) => {
                let after = &line[colon + 1..];
                offset + skipped + colon + 1 + (after.len() - after.trim_start().len())
            }
            None => offset,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "kind: date\nmacros:\n  day: '\\d+'\nrules:\n  - id: first\n    pattern: 'a'\n  - id: second\n    description: x\n    pattern: '(b'\n    examples:\n      - text: one\n        value: '1'\n      - text: two\n        value: '2'\n    counterexamples:\n      - three\n      - four\n";

    fn src() -> Source {
        Source::new(Path::new("r.yaml"), FILE.to_string())
    }

    /// Every offset's line and column are those counted from the top of the
    /// text, characters not bytes, the offset past the end included.
    #[test]
    fn an_offset_is_at_the_line_and_column_counted_from_the_top() {
        let text = "rules:\n  - id: ngày\n\n    pattern: 'é'\nend";
        let s = Source::new(Path::new("t.yaml"), text.to_string());
        for offset in (0..=text.len() + 2).filter(|&o| o > text.len() || text.is_char_boundary(o)) {
            let before = &text[..offset.min(text.len())];
            let line = 1 + before.matches('\n').count();
            let column = 1 + before.rsplit('\n').next().map_or(0, |l| l.chars().count());
            let at = s.at(offset);
            assert_eq!((at.line, at.column), (line, column), "offset {offset}");
        }
    }

    #[test]
    fn finds_rules_fields_and_items() {
        let s = src();
        let at = |l: Location| (l.line, l.column);
        assert_eq!(at(s.rule(0)), (5, 9));
        assert_eq!(at(s.field(1, "pattern")), (9, 14));
        assert_eq!(at(s.item(1, "examples", 1)), (13, 9));
        assert_eq!(at(s.item(1, "counterexamples", 1)), (17, 9));
        assert_eq!(at(s.section_key("macros", "day")), (3, 3));
        assert_eq!(at(s.field(0, "examples")), (5, 9), "falls back to the rule");
    }
}
