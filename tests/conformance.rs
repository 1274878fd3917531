//! Other people's test suites, run through the date and number normalisation
//! behind the bundled rules.
//!
//! The data is read where it lives (`FACTRULES_EXTERNAL`, else
//! `../shared/external` beside the crate): Duckling's Vietnamese and English
//! time and numeral corpora, NeMo's Vietnamese written dates and cardinals,
//! and Microsoft Recognizers-Text's English date parser and number model
//! specs. Only the cases that fit news text are taken: calendar dates,
//! month-years and years (no clock times, holidays, weekdays or relative
//! phrases like "next week"), and cardinal numbers of at least one (no
//! decimals, no spoken-form normalisation). Each suite's selection rule is
//! written beside its loader.
//!
//! A date case passes when the bundled rules, run over the case's text as an
//! article dated at the suite's reference time, find a date fact with the
//! expected value; a number case passes when [`RuleSet::count_value`] reads
//! the expected integer. The pass rate of every suite is printed, and the
//! test fails when one drops below its floor in `tests/conformance_floors.yaml`.
//! Raise a floor when the rules get better; never lower one to make a change
//! pass without saying why in the commit.

use factrules::{Article, Kind, Language, PartialDate, RuleSet, Value};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{bundled, root};

/// One case: a text and what it must yield.
struct Case {
    text: String,
    language: Language,
    expect: Expect,
}

enum Expect {
    /// A date fact with one of these values, in an article of this date.
    Date { published: PartialDate, values: Vec<String> },
    /// A count.
    Count(u64),
}

impl Case {
    fn passes(&self, rules: &RuleSet) -> bool {
        match &self.expect {
            Expect::Count(n) => rules.count_value(&self.text, self.language) == Some(*n),
            Expect::Date { published, values } => {
                let mut article = Article::from_text("case", self.text.clone());
                article.language = self.language;
                article.published = Some(*published);
                rules
                    .extract(&article)
                    .facts
                    .iter()
                    .any(|f| f.key.kind == Kind::Date && matches!(&f.key.value, Value::Text(v) if values.contains(v)))
            }
        }
    }
}

fn external_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("FACTRULES_EXTERNAL").map(PathBuf::from),
        Some(root("../shared/external")),
        Some(PathBuf::from("/work/shared/external")),
    ];
    candidates.into_iter().flatten().find(|p| p.join("README.md").is_file())
}

fn read_json(path: &Path) -> Json {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A reference time `2017-02-02T03:55:00` as the article's date.
fn reference_date(s: &str) -> PartialDate {
    PartialDate::parse(s.get(..10).unwrap_or(s)).unwrap_or_else(|| panic!("bad reference time {s}"))
}

/// Words of phrases relative to the reference time, which are not calendar
/// dates: Duckling resolves them forward in time, the rules backward, and
/// neither is what the suite tests here.
const RELATIVE: &[&str] = &[
    "ago",
    "next",
    "last",
    "this",
    "after",
    "before",
    "from now",
    "hence",
    "past",
    "coming",
    "following",
    "previous",
    "week",
    "weekend",
    "quarter",
    "today",
    "tomorrow",
    "yesterday",
    "tới",
    "sau",
    "trước",
    "nữa",
    "qua",
    "này",
    "tuần",
    "quý",
    "nay",
    "mai",
    "kia",
    "ngoái",
    "thứ",
    "cuối",
    "đầu",
    "giữa",
    "upcoming",
    "current",
    "closest",
    "later",
    "tmrw",
    "bc",
    "b c",
    "a d",
    "day",
    "days",
    "month",
    "months",
    "year",
    "years",
];

fn has_word(text: &str, words: &[&str]) -> bool {
    let lower = text.to_lowercase();
    let tokens: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).collect();
    words.iter().any(|w| {
        let parts: Vec<&str> = w.split(' ').collect();
        tokens.windows(parts.len()).any(|win| win == parts.as_slice())
    })
}

/// Duckling time corpus: instants of grain day, month or year, no holiday,
/// written with at least one digit and no relative word.
fn duckling_time(dir: &Path, file: &str, language: Language) -> Vec<Case> {
    let data = read_json(&dir.join("duckling").join(file));
    let contexts = &data["contexts"];
    let mut out = Vec::new();
    for case in data["cases"].as_array().expect("cases") {
        let (text, expected) = (case["text"].as_str().unwrap_or(""), &case["expected"]);
        let grain = expected["grain"].as_str().unwrap_or("");
        let len = match grain {
            "day" => 10,
            "month" => 7,
            "year" => 4,
            _ => continue,
        };
        if expected["kind"] != "time"
            || expected.get("holiday").is_some()
            || !text.chars().any(|c| c.is_ascii_digit())
            || has_word(text, RELATIVE)
        {
            continue;
        }
        let context = case["context"].as_str().unwrap_or("context");
        let published = reference_date(contexts[context]["reference_time"].as_str().expect("reference time"));
        let value = expected["value"].as_str().expect("value")[..len].to_string();
        out.push(Case { text: text.to_string(), language, expect: Expect::Date { published, values: vec![value] } });
    }
    out
}

/// Duckling numeral corpus: integers of at least one (a count of people).
fn duckling_numeral(dir: &Path, file: &str, language: Language) -> Vec<Case> {
    let data = read_json(&dir.join("duckling").join(file));
    data["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .filter_map(|case| {
            let n = case["expected"]["value"].as_u64().filter(|n| *n >= 1)?;
            Some(Case { text: case["text"].as_str()?.to_string(), language, expect: Expect::Count(n) })
        })
        .collect()
}

fn nemo_lines(dir: &Path, file: &str) -> Vec<String> {
    let path = dir.join("nemo-vi/data_text_normalization").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter_map(|l| l.split('~').next())
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// NeMo's written Vietnamese dates (the input side of its text
/// normalisation cases). The value is read off the written form by the
/// suite's own convention, day first: `15/01/2024`, `25-03-1975`,
/// `10.05.2000`, `tháng 04/1969`. NeMo's cases have no reference date, so
/// the articles are dated 2025-01-01.
fn nemo_dates(dir: &Path) -> Vec<Case> {
    let published = PartialDate::parse("2025-01-01").expect("date");
    let numbers = |s: &str| -> Vec<u32> {
        s.split(|c: char| !c.is_ascii_digit()).filter(|t| !t.is_empty()).filter_map(|t| t.parse().ok()).collect()
    };
    nemo_lines(dir, "test_cases_date.txt")
        .into_iter()
        .filter_map(|text| {
            let n = numbers(&text);
            let value = match (n.as_slice(), text.contains("tháng")) {
                ([d, m, y], _) if *y > 999 => format!("{y:04}-{m:02}-{d:02}"),
                ([m, y], true) if *y > 999 => format!("{y:04}-{m:02}"),
                _ => return None,
            };
            Some(Case { text, language: Language::Vi, expect: Expect::Date { published, values: vec![value] } })
        })
        .collect()
}

/// NeMo's written Vietnamese cardinals: digits with `.` between thousands.
fn nemo_cardinals(dir: &Path) -> Vec<Case> {
    nemo_lines(dir, "test_cases_cardinal.txt")
        .into_iter()
        .filter(|t| t.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .filter_map(|text| {
            let n: u64 = text.replace('.', "").parse().ok().filter(|n| *n >= 1)?;
            Some(Case { text, language: Language::Vi, expect: Expect::Count(n) })
        })
        .collect()
}

/// Recognizers-Text's English date parser spec: cases with one result whose
/// timex is a calendar date, month or year (`2016-11-07`, `XXXX-10-02`,
/// `2016-11`, `2016`), not marked `NotSupportedByDesign`. A yearless date
/// passes with either of the spec's readings (past or future): which one
/// news means depends on the article, and the rules choose by a rule of
/// their own (README, "Year resolution").
fn recognizers_dates(dir: &Path) -> Vec<Case> {
    let data = read_json(&dir.join("recognizers-text/Specs/DateTime/English/DateParser.json"));
    let calendar = regex::Regex::new(r"^(?:\d{4}|XXXX)-\d{2}(?:-\d{2})?$|^\d{4}$").expect("regex");
    let mut out = Vec::new();
    for case in data.as_array().expect("cases") {
        let results = case["Results"].as_array().map_or(&[][..], Vec::as_slice);
        if case.get("NotSupportedByDesign").is_some() || results.len() != 1 {
            continue;
        }
        let value = &results[0]["Value"];
        let timex = value["Timex"].as_str().unwrap_or("");
        if !calendar.is_match(timex) {
            continue;
        }
        let values = if timex.starts_with("XXXX") {
            ["FutureResolution", "PastResolution"]
                .iter()
                .filter_map(|r| value[r]["date"].as_str().map(|d| d[..timex.len()].to_string()))
                .collect()
        } else {
            vec![timex.to_string()]
        };
        let input = case["Input"].as_str().unwrap_or("");
        if has_word(input, RELATIVE) {
            continue;
        }
        let reference = case["Context"]["ReferenceDateTime"].as_str().unwrap_or("2016-11-07");
        out.push(Case {
            text: case["Input"].as_str().unwrap_or("").to_string(),
            language: Language::En,
            expect: Expect::Date { published: reference_date(reference), values },
        });
    }
    out
}

/// Recognizers-Text's English number model: each integer result of at least
/// one, read from the result's own text (the model finds numbers anywhere;
/// the rules read them only where a casualty rule puts a count).
fn recognizers_numbers(dir: &Path) -> Vec<Case> {
    let data = read_json(&dir.join("recognizers-text/Specs/Number/English/NumberModel.json"));
    let mut out = Vec::new();
    for case in data.as_array().expect("cases") {
        if case.get("NotSupportedByDesign").is_some() {
            continue;
        }
        for r in case["Results"].as_array().into_iter().flatten() {
            let resolution = &r["Resolution"];
            let value = resolution["value"].as_str().and_then(|v| v.parse::<u64>().ok()).filter(|n| *n >= 1);
            if let (Some(n), "integer", Some(text)) =
                (value, resolution["subtype"].as_str().unwrap_or(""), r["Text"].as_str())
            {
                out.push(Case { text: text.to_string(), language: Language::En, expect: Expect::Count(n) });
            }
        }
    }
    out
}

fn floors() -> BTreeMap<String, f64> {
    let path = root("tests/conformance_floors.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn external_suites_pass_at_or_above_their_floors() {
    let Some(dir) = external_dir() else {
        let _ = writeln!(
            std::io::stderr(),
            "conformance: no external test data found (set FACTRULES_EXTERNAL to the folder of shared/external); suites not run"
        );
        return;
    };
    let suites: Vec<(&str, Vec<Case>)> = vec![
        ("duckling time vi", duckling_time(&dir, "time_vi.json", Language::Vi)),
        ("duckling time en", duckling_time(&dir, "time_en.json", Language::En)),
        ("duckling numeral vi", duckling_numeral(&dir, "numeral_vi.json", Language::Vi)),
        ("duckling numeral en", duckling_numeral(&dir, "numeral_en.json", Language::En)),
        ("nemo date vi", nemo_dates(&dir)),
        ("nemo cardinal vi", nemo_cardinals(&dir)),
        ("recognizers date en", recognizers_dates(&dir)),
        ("recognizers number en", recognizers_numbers(&dir)),
    ];
    let floors = floors();
    let rules = bundled();
    let mut report = format!(
        "\nconformance ({})\n{:<24} {:>6} {:>6} {:>7} {:>7}\n",
        dir.display(),
        "suite",
        "pass",
        "cases",
        "rate",
        "floor"
    );
    let mut failures = Vec::new();
    let mut failing_cases = Vec::new();
    for (name, cases) in &suites {
        let passed: Vec<bool> = cases.iter().map(|c| c.passes(rules)).collect();
        let n = passed.iter().filter(|p| **p).count();
        let rate = if cases.is_empty() { 0.0 } else { n as f64 / cases.len() as f64 };
        let floor = floors.get(*name).copied();
        report += &format!(
            "{name:<24} {n:>6} {:>6} {rate:>7.3} {:>7}\n",
            cases.len(),
            floor.map_or("-".into(), |f| format!("{f:.3}"))
        );
        match floor {
            None => failures.push(format!("{name}: no floor in tests/conformance_floors.yaml")),
            Some(f) if rate + 1e-9 < f => failures.push(format!("{name}: pass rate {rate:.3} below its floor {f:.3}")),
            Some(_) => {}
        }
        if cases.is_empty() {
            failures.push(format!("{name}: no cases selected; has the data's format changed?"));
        }
        if std::env::var_os("FACTRULES_CONFORMANCE_FAILURES").is_some() {
            failing_cases
                .extend(cases.iter().zip(&passed).filter(|(_, p)| !**p).map(|(c, _)| format!("{name}: {}", c.text)));
        }
    }
    let _ = write!(std::io::stderr(), "{report}");
    for f in &failing_cases {
        let _ = writeln!(std::io::stderr(), "  failed {f}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
