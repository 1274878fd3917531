//! A large synthetic corpus built from real articles, for measuring speed.
//!
//! The bundled corpus is a few dozen kilobytes: too small to time a rule set
//! that runs at hundreds of megabytes a second, and too small to show how
//! throughput and memory behave over a feed. [`generate`] builds an
//! arbitrarily large corpus by recombining the paragraphs of real articles,
//! so the density and kind of matches stay those of real news text.
//!
//! Decisions:
//! - Each generated article takes the language and publication date of one
//!   source article (its "home") and starts with that article's first
//!   paragraph (where datelines and header dates are). Its other paragraphs
//!   come mostly from articles of the same language, and about one in seven
//!   from the other language, as feeds that quote or mix sources do; so
//!   language-restricted rules see text they must ignore.
//! - Articles are about as long as their home article, so the corpus has the
//!   article-size mix of the real one.
//! - Generation is seeded, with the crate's SplitMix64 stream (the one the
//!   bootstrap of `compare` draws from): the same seed and sources give the
//!   same corpus on every machine, with no dependency. It is never committed
//!   as data; benches and tools generate it in memory in well under a second.

use crate::article::{Article, Language, Split};
use crate::inspect::sampling::Rng;

/// How large a corpus to generate, and from which seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScaleConfig {
    /// Stop once the generated texts hold at least this many bytes.
    pub bytes: usize,
    /// The seed: the same seed and sources give the same corpus.
    pub seed: u64,
}

impl Default for ScaleConfig {
    /// About 50 MB: some 20,000 articles of the bundled corpus's size.
    fn default() -> Self {
        ScaleConfig { bytes: 50_000_000, seed: 5 }
    }
}

/// Share of paragraphs taken from the other language, in sevenths.
const OTHER_LANGUAGE_SEVENTHS: usize = 1;

/// Builds a corpus of at least `config.bytes` bytes of text from the
/// paragraphs of `sources` (see the module documentation).
///
/// Ids are `scale-00000`, `scale-00001`, ... in generation order. Returns an
/// empty corpus when the sources have no text.
pub fn generate(sources: &[Article], config: ScaleConfig) -> Vec<Article> {
    let homes: Vec<Home> = sources.iter().filter_map(Home::new).collect();
    if homes.is_empty() {
        return Vec::new();
    }
    let by_language = |language: Language| -> Vec<&str> {
        homes.iter().filter(|h| h.language == language).flat_map(|h| h.paragraphs.iter().copied()).collect()
    };
    let (en, vi) = (by_language(Language::En), by_language(Language::Vi));
    let mut rng = Rng::new(config.seed);
    let mut articles = Vec::new();
    let mut total = 0;
    while total < config.bytes {
        let home = &homes[rng.below(homes.len())];
        let (same, other) = match home.language {
            Language::En => (&en, &vi),
            Language::Vi => (&vi, &en),
        };
        let mut text = String::with_capacity(home.len + home.len / 2);
        text.push_str(home.paragraphs[0]);
        while text.len() < home.len {
            let pool = if !other.is_empty() && rng.below(7) < OTHER_LANGUAGE_SEVENTHS { other } else { same };
            text.push_str("\n\n");
            text.push_str(pool[rng.below(pool.len())]);
        }
        text.push('\n');
        total += text.len();
        articles.push(Article {
            id: format!("scale-{:05}", articles.len()),
            text,
            published: home.published,
            language: home.language,
            split: Split::Dev,
        });
    }
    articles
}

/// A source article cut into paragraphs.
struct Home<'a> {
    language: Language,
    published: Option<crate::article::PartialDate>,
    /// Non-empty lines, trimmed: the bundled feeds separate paragraphs by
    /// blank lines or by single line breaks, so a line is the unit both share.
    paragraphs: Vec<&'a str>,
    len: usize,
}

impl<'a> Home<'a> {
    fn new(article: &'a Article) -> Option<Home<'a>> {
        let paragraphs: Vec<&str> = article.text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        (!paragraphs.is_empty()).then_some(Home {
            language: article.language,
            published: article.published,
            paragraphs,
            len: article.text.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources() -> Vec<Article> {
        let mut vi = Article::from_text("v", "Ngoại trưởng Nga tại Moskva.\nNgày 21/10 các bên gặp nhau.");
        vi.language = Language::Vi;
        let mut en = Article::from_text("e", "Talks in Moscow.\n\nOn October 9, 2020 the ministers met.\n");
        en.language = Language::En;
        vec![vi, en]
    }

    #[test]
    fn same_seed_same_corpus_and_the_size_asked_for() {
        let config = ScaleConfig { bytes: 20_000, seed: 7 };
        let a = generate(&sources(), config);
        assert_eq!(a, generate(&sources(), config));
        assert!(a.iter().map(|a| a.text.len()).sum::<usize>() >= 20_000);
        assert_ne!(a, generate(&sources(), ScaleConfig { seed: 8, ..config }));
        assert!(a.iter().any(|a| a.language == Language::Vi) && a.iter().any(|a| a.language == Language::En));
    }

    #[test]
    fn no_sources_give_an_empty_corpus() {
        assert!(generate(&[], ScaleConfig::default()).is_empty());
        assert!(generate(&[Article::from_text("x", "  \n")], ScaleConfig::default()).is_empty());
    }
}
