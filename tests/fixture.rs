//! A small, self-contained workspace for the command tests: a few rules,
//! two articles and their goldens, written to a temporary folder, so the
//! tests do not depend on the bundled corpus (which grows) and can break
//! rules freely.
//!
//! What the rules find in article `a`, by design:
//! - "Moskva" twice: `location Moscow` (place.gazetteer), once new, once deduplicated;
//! - "Moscow State University": claimed by the suppressing place.not-a-place,
//!   so the "Moscow" inside it loses an overlap;
//! - "9/10/2020": `date 2020-10-09` (date.dmy); the "2020" inside loses to it;
//! - "31/02/2020": not a date (date.dmy drops it), its "2020" is `date 2020` (date.year);
//! - "Bakuvians": "Baku" inside a word, dropped at the boundary.
//!
//! In article `b` (split `test`): `location Baku` and `date 2021`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const PLACES: &str = r#"kind: location
rules:
  - id: place.gazetteer
    gazetteer:
      - name: Moscow
        aliases: [Moskva]
      - name: Baku
    examples:
      - text: "talks in Moscow"
        value: Moscow
    counterexamples:
      - "a Bakunin reader"
  - id: place.not-a-place
    suppress: true
    gazetteer:
      - name: Moscow State University
    examples:
      - text: "students of Moscow State University"
        value: Moscow State University
    counterexamples:
      - "talks in Baku"
"#;

pub const DATES: &str = r#"kind: date
macros:
  year: '(?:19[0-9]{2}|20[0-9]{2})'
rules:
  - id: date.dmy
    pattern: '(?P<day>[0-9]{1,2})/(?P<month>[0-9]{1,2})/(?P<year>{year})'
    examples:
      - text: "on 9/10/2020"
        value: '2020-10-09'
    counterexamples:
      - "on 31/02/2020 nothing"
  - id: date.year
    pattern: '(?P<year>{year})'
    examples:
      - text: "in 2021"
        value: '2021'
    counterexamples:
      - "route 20201"
"#;

const ARTICLE_A: &str = "Talks in Moskva opened on 9/10/2020. Students of Moscow State University protested. \
A note dated 31/02/2020 was found. Bakuvians watched, and Moskva said nothing.\n";
const ARTICLE_B: &str = "Officials in Baku spoke in 2021.\n";

pub const GOLDEN_A: &str = "---\nsource: tests/golden.rs\n---\narticle: a\ndate:\n- value: '2020'\n  mentions:\n  - '2020'\n- value: 2020-10-09\n  mentions:\n  - 9/10/2020\nlocation:\n- value: Moscow\n  mentions:\n  - Moskva\n";
pub const GOLDEN_B: &str =
    "---\nsource: tests/golden.rs\n---\narticle: b\ndate:\n- value: '2021'\n  mentions:\n  - '2021'\nlocation:\n- value: Baku\n  mentions:\n  - Baku\n";

/// A temporary folder holding `rules/`, `corpus/` and `golden/`.
pub struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Fixture {
        let f = Fixture { dir: tempfile::tempdir().expect("a temporary folder") };
        f.write("rules/places.yaml", PLACES);
        f.write("rules/dates.yaml", DATES);
        f.write("corpus/a.txt", ARTICLE_A);
        f.write("corpus/b.txt", ARTICLE_B);
        f.write("corpus/metadata.yaml", "b:\n  split: test\n");
        f.write("golden/a.snap", GOLDEN_A);
        f.write("golden/b.snap", GOLDEN_B);
        f
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("folder created");
        std::fs::write(path, text).expect("file written");
    }

    /// Replaces `from` by `to` in a file, which must contain `from`.
    pub fn edit(&self, relative: &str, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.path(relative)).expect("file read");
        assert!(text.contains(from), "{relative} does not contain {from:?}");
        self.write(relative, &text.replacen(from, to, 1));
    }

    /// Copies `rules/` to a new folder `name/` beside it.
    pub fn copy_rules(&self, name: &str) -> PathBuf {
        let to = self.path(name);
        std::fs::create_dir_all(&to).expect("folder created");
        for entry in std::fs::read_dir(self.path("rules")).expect("rules/ exists") {
            let from = entry.expect("an entry").path();
            std::fs::copy(&from, to.join(from.file_name().expect("a file name"))).expect("file copied");
        }
        to
    }

    /// Runs `factrules` in the fixture's folder.
    pub fn run(&self, args: &[&str]) -> Output {
        run_in(self.dir.path(), args)
    }
}

pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factrules")).args(args).current_dir(dir).output().expect("the binary runs")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Standard output and error, for assertion messages.
pub fn both(out: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        stdout(out),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Standard output parsed as JSON.
pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", both(out)))
}

/// The entry of a JSON array whose `key` is `value`.
pub fn find<'a>(array: &'a serde_json::Value, key: &str, value: &str) -> &'a serde_json::Value {
    array
        .as_array()
        .and_then(|a| a.iter().find(|x| x[key] == value))
        .unwrap_or_else(|| panic!("no entry with {key} = {value:?} in {array:#}"))
}
