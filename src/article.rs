//! Articles and the corpus: reading text files and their optional metadata.
//!
//! An article is a UTF-8 text file; its id is the file stem. Facts that the
//! text does not state about itself (the publication date, the language, the
//! evaluation split) come from an optional `metadata.yaml` beside the files:
//!
//! ```yaml
//! 002_2bfd0765ca70697a:
//!   language: vi          # en | vi; detected from the text when absent
//!   published: 2020-10    # YYYY, YYYY-MM or YYYY-MM-DD
//!   split: test           # dev (default) | test
//! ```
//!
//! This module never guesses silently: a file that cannot be read or is not
//! UTF-8, or metadata naming an article that does not exist, is an error that
//! names the file.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Name of the optional metadata file in a corpus folder.
pub const METADATA_FILE: &str = "metadata.yaml";

/// The language of an article: rules may be restricted to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English.
    En,
    /// Vietnamese.
    Vi,
}

impl Language {
    /// Every language, in order.
    pub const ALL: [Language; 2] = [Language::En, Language::Vi];

    /// The ISO 639-1 code.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Vi => "vi",
        }
    }

    /// Detects English or Vietnamese. Vietnamese text is recognised by its
    /// letters with diacritics; anything else is taken as English, the
    /// language of most of the feeds.
    pub fn detect(text: &str) -> Language {
        let detector = whatlang::Detector::with_allowlist(vec![whatlang::Lang::Eng, whatlang::Lang::Vie]);
        match detector.detect_lang(text) {
            Some(whatlang::Lang::Vie) => Language::Vi,
            _ => Language::En,
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A date known to year, month or day precision, such as a publication date.
///
/// Invariant: `day` is set only if `month` is, and the date exists in the
/// proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    /// The year.
    pub year: i16,
    /// The month, 1 to 12.
    pub month: Option<i8>,
    /// The day of the month.
    pub day: Option<i8>,
}

impl PartialDate {
    /// Builds a partial date, checking that it exists.
    pub fn new(year: i16, month: Option<i8>, day: Option<i8>) -> Option<PartialDate> {
        match (month, day) {
            (None, Some(_)) => None,
            (Some(m), None) if !(1..=12).contains(&m) => None,
            (Some(m), Some(d)) => jiff::civil::Date::new(year, m, d).ok().map(|_| PartialDate { year, month, day }),
            _ => Some(PartialDate { year, month, day }),
        }
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<PartialDate> {
        let mut parts = s.trim().split('-');
        let year = parts.next().filter(|y| y.len() == 4)?.parse().ok()?;
        let month = match parts.next() {
            Some(m) if m.len() == 2 => Some(m.parse().ok()?),
            Some(_) => return None,
            None => None,
        };
        let day = match parts.next() {
            Some(d) if d.len() == 2 => Some(d.parse().ok()?),
            Some(_) => return None,
            None => None,
        };
        if parts.next().is_some() {
            return None;
        }
        PartialDate::new(year, month, day)
    }

    /// The full calendar date, when the day is known.
    pub fn to_date(self) -> Option<jiff::civil::Date> {
        jiff::civil::Date::new(self.year, self.month?, self.day?).ok()
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        PartialDate::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("`{s}` is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")))
    }
}

/// Which part of the corpus an article belongs to. Rules are tuned on `dev`;
/// `test` articles are held out to tell whether the rules generalise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    /// Articles the rules are written against.
    #[default]
    Dev,
    /// Held-out articles, never used for tuning.
    Test,
}

impl fmt::Display for Split {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Split::Dev => "dev",
            Split::Test => "test",
        })
    }
}

/// One news article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The id: the file stem, or the `id` of a JSON line.
    pub id: String,
    /// The text, exactly as read.
    pub text: String,
    /// The publication date, when metadata gives it. Without it, a date line
    /// in the article's header (found by rules) serves.
    pub published: Option<PartialDate>,
    /// The language.
    pub language: Language,
    /// The evaluation split.
    pub split: Split,
}

impl Article {
    /// An article with a detected language and no metadata.
    pub fn from_text(id: impl Into<String>, text: impl Into<String>) -> Article {
        let text = text.into();
        Article { id: id.into(), language: Language::detect(&text), text, published: None, split: Split::Dev }
    }

    /// Reads one article file; its metadata, if any, comes from `metadata.yaml`
    /// in the same folder.
    pub fn read(path: &Path) -> Result<Article, ArticleError> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let meta = Metadata::read_dir(dir)?;
        read_article(path, meta.entries.get(&stem(path)))
    }
}

/// Errors reading articles and their metadata. Each names the file.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum ArticleError {
    /// The path does not exist or cannot be read.
    #[error("{path}: cannot read: {source}")]
    #[diagnostic(code(factrules::article::io), help("check that the path exists and is readable"))]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid UTF-8.
    #[error("{path}:{line}: not valid UTF-8 (first bad byte at offset {offset})")]
    #[diagnostic(
        code(factrules::article::not_utf8),
        help("articles must be UTF-8; convert the file, e.g. `iconv -f WINDOWS-1252 -t UTF-8`")
    )]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// The 1-based line of the first invalid byte.
        line: usize,
        /// The byte offset of the first invalid byte.
        offset: usize,
    },
    /// The metadata file is not valid.
    #[error("{path}:{line}:{column}: {message}")]
    #[diagnostic(
        code(factrules::article::metadata),
        help("metadata maps an article id to `language`, `published` and `split`")
    )]
    Metadata {
        /// The metadata file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The metadata names an article that is not in the folder.
    #[error("{path}: metadata for `{id}`, but there is no {id}.txt beside it")]
    #[diagnostic(code(factrules::article::orphan_metadata), help("remove the entry or restore the article"))]
    UnknownArticle {
        /// The metadata file.
        path: PathBuf,
        /// The id with no article.
        id: String,
    },
    /// A JSON line on standard input is not a valid article.
    #[error("standard input, line {line}: {message}")]
    #[diagnostic(
        code(factrules::article::json_line),
        help("each line must be {{\"id\": ..., \"text\": ..., \"published\"?: \"YYYY-MM-DD\", \"language\"?: \"en\"|\"vi\"}}")
    )]
    JsonLine {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A folder holds no article.
    #[error("{path}: no .txt article found")]
    #[diagnostic(code(factrules::article::empty), help("articles are UTF-8 files ending in .txt"))]
    Empty {
        /// The folder.
        path: PathBuf,
    },
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct MetaEntry {
    language: Option<Language>,
    published: Option<PartialDate>,
    #[serde(default)]
    split: Split,
}

#[derive(Debug, Default)]
struct Metadata {
    path: PathBuf,
    entries: BTreeMap<String, MetaEntry>,
}

impl Metadata {
    fn read_dir(dir: &Path) -> Result<Metadata, ArticleError> {
        let path = dir.join(METADATA_FILE);
        if !path.exists() {
            return Ok(Metadata { path, entries: BTreeMap::new() });
        }
        let text = read_utf8(&path)?;
        let entries = serde_yaml::from_str::<Option<BTreeMap<String, MetaEntry>>>(&text)
            .map_err(|e| {
                let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
                ArticleError::Metadata { path: path.clone(), line, column, message: e.to_string() }
            })?
            .unwrap_or_default();
        Ok(Metadata { path, entries })
    }
}

/// A set of articles, sorted by id.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// The articles, sorted by id.
    pub articles: Vec<Article>,
}

impl Corpus {
    /// Reads articles from files and folders. A folder contributes every
    /// `*.txt` file below it (recursively, in sorted order); `metadata.yaml`
    /// files apply to the articles of their own folder.
    pub fn load<P: AsRef<Path>>(paths: &[P]) -> Result<Corpus, ArticleError> {
        let mut articles = Vec::new();
        for path in paths {
            let path = path.as_ref();
            let md = std::fs::metadata(path).map_err(|source| ArticleError::Io { path: path.to_owned(), source })?;
            if md.is_dir() {
                let before = articles.len();
                load_dir(path, &mut articles)?;
                if articles.len() == before {
                    return Err(ArticleError::Empty { path: path.to_owned() });
                }
            } else {
                articles.push(Article::read(path)?);
            }
        }
        articles.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Corpus { articles })
    }
}

fn load_dir(dir: &Path, out: &mut Vec<Article>) -> Result<(), ArticleError> {
    let io = |source| ArticleError::Io { path: dir.to_owned(), source };
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).map_err(io)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>().map_err(io)?;
    entries.sort();
    let mut meta = Metadata::read_dir(dir)?;
    for path in &entries {
        if path.is_dir() {
            load_dir(path, out)?;
        } else if path.extension().is_some_and(|e| e == "txt") {
            let entry = meta.entries.remove(&stem(path));
            out.push(read_article(path, entry.as_ref())?);
        }
    }
    if let Some(id) = meta.entries.keys().next() {
        return Err(ArticleError::UnknownArticle { path: meta.path.clone(), id: id.clone() });
    }
    Ok(())
}

fn stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

fn read_article(path: &Path, meta: Option<&MetaEntry>) -> Result<Article, ArticleError> {
    let text = read_utf8(path)?;
    let mut article = Article::from_text(stem(path), text);
    if let Some(meta) = meta {
        if let Some(language) = meta.language {
            article.language = language;
        }
        article.published = meta.published;
        article.split = meta.split;
    }
    Ok(article)
}

/// Reads a file as UTF-8, naming the file and the first bad byte on failure.
pub(crate) fn read_utf8(path: &Path) -> Result<String, ArticleError> {
    let bytes = std::fs::read(path).map_err(|source| ArticleError::Io { path: path.to_owned(), source })?;
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count();
        ArticleError::NotUtf8 { path: path.to_owned(), line, offset }
    })
}

/// One line of `extract --format jsonl` input.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonArticle {
    id: String,
    text: String,
    published: Option<PartialDate>,
    language: Option<Language>,
}

impl Article {
    /// Parses one JSON line `{"id", "text", "published"?, "language"?}`.
    /// `line` is the 1-based line number, for the error message.
    pub fn from_json_line(json: &str, line: usize) -> Result<Article, ArticleError> {
        let raw: JsonArticle =
            serde_json::from_str(json).map_err(|e| ArticleError::JsonLine { line, message: e.to_string() })?;
        // Detecting the language costs more than extracting some articles:
        // only when the line does not give it.
        let language = raw.language.unwrap_or_else(|| Language::detect(&raw.text));
        Ok(Article { id: raw.id, text: raw.text, published: raw.published, language, split: Split::Dev })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_parse_and_print_back() {
        for s in ["2020", "2020-10", "2020-10-09"] {
            assert_eq!(PartialDate::parse(s).unwrap().to_string(), s);
        }
        for bad in ["20", "2020-13", "2020-02-30", "2020-1", "2020-10-09-01", "x"] {
            assert_eq!(PartialDate::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn detects_vietnamese_and_english() {
        assert_eq!(Language::detect("Ngoại trưởng Nga cho biết ông đã có các cuộc gặp riêng"), Language::Vi);
        assert_eq!(Language::detect("The foreign ministers met in Moscow on Friday."), Language::En);
    }

    #[test]
    fn json_lines_name_their_line() {
        let err = Article::from_json_line(r#"{"id": "a"}"#, 7).unwrap_err();
        assert!(err.to_string().starts_with("standard input, line 7:"), "{err}");
        let err = Article::from_json_line(r#"{"id": "a", "text": "x", "colour": 1}"#, 1).unwrap_err();
        assert!(err.to_string().contains("unknown field"), "{err}");
        let a = Article::from_json_line(r#"{"id": "a", "text": "x", "published": "2020-10-09", "language": "vi"}"#, 1)
            .unwrap();
        assert_eq!((a.language, a.published.unwrap().to_string()), (Language::Vi, "2020-10-09".into()));
    }
}
