//! Golden files: the hand-verified facts of one article.
//!
//! A golden is an insta snapshot (`golden/<article>.snap`) whose body is YAML:
//!
//! ```yaml
//! article: 003_59c5d943a70c7ba6
//! date:
//! - value: '2020-10-09'
//!   mentions:
//!   - October 9, 2020
//! - value: '2020-10-08'
//!   status: missed
//!   note: weekday of a statement, one day before the article
//!   mentions:
//!   - Thursday
//! ```
//!
//! A fact without `status` is true and found by the rules. `status: missed` is
//! a true fact the rules do not find yet (a known miss); `status:
//! false_positive` is a fact the rules find that is not true (a known false
//! positive); `status: unverified` is a fact the rules found that nobody has
//! judged, and fails the golden test until a person removes the status (true)
//! or writes `false_positive`.
//!
//! The snapshot a test compares is rendered from the extraction *and* the
//! golden's own judgements ([`Golden::render`]): unchanged rules render the
//! golden unchanged; a rule that starts finding a missed fact drops its
//! `missed`, a rule that loses a fact turns it into `missed`, and both show
//! up as a diff in `cargo insta review`. Goldens hold no offsets and no rule
//! ids, so renaming a rule does not churn them.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::fact::{FactKey, Kind, Value};
use crate::Extraction;

/// What a golden says about a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// True, and the rules do not find it.
    Missed,
    /// Found by the rules, and not true.
    FalsePositive,
    /// Found by the rules, not yet judged by a person.
    Unverified,
}

/// One fact of a golden. The attribute fields mirror [`FactKey`] one to
/// one; they are written out rather than flattened so that serde_yaml reports
/// the right line for a mistake in a hand-edited golden.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldenFact {
    /// The normalised value.
    pub value: Value,
    /// Envoys: the role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Envoys: whom they represent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub represents: Option<String>,
    /// Casualties: the qualifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    /// Casualties: killed or wounded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Absent for a true fact the rules find.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Why a fact is missed or a false positive; kept across renders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The surface texts, distinct, in text order.
    #[serde(default)]
    pub mentions: Vec<String>,
}

impl GoldenFact {
    fn key(&self, kind: Kind) -> FactKey {
        let value = match (&self.value, kind) {
            // A year written without quotes parses as a number.
            (Value::Count(n), k) if k != Kind::Casualty => Value::Text(n.to_string()),
            (v, _) => v.clone(),
        };
        FactKey {
            kind,
            value,
            role: self.role.clone(),
            represents: self.represents.clone(),
            qualifier: self.qualifier.clone(),
            outcome: self.outcome.clone(),
        }
    }

    fn from_key(key: &FactKey, status: Option<Status>, note: Option<String>, mentions: Vec<String>) -> GoldenFact {
        GoldenFact {
            value: key.value.clone(),
            role: key.role.clone(),
            represents: key.represents.clone(),
            qualifier: key.qualifier.clone(),
            outcome: key.outcome.clone(),
            status,
            note,
            mentions,
        }
    }
}

/// The golden of one article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Golden {
    /// The article id.
    pub article: String,
    /// Dates.
    #[serde(default)]
    pub date: Vec<GoldenFact>,
    /// Envoys.
    #[serde(default)]
    pub envoy: Vec<GoldenFact>,
    /// Casualty figures.
    #[serde(default)]
    pub casualty: Vec<GoldenFact>,
    /// Locations.
    #[serde(default)]
    pub location: Vec<GoldenFact>,
}

/// Errors reading goldens. Each names the file.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum GoldenError {
    /// The file cannot be read.
    #[error("{path}: cannot read: {message}")]
    #[diagnostic(code(factrules::golden::io))]
    Io {
        /// The golden file.
        path: PathBuf,
        /// The I/O error.
        message: String,
    },
    /// The file is not a golden.
    #[error("{path}:{line}:{column}: {message}")]
    #[diagnostic(
        code(factrules::golden::parse),
        help("a golden is an insta snapshot: a `---` header, then YAML with `article`, `date`, `envoy`, `casualty`, `location`")
    )]
    Parse {
        /// The golden file.
        path: PathBuf,
        /// 1-based line in the file.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The golden is for another article.
    #[error("{path}: golden of `{found}`, expected `{expected}`")]
    #[diagnostic(code(factrules::golden::article), help("a golden's `article` must be its file stem"))]
    WrongArticle {
        /// The golden file.
        path: PathBuf,
        /// The id in the file.
        found: String,
        /// The id from the file name.
        expected: String,
    },
}

impl Golden {
    /// The golden file of an article in a golden folder.
    pub fn path(dir: &Path, article: &str) -> PathBuf {
        dir.join(format!("{article}.snap"))
    }

    /// Reads the golden of `article` from `dir`; `Ok(None)` if there is none.
    pub fn read(dir: &Path, article: &str) -> Result<Option<Golden>, GoldenError> {
        let path = Golden::path(dir, article);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(GoldenError::Io { path, message: e.to_string() }),
        };
        let golden = Golden::parse(&path, &text)?;
        if golden.article != article {
            return Err(GoldenError::WrongArticle { path, found: golden.article, expected: article.to_string() });
        }
        Ok(Some(golden))
    }

    /// The goldens of the given articles that have one, by article id.
    pub fn read_all<'a>(
        dir: &Path,
        articles: impl IntoIterator<Item = &'a str>,
    ) -> Result<BTreeMap<String, Golden>, GoldenError> {
        let mut out = BTreeMap::new();
        for id in articles {
            if let Some(golden) = Golden::read(dir, id)? {
                out.insert(id.to_string(), golden);
            }
        }
        Ok(out)
    }

    /// Parses a golden from the text of its snapshot file (insta's `---`
    /// header, if present, is skipped). `path` only names the file in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Golden, GoldenError> {
        let (body, header_lines) = split_header(text);
        serde_yaml::from_str(body).map_err(|e| {
            let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            GoldenError::Parse { path: path.to_owned(), line: line + header_lines, column, message: e.to_string() }
        })
    }

    /// The facts of one kind.
    pub fn facts(&self, kind: Kind) -> &[GoldenFact] {
        match kind {
            Kind::Date => &self.date,
            Kind::Envoy => &self.envoy,
            Kind::Casualty => &self.casualty,
            Kind::Location => &self.location,
        }
    }

    fn facts_mut(&mut self, kind: Kind) -> &mut Vec<GoldenFact> {
        match kind {
            Kind::Date => &mut self.date,
            Kind::Envoy => &mut self.envoy,
            Kind::Casualty => &mut self.casualty,
            Kind::Location => &mut self.location,
        }
    }

    /// Every fact with its key.
    pub fn keyed(&self) -> impl Iterator<Item = (FactKey, &GoldenFact)> {
        Kind::ALL.into_iter().flat_map(move |k| self.facts(k).iter().map(move |f| (f.key(k), f)))
    }

    /// The true facts: those without a status, and the known misses.
    pub fn truth(&self) -> BTreeMap<FactKey, &GoldenFact> {
        self.keyed().filter(|(_, f)| matches!(f.status, None | Some(Status::Missed))).collect()
    }

    /// The facts with a given status.
    pub fn with_status(&self, status: Status) -> BTreeMap<FactKey, &GoldenFact> {
        self.keyed().filter(|(_, f)| f.status == Some(status)).collect()
    }

    /// Renders what the golden of this extraction should read, keeping the
    /// judgements (truth, known false positives, notes) of `previous`.
    pub fn render(extraction: &Extraction, previous: Option<&Golden>) -> Golden {
        let empty = Golden::empty(&extraction.article);
        let previous = previous.unwrap_or(&empty);
        let judged: BTreeMap<FactKey, &GoldenFact> = previous.keyed().collect();
        let mut out = Golden::empty(&extraction.article);
        let mut found = std::collections::BTreeSet::new();
        for fact in &extraction.facts {
            let mut mentions: Vec<String> = Vec::new();
            for m in &fact.mentions {
                if !mentions.contains(&m.text) {
                    mentions.push(m.text.clone());
                }
            }
            let (status, note) = match judged.get(&fact.key) {
                Some(g) => match g.status {
                    None | Some(Status::Missed) => (None, g.note.clone()),
                    Some(s) => (Some(s), g.note.clone()),
                },
                None => (Some(Status::Unverified), None),
            };
            found.insert(fact.key.clone());
            out.facts_mut(fact.key.kind).push(GoldenFact::from_key(&fact.key, status, note, mentions));
        }
        for (key, g) in previous.truth() {
            if !found.contains(&key) {
                out.facts_mut(key.kind).push(GoldenFact::from_key(
                    &key,
                    Some(Status::Missed),
                    g.note.clone(),
                    g.mentions.clone(),
                ));
            }
        }
        for kind in Kind::ALL {
            out.facts_mut(kind).sort_by_key(|f| f.key(kind));
        }
        out
    }

    fn empty(article: &str) -> Golden {
        Golden { article: article.to_string(), date: vec![], envoy: vec![], casualty: vec![], location: vec![] }
    }

    /// The YAML body of the snapshot.
    pub fn to_yaml(&self) -> String {
        serde_yaml::to_string(self).expect("a golden always serialises")
    }
}

/// Splits insta's `---` header off a snapshot; returns the body and the
/// number of lines before it.
fn split_header(text: &str) -> (&str, usize) {
    if let Some(rest) = text.strip_prefix("---\n") {
        if let Some(end) = rest.find("\n---\n") {
            let header = &text[..4 + end + 5];
            return (&text[header.len()..], header.matches('\n').count());
        }
    }
    (text, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fact::{Fact, Mention};

    fn fact(kind: Kind, value: &str, text: &str) -> Fact {
        Fact {
            key: FactKey::new(kind, Value::Text(value.into())),
            mentions: vec![Mention { text: text.into(), start: 0, end: text.len(), rule: "r".into() }],
        }
    }

    const GOLDEN: &str = "---\nsource: tests/golden.rs\n---\narticle: a\ndate:\n- value: 2020\n  mentions: [in 2020]\n- value: '2020-10-08'\n  status: missed\n  note: weekday\n  mentions: [Thursday]\nlocation:\n- value: Minsk\n  status: false_positive\n  mentions: [Minsk]\n";

    fn golden() -> Golden {
        Golden::parse(Path::new("a.snap"), GOLDEN).unwrap()
    }

    #[test]
    fn unchanged_rules_render_the_golden_unchanged() {
        let g = golden();
        let ex = Extraction {
            article: "a".into(),
            facts: vec![fact(Kind::Date, "2020", "in 2020"), fact(Kind::Location, "Minsk", "Minsk")],
        };
        let rendered = Golden::render(&ex, Some(&g));
        assert_eq!(rendered.date[0].value, Value::Text("2020".into()));
        assert_eq!(rendered.date[1].status, Some(Status::Missed));
        assert_eq!(rendered.date[1].note.as_deref(), Some("weekday"));
        assert_eq!(rendered.location[0].status, Some(Status::FalsePositive));
        assert_eq!(Golden::parse(Path::new("x"), &rendered.to_yaml()).unwrap(), rendered);
    }

    #[test]
    fn a_fixed_miss_a_lost_fact_and_a_new_fact_all_change_the_render() {
        let g = golden();
        let ex = Extraction {
            article: "a".into(),
            facts: vec![fact(Kind::Date, "2020-10-08", "Thursday"), fact(Kind::Location, "Baku", "Baku")],
        };
        let r = Golden::render(&ex, Some(&g));
        let status = |kind, v: &str| r.facts(kind).iter().find(|f| f.value == Value::Text(v.into())).map(|f| f.status);
        assert_eq!(status(Kind::Date, "2020-10-08"), Some(None), "fixed miss loses its status");
        assert_eq!(status(Kind::Date, "2020"), Some(Some(Status::Missed)), "lost fact becomes a miss");
        assert_eq!(status(Kind::Location, "Baku"), Some(Some(Status::Unverified)));
        assert_eq!(status(Kind::Location, "Minsk"), None, "a false positive no longer found disappears");
    }

    #[test]
    fn parse_errors_name_the_file_line() {
        let err = Golden::parse(Path::new("g/a.snap"), "---\nsource: x\n---\narticle: a\ncolour: red\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("g/a.snap:5:"), "{msg}");
        assert!(msg.contains("unknown field"), "{msg}");
    }
}
