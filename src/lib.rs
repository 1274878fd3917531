//! factrules: an evaluation harness for fact-extraction rules.
//!
//! Analysts keep YAML rule sets that pull four kinds of facts out of news
//! articles: dates, envoys, casualty figures and locations. The data flows
//! one way through the stages of this crate:
//!
//! ```text
//! rules/*.yaml -> rules (parse, validate, compile) -> engine (normalise text,
//! match, build facts) -> eval (align with goldens, score) -> inspect (trace
//! matches, per-rule statistics, compare rule sets) -> report
//! ```
//!
//! A stage never reaches back up: the engine knows nothing of goldens, and
//! evaluation knows nothing of YAML rules. `inspect` serves the tools rule
//! authors run beside `cargo test` (`compare`, `stats`, `explain`, `lint`,
//! `profile`); extraction never goes through it.
//!
//! ```no_run
//! use factrules::{Article, RuleSet};
//! let rules = RuleSet::load("rules").expect("rules load");
//! let article = Article::from_text("a", "Talks opened in Moscow on October 9, 2020.");
//! let extraction = rules.extract(&article);
//! for fact in &extraction.facts {
//!     println!("{} {}", fact.key.kind, fact.key.value);
//! }
//! ```

mod article;
mod engine;
pub mod eval;
mod fact;
pub mod inspect;
pub mod report;
mod rules;
pub mod scale;
pub mod stream;

pub use article::{Article, ArticleError, Corpus, Language, PartialDate, Split};
pub use fact::{Fact, FactKey, Kind, Mention, Value};
pub use rules::{LoadError, RuleError, RuleSet};

/// The facts found in one article, sorted by kind and value.
///
/// Invariant: facts are unique by [`FactKey`] and sorted by it; the mentions
/// of each fact are sorted by position. Two runs over the same input give the
/// same `Extraction`, whatever the thread count.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Extraction {
    /// The article id (its file stem).
    pub article: String,
    /// The facts, one per distinct normalised value.
    pub facts: Vec<Fact>,
}

impl RuleSet {
    /// Extracts the facts of one article.
    pub fn extract(&self, article: &Article) -> Extraction {
        engine::extract(self, article)
    }

    /// The passes of the scanner's automata alone, without captures,
    /// values, overlaps or facts: the number of pattern and alias matches
    /// ending in the article's text (its language's patterns and the shared
    /// ones, as extraction searches), or `None` when the set searches rule
    /// by rule. The benches set the whole extraction against it, to tell
    /// the cost of reading the text from the cost of the matches.
    #[doc(hidden)]
    pub fn scan_matches(&self, article: &Article) -> Option<usize> {
        engine::scan_matches(self, article)
    }

    /// Extracts every article in parallel (rayon), keeping the input order.
    ///
    /// The result is identical to mapping [`RuleSet::extract`] over the
    /// articles one by one: each article is extracted independently and the
    /// results are collected by index.
    pub fn extract_all(&self, articles: &[Article]) -> Vec<Extraction> {
        use rayon::prelude::*;
        articles.par_iter().map(|a| self.extract(a)).collect()
    }

    /// The integer a count phrase stands for, read with this set's number
    /// lexicons exactly as a casualty rule reads its `count` capture:
    /// `"1,200"` (en) and `"1.200"` (vi) are 1200, `"two dozen"` is 24,
    /// `"hai mươi mốt"` is 21. `None` when the text is not a count.
    pub fn count_value(&self, text: &str, language: Language) -> Option<u64> {
        engine::count_value(self, text, language)
    }
}
